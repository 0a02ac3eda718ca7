"""store/db.py's GroupCommit: a group waits for the jobs its callers said are on their way (issue 11), and
never for anything else."""

from __future__ import annotations

import asyncio

import pytest

from store.db import GroupCommit

#: far longer than any test runs: a group that waited for it would show as a hung test, not a slow one
LONG = 60.0


async def _turns(count: int = 20) -> None:
    """Let the loop run everything ready, ``count`` turns over (no time passes: a group's write of a job already
    waiting is two turns away)."""
    for _ in range(count):
        await asyncio.sleep(0)


class _Recorder:
    """A group write that keeps the groups it was given and answers each job with itself doubled."""

    def __init__(self) -> None:
        self.groups: list[list[int]] = []

    async def write(self, jobs: list[int]) -> list[int]:
        self.groups.append(list(jobs))
        return [job * 2 for job in jobs]


async def _caller(commit: GroupCommit[int, int], job: int | None, go: asyncio.Event | None = None) -> int | None:
    """A caller that says a job is on its way, waits for ``go``, then submits ``job`` (None: leaves without one,
    as a message whose reading failed is never completed)."""
    with commit.expecting():
        if go is not None:
            await go.wait()
        return await commit.submit(job) if job is not None else None


async def _gathered_callers(commit: GroupCommit[int, int], jobs: range) -> list[asyncio.Task[int | None]]:
    """Callers of ``jobs`` that all say they are coming before any submits (one gathered group), started and let
    run until the group's first write has begun."""
    go = asyncio.Event()
    tasks = [asyncio.create_task(_caller(commit, n, go)) for n in jobs]
    await _turns()
    go.set()
    await _turns()
    return tasks


async def test_a_group_waits_for_a_job_on_its_way() -> None:
    recorder = _Recorder()
    commit: GroupCommit[int, int] = GroupCommit(recorder.write, limit=10, gather=LONG)
    second_may_go = asyncio.Event()
    tasks = [asyncio.create_task(_caller(commit, 1)), asyncio.create_task(_caller(commit, 2, second_may_go))]
    await _turns()
    assert recorder.groups == []  # the first job waits: the second is still on its way
    second_may_go.set()
    async with asyncio.timeout(LONG / 2):
        assert await asyncio.gather(*tasks) == [2, 4]
    assert recorder.groups == [[1, 2]]


async def test_a_caller_that_leaves_without_a_job_lets_the_group_go() -> None:
    recorder = _Recorder()
    commit: GroupCommit[int, int] = GroupCommit(recorder.write, limit=10, gather=LONG)
    give_up = asyncio.Event()
    tasks = [asyncio.create_task(_caller(commit, 1)), asyncio.create_task(_caller(commit, None, give_up))]
    await _turns()
    assert recorder.groups == []
    give_up.set()
    async with asyncio.timeout(LONG / 2):
        assert await asyncio.gather(*tasks) == [2, None]
    assert recorder.groups == [[1]]


async def test_nothing_expected_nothing_waited_for() -> None:
    recorder = _Recorder()
    commit: GroupCommit[int, int] = GroupCommit(recorder.write, limit=10, gather=LONG)
    async with asyncio.timeout(LONG / 2):
        assert await commit.submit(3) == 6
    assert recorder.groups == [[3]]


async def test_a_full_group_goes_without_waiting_for_the_rest() -> None:
    recorder = _Recorder()
    commit: GroupCommit[int, int] = GroupCommit(recorder.write, limit=10, gather=LONG, gather_full=2)
    late = asyncio.Event()
    early = [asyncio.create_task(_caller(commit, 1)), asyncio.create_task(_caller(commit, 2))]
    straggler = asyncio.create_task(_caller(commit, 3, late))
    async with asyncio.timeout(LONG / 2):
        assert await asyncio.gather(*early) == [2, 4]
    assert recorder.groups == [[1, 2]]
    late.set()
    assert await straggler == 6
    assert recorder.groups == [[1, 2], [3]]


async def test_jobs_that_come_while_a_group_is_written_join_the_next_one() -> None:
    release = asyncio.Event()
    groups: list[list[int]] = []

    async def slow_write(jobs: list[int]) -> list[int]:
        groups.append(list(jobs))
        await release.wait()
        return jobs

    commit: GroupCommit[int, int] = GroupCommit(slow_write, limit=10, gather=LONG)
    first = asyncio.create_task(commit.submit(1))
    await _turns()
    assert groups == [[1]]
    later = [asyncio.create_task(commit.submit(n)) for n in (2, 3)]
    await asyncio.sleep(0)
    release.set()
    async with asyncio.timeout(LONG / 2):
        assert await first == 1 and await asyncio.gather(*later) == [2, 3]
    assert groups == [[1], [2, 3]]


