"""store/db.py's GroupCommit: a group waits for the jobs its callers said are on their way (issue 11), and
never for anything else."""

from __future__ import annotations

import asyncio

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
