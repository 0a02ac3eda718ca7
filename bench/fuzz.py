"""Fuzz the reader: `.venv/bin/python bench/fuzz.py [--count 10000] [--seed 12] [--processes 2] [--budget 5]`.

Generates hostile inputs from a seed (mutated MIME: charsets naming non-text or unknown codecs, two Subject
headers, huge encoded-word subjects, NUL entities in HTML, 100,000-character tokens without "@", long
"Name:" lines, deep and huge XML, broken and deep JSON, large base64 parts, broken multipart, random byte
flips of a plain lead mail) and reads each one through the entry the service uses
(``bot.intake.reader.ProcessReader``, worker processes with the per-message time budget), or with
``--in-process`` through the Extractor in this process (no budget: the unbounded cost of each input).

Prints, each beside its goal: uncaught exceptions (anything but the sender's ``InputError``), inputs over
1 s, p99 seconds per input, and the peak RSS of a reading process; seconds are wall-clock time in the
reading process and, beside them, its CPU time (on a shared machine the wall clock also counts the wait
for a core), with the load average. Every failure (uncaught, over the
budget, over 1 s, refused as unreadable) is kept with its reason in ``--out`` (JSON lines, the input in base64)
for replay.
Prints numbers only; it asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import random
import resource
import statistics
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.intake.reader import ProcessReader, ReadAborted, Reader, last_read_cpu_seconds, last_read_seconds
from nlp.extractor import Extractor
from nlp.settings import ExtractionSettings, NlpSettings
from parsers.errors import InputError
from parsers.lead import Extraction, RawMessage

SLOW = 1.0
LEAD = (
    "Name: Wilhelmina Castellanos\nEmail: w.castellanos@orchard-lane.example\nPhone: 415-555-0187\n"
    "Company: Orchard Lane Cider Co.\nMessage: Please send a quote for 40 oak barrels before March.\n"
)
CHARSETS = ["zlib", "rot13", "zlib_codec", "bz2", "base64", "hex", "uu", "quopri", "x-unknown-7", "utf-7",
            "idna", "punycode", "unicode_escape", "raw_unicode_escape", "utf-32", "cp65001", "", "\x00", "utf-8\""]
CTES = ["base64", "quoted-printable", "x-uuencode", "8bit", "7bit", "binary", "gzip", "b", "q"]


def headers(rng: random.Random, extra: str = "", subject: str | None = "Quote request") -> str:
    lines = ["From: Orchard Forms <forms@orchard-lane.example>", "To: sales@cidermill.example",
             f"Message-ID: <fz-{rng.getrandbits(48):x}@orchard-lane.example>"]
    if subject is not None:
        lines.append(f"Subject: {subject}")
    return "\r\n".join(lines) + "\r\n" + extra


def m_charset(rng: random.Random) -> bytes:
    charset = rng.choice(CHARSETS)
    cte = rng.choice(["8bit", "base64", "quoted-printable"])
    body = LEAD.encode()
    if cte == "base64":
        body = base64.encodebytes(body)
    elif cte == "quoted-printable":
        body = body.replace(b"=", b"=3D")
    subject = f"=?{charset}?b?{base64.b64encode(b'Quote please').decode()}?="
    extra = f"Content-Type: text/plain; charset=\"{charset}\"\r\nContent-Transfer-Encoding: {cte}\r\n"
    return (headers(rng, extra, subject) + "\r\n").encode() + body


def m_two_subjects(rng: random.Random) -> bytes:
    extra = "Subject: " + rng.choice(["", "Second subject", "=?utf-8?q?=C3=A9?=", "\t"]) + "\r\n"
    if rng.random() < 0.5:
        extra += "Subject: third\r\n"
    return (headers(rng, extra) + "\r\n" + LEAD).encode()


def m_encoded_subject(rng: random.Random) -> bytes:
    size = rng.choice([2_000, 20_000, 200_000, 1_000_000])
    word = "=?utf-8?b?" + base64.b64encode("Angebot für Fässer ".encode()).decode() + "?="
    subject = " ".join([word] * (size // len(word)))
    return (headers(rng, subject=subject) + "\r\n" + LEAD).encode()


def m_nul_html(rng: random.Random) -> bytes:
    count = rng.choice([1_000, 10_000, 40_000])
    entity = rng.choice(["&#0;", "&#x0;", "&#65533;", "\ufffd", "&#xD800;", "&#1114112;"])
    html = f"<html><body><p>{entity * count}</p><p>{LEAD.replace(chr(10), '<br>')}</p></body></html>"
    return (headers(rng, "Content-Type: text/html; charset=utf-8\r\n") + "\r\n" + html).encode()


def m_long_token(rng: random.Random) -> bytes:
    size = rng.choice([10_000, 100_000, 300_000])
    token = "".join(rng.choice("abcdefghij.-_0123456789") for _ in range(64)) * (size // 64)
    where = rng.choice(["body", "email", "name", "phone"])
    body = LEAD
    if where == "body":
        body = LEAD + token + "\n"
    elif where == "email":
        body = LEAD.replace("w.castellanos@orchard-lane.example", token)
    elif where == "name":
        body = LEAD.replace("Wilhelmina Castellanos", token)
    else:
        body = LEAD.replace("415-555-0187", "4" * size)
    return (headers(rng) + "\r\n" + body).encode()


def m_xml(rng: random.Random) -> bytes:
    kind = rng.choice(["deep", "text", "attrs", "broken", "entity"])
    if kind == "deep":
        depth = rng.choice([500, 5_000, 50_000])
        return ("<?xml version='1.0'?><adf><prospect>" + "<a>" * depth + "x" + "</a>" * depth
                + "</prospect></adf>").encode()
    if kind == "text":
        size = rng.choice([100_000, 1_000_000, 3_000_000])
        return ("<?xml version='1.0'?><adf><prospect><customer><contact><name part='full'>"
                + "Wilhelmina " * (size // 11) + "</name></contact></customer></prospect></adf>").encode()
    if kind == "attrs":
        attrs = " ".join(f"a{i}='{i}'" for i in range(rng.choice([1_000, 20_000])))
        return f"<?xml version='1.0'?><adf><prospect {attrs}/></adf>".encode()
    if kind == "entity":
        return (b"<?xml version='1.0'?><!DOCTYPE a [<!ENTITY x '" + b"y" * 1000 + b"'>]><adf><prospect>"
                + b"&x;" * 5000 + b"</prospect></adf>")
    return b"<?xml version='1.0'?><adf><prospect><customer><contact><name>" + LEAD.encode()[: rng.randint(1, 80)]


def m_json(rng: random.Random) -> bytes:
    kind = rng.choice(["deep", "truncated", "huge", "types"])
    if kind == "deep":
        depth = rng.choice([1_000, 100_000])
        return b"[" * depth + b"1" + b"]" * depth
    if kind == "truncated":
        text = json.dumps({"name": "Wilhelmina Castellanos", "email": "w.castellanos@orchard-lane.example",
                           "message": "Quote please"})
        return text[: rng.randint(1, len(text) - 1)].encode()
    if kind == "huge":
        return json.dumps({"name": "W" * rng.choice([100_000, 2_000_000]), "email": "a@b.example"}).encode()
    return json.dumps({"name": [1, None, {"x": True}], "email": 12, "phone": {"n": [1.5e308]}, "": ""}).encode()


def m_base64(rng: random.Random) -> bytes:
    size = rng.choice([200_000, 1_000_000, 4_000_000])
    payload = base64.encodebytes(rng.randbytes(size)).decode()
    kind = rng.choice(["text/plain", "text/html", "application/octet-stream", "image/png"])
    boundary = "b" + str(rng.getrandbits(32))
    body = (f"--{boundary}\r\nContent-Type: text/plain\r\n\r\n{LEAD}\r\n--{boundary}\r\nContent-Type: {kind}\r\n"
            f"Content-Transfer-Encoding: base64\r\n\r\n{payload}\r\n--{boundary}--\r\n")
    extra = f"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"{boundary}\"\r\n"
    return (headers(rng, extra) + "\r\n" + body).encode()


def m_multipart(rng: random.Random) -> bytes:
    depth = rng.choice([1, 50, 500])
    body, extra = LEAD, "Content-Type: text/plain\r\n"
    for level in range(depth):
        boundary = f"lvl{level}"
        if rng.random() < 0.2:
            body = body.replace("--", "")  # a lost boundary
        body = f"--{boundary}\r\n{extra}\r\n{body}\r\n--{boundary}{'--' if rng.random() < 0.8 else ''}\r\n"
        subtype = rng.choice(["mixed", "alternative", "related"])
        extra = f"Content-Type: multipart/{subtype}; boundary=\"{boundary}\"\r\n"
    return (headers(rng, extra) + "\r\n" + body).encode()


def m_long_line(rng: random.Random) -> bytes:
    size = rng.choice([10_000, 100_000, 500_000])
    label = rng.choice(["Name", "Message", "Address", "Comments", "Phone"])
    vocabulary = ["Oak", "barrel", "Lane", "12", "St.", "quote", "Castellanos"]
    words = " ".join(rng.choice(vocabulary) for _ in range(size // 6))
    return (headers(rng) + "\r\n" + LEAD + f"{label}: {words}\n").encode()


def m_flip(rng: random.Random) -> bytes:
    base = bytearray(m_plain(rng))
    for _ in range(rng.randint(1, 40)):
        op = rng.random()
        at = rng.randrange(len(base))
        if op < 0.5:
            base[at] = rng.randrange(256)
        elif op < 0.8:
            base[at:at] = rng.choice([b"\r\n", b"=?", b"?=", b"\x00", b"<", b"&#", b":", b"--", b"\xff\xfe"])
        else:
            del base[at: at + rng.randint(1, 20)]
    return bytes(base)


def m_plain(rng: random.Random) -> bytes:
    return (headers(rng) + "\r\n" + LEAD).encode()


Mutator = Callable[[random.Random], bytes]
#: (mutator, weight, channel, name hint): the heavy inputs are fewer, as on a real mail server
MUTATORS: list[tuple[Mutator, int, str, str | None]] = [
    (m_flip, 600, "smtp", None),
    (m_charset, 100, "smtp", None),
    (m_two_subjects, 60, "smtp", None),
    (m_multipart, 60, "smtp", None),
    (m_json, 60, "http", None),
    (m_xml, 40, "http", None),
    (m_long_token, 20, "smtp", None),
    (m_long_line, 20, "smtp", None),
    (m_nul_html, 15, "smtp", None),
    (m_encoded_subject, 15, "smtp", None),
    (m_base64, 10, "smtp", None),
]


@dataclass
class Outcome:
    index: int
    kind: str
    seconds: float
    result: str  # "ok", "input_error", "over_budget", "uncaught"
    reason: str = ""
    cpu: float = 0.0


def generate(seed: int, index: int) -> tuple[str, RawMessage]:
    """Input ``index`` of the run seeded ``seed``: made again from these two alone (inputs are not kept)."""
    rng = random.Random(f"{seed}:{index}")
    mutator, _, channel, hint = rng.choices(MUTATORS, [weight for _, weight, _, _ in MUTATORS])[0]
    return mutator.__name__[2:], RawMessage(raw=mutator(rng), channel=channel, name_hint=hint)  # type: ignore[arg-type]


class InProcess:
    def __init__(self) -> None:
        self._extractor = Extractor()

    async def read(self, message: RawMessage) -> Extraction:
        began = time.process_time()
        try:
            return self._extractor.extract(message)
        finally:
            last_read_cpu_seconds.set(time.process_time() - began)

    async def close(self) -> None:
        return None


def _peak_rss_kib(pids: list[int]) -> int:
    peak = 0
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                peak = max(peak, int(line.split()[1]))
    return peak


async def run(args: argparse.Namespace) -> int:
    reader: Reader
    pids: Callable[[], list[int]]
    if args.in_process:
        reader = InProcess()
        pids = lambda: []  # noqa: E731
    else:
        processes = ProcessReader(ExtractionSettings(), NlpSettings(), processes=args.processes, budget=args.budget)
        await processes.start()
        reader = processes
        pids = lambda: [worker.pid for worker in processes._all]  # noqa: E731
    outcomes: list[Outcome] = []
    peak_rss = 0
    queue: asyncio.Queue[int] = asyncio.Queue()
    for index in range(args.count):
        queue.put_nowait(index)

    async def work() -> None:
        while not queue.empty():
            index = queue.get_nowait()
            kind, message = generate(args.seed, index)
            started = time.perf_counter()
            try:
                await reader.read(message)
                result, reason = "ok", ""
            except ReadAborted as exc:
                result, reason = "over_budget", str(exc)
            except InputError as exc:
                result, reason = "input_error", str(exc)
            except Exception as exc:
                result = "uncaught"
                reason = "".join(traceback.format_exception_only(exc)).strip()[-500:]
            took = time.perf_counter() - started if args.in_process else last_read_seconds.get()
            outcomes.append(Outcome(index, kind, took, result, reason, last_read_cpu_seconds.get()))
            if len(outcomes) % 500 == 0:
                print(f"  {len(outcomes)}/{args.count} read", file=sys.stderr, flush=True)

    async def sample() -> None:
        nonlocal peak_rss
        while True:
            peak_rss = max(peak_rss, _peak_rss_kib(pids()))
            await asyncio.sleep(0.2)

    sampler = asyncio.create_task(sample())
    began = time.perf_counter()
    try:
        await asyncio.gather(*(work() for _ in range(1 if args.in_process else args.processes)))
    finally:
        sampler.cancel()
        peak_rss = max(peak_rss, _peak_rss_kib(pids()))
        await reader.close()
    wall = time.perf_counter() - began
    if args.in_process:
        peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    # as the service keeps them for `leadbot replay`: every input not read, with why (the sender's fault or ours)
    kept = [o for o in outcomes if o.result != "ok" or o.seconds > SLOW]
    with args.out.open("w") as sink:
        for outcome in sorted(kept, key=lambda o: o.index):
            message = generate(args.seed, outcome.index)[1]
            sink.write(json.dumps({
                "index": outcome.index, "kind": outcome.kind, "seconds": round(outcome.seconds, 3),
                "cpu_seconds": round(outcome.cpu, 3),
                "result": outcome.result, "reason": outcome.reason, "channel": message.channel,
                "raw_base64": base64.b64encode(message.raw).decode(),
            }) + "\n")

    seconds = sorted(o.seconds for o in outcomes)
    p99 = seconds[min(len(seconds) - 1, int(len(seconds) * 0.99))]
    uncaught = [o for o in outcomes if o.result == "uncaught"]
    slow = [o for o in outcomes if o.seconds > SLOW]
    over = [o for o in outcomes if o.result == "over_budget"]
    cpu = sorted(o.cpu for o in outcomes)
    cpu_p99 = cpu[min(len(cpu) - 1, int(len(cpu) * 0.99))]
    mode = "in this process, no budget" if args.in_process else f"{args.processes} worker(s), budget {args.budget:g} s"
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"fuzz: {len(outcomes)} inputs, seed {args.seed}, {mode}, {wall:.0f} s wall, load average {load} "
          f"(at the start: {args.load_at_start})")
    print(f"  uncaught exceptions   {len(uncaught):>8}      goal 0")
    print(f"  inputs over {SLOW:g} s      {len(slow):>8}      goal 0   (stopped at the budget: {len(over)}; "
          f"over {SLOW:g} s of CPU: {sum(1 for o in outcomes if o.cpu > SLOW)})")
    print(f"  p99 per input         {p99:>8.3f} s    goal < {SLOW:g} s   (median {statistics.median(seconds):.3f} s; "
          f"CPU p99 {cpu_p99:.3f} s, max {cpu[-1]:.3f} s)")
    print(f"  max per input         {seconds[-1]:>8.3f} s    goal < {SLOW:g} s")
    print(f"  peak RSS of a reader  {peak_rss / 1024:>8.0f} MiB  goal < 1024 MiB")
    by_kind: dict[str, list[str]] = {}
    for o in uncaught:
        by_kind.setdefault(o.reason.splitlines()[-1][:120], []).append(o.kind)
    for reason, kinds in sorted(by_kind.items(), key=lambda item: -len(item[1])):
        print(f"    uncaught x{len(kinds)} ({', '.join(sorted(set(kinds)))}): {reason}")
    slow_kinds: dict[str, int] = {}
    for o in slow:
        slow_kinds[o.kind] = slow_kinds.get(o.kind, 0) + 1
    if slow_kinds:
        ranked = sorted(slow_kinds.items(), key=lambda item: -item[1])
        print("    over 1 s by kind: " + ", ".join(f"{kind} {n}" for kind, n in ranked))
    refused: dict[str, int] = {}
    for o in outcomes:
        if o.result == "input_error":
            refused[o.reason[:70]] = refused.get(o.reason[:70], 0) + 1
    print(f"  refused as unreadable (the sender's fault, kept failed with the reason): {sum(refused.values())}")
    for reason, n in sorted(refused.items(), key=lambda item: -item[1])[:8]:
        print(f"    x{n}: {reason}")
    print(f"  failures kept for replay: {len(kept)} in {args.out}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--processes", type=int, default=2, help="reading processes (the service's default is 1)")
    parser.add_argument("--budget", type=float, default=5.0, help="seconds per input before it is stopped")
    parser.add_argument("--in-process", action="store_true", help="read in this process without a budget")
    parser.add_argument("--out", type=Path, default=Path("fuzz-failures.jsonl"))
    args = parser.parse_args()
    args.load_at_start = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return asyncio.run(run(args))


if __name__ == "__main__":
    raise SystemExit(main())