async def test_a_group_is_written_in_parts_each_answered_before_the_next_is_written() -> None:
    parts_may_go = [asyncio.Event() for _ in range(3)]
    groups: list[list[int]] = []

    async def gated_write(jobs: list[int]) -> list[int]:
        groups.append(list(jobs))
        await parts_may_go[len(groups) - 1].wait()
        return [job * 2 for job in jobs]

    commit: GroupCommit[int, int] = GroupCommit(gated_write, limit=10, gather=LONG, part=2)
    tasks = await _gathered_callers(commit, range(1, 6))
    assert groups == [[1, 2]]  # the gathered group of five, its first part
    parts_may_go[0].set()
    async with asyncio.timeout(LONG / 2):
        assert await asyncio.gather(*tasks[:2]) == [2, 4]
    await _turns()
    assert groups == [[1, 2], [3, 4]] and not any(task.done() for task in tasks[2:])
    parts_may_go[1].set()
    parts_may_go[2].set()
    async with asyncio.timeout(LONG / 2):
        assert await asyncio.gather(*tasks[2:]) == [6, 8, 10]
    assert groups == [[1, 2], [3, 4], [5]]


async def test_a_failing_part_is_written_again_job_by_job_and_the_others_are_kept() -> None:
    groups: list[list[int]] = []

    async def write(jobs: list[int]) -> list[int]:
        groups.append(list(jobs))
        if 3 in jobs:
            raise ValueError("job 3 is refused")
        return [job * 2 for job in jobs]

    commit: GroupCommit[int, int] = GroupCommit(write, limit=10, gather=LONG, part=2, alone_on_failure=True)
    tasks = await _gathered_callers(commit, range(1, 6))
    async with asyncio.timeout(LONG / 2):
        answers = await asyncio.gather(*tasks, return_exceptions=True)
    assert answers[:2] == [2, 4] and isinstance(answers[2], ValueError) and answers[3:] == [8, 10]
    assert groups == [[1, 2], [3, 4], [3], [4], [5]]


async def test_an_urgent_writer_goes_between_two_parts_of_a_group() -> None:
    from store.db import Db, create_engine

    db = Db(create_engine("sqlite+aiosqlite:///:memory:"))
    order: list[str] = []
    first_part_may_end = asyncio.Event()

    async def write(jobs: list[int]) -> list[int]:
        async with db.write():
            order.append(f"part {jobs}")
            if len(order) == 1:
                await first_part_may_end.wait()
        return jobs

    commit: GroupCommit[int, int] = GroupCommit(write, limit=10, gather=LONG, part=2)
    tasks = await _gathered_callers(commit, range(1, 5))
    assert order == ["part [1, 2]"]

    async def accept() -> None:
        async with db.write(urgent=True):
            order.append("urgent")

    urgent = asyncio.create_task(accept())
    await _turns()
    first_part_may_end.set()
    async with asyncio.timeout(LONG / 2):
        assert await asyncio.gather(*tasks) == [1, 2, 3, 4]
        await urgent
    assert order == ["part [1, 2]", "urgent", "part [3, 4]"]
    await db.close()


async def test_a_fault_outside_the_write_fails_its_group_and_the_next_group_is_still_written() -> None:
    """A group whose answers do not match its jobs (a fault of ours, not of the database) fails its callers at once
    instead of leaving them waiting, and the jobs that came meanwhile are written as their own group."""
    release = asyncio.Event()
    groups: list[list[int]] = []

    async def short_write(jobs: list[int]) -> list[int]:
        groups.append(list(jobs))
        if len(groups) == 1:
            await release.wait()
            return []  # no answer for the job
        return [job * 2 for job in jobs]

    commit: GroupCommit[int, int] = GroupCommit(short_write, limit=10)
    first = asyncio.create_task(commit.submit(1))
    await _turns()
    later = [asyncio.create_task(commit.submit(n)) for n in (2, 3)]
    await asyncio.sleep(0)
    release.set()
    async with asyncio.timeout(LONG / 2):
        with pytest.raises(ValueError, match="zip"):
            await first
        assert await asyncio.gather(*later) == [4, 6]
    assert groups == [[1], [2, 3]]


async def test_a_cancelled_writer_leaves_no_caller_waiting() -> None:
    started = asyncio.Event()
    groups: list[list[int]] = []

    async def stuck_write(jobs: list[int]) -> list[int]:
        groups.append(list(jobs))
        started.set()
        await asyncio.sleep(LONG)
        return jobs

    commit: GroupCommit[int, int] = GroupCommit(stuck_write, limit=10)
    first = asyncio.create_task(commit.submit(1))
    await started.wait()
    later = asyncio.create_task(commit.submit(2))
    await asyncio.sleep(0)
    writer = commit._writer
    assert writer is not None
    writer.cancel()
    async with asyncio.timeout(LONG / 2):
        results = await asyncio.gather(first, later, return_exceptions=True)
    assert all(isinstance(result, asyncio.CancelledError) for result in results)
    assert groups == [[1]]
