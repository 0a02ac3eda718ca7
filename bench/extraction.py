"""Benchmark the lead reader on a mixed set: `.venv/bin/python bench/extraction.py [--count N] [--model NAME]`.

Generates lead messages in memory, an equal share of each kind the bot reads (all people and firms invented):
vendor mail (plain-text portal notifications and direct inquiries), HTML mail, ADF/XML, JSON webhooks, and
chat notes (prose, Slack-formatted, several leads in one note). Each goes through the whole rule pipeline,
``nlp.extractor.Extractor().extract(RawMessage(...))``, as `leadbot parse`, the service and chat intake call
it. Prints, each beside its goal:

- messages per second per core: messages / CPU seconds of this one-threaded process (goal ≥ 500), and the CPU
  milliseconds per message it comes from;
- p50 and p99 wall time per message;
- peak RSS of the process, start-up included (goal ≤ 250 MB);
- start-up time (vendor templates checked, spaCy pipeline and gazetteers built);
- the load average when it started: on a shared machine the per-core figure is lower than on an idle one.

With ``--worker`` the whole work of a reading process of `leadbot serve` per message is measured too (the message
unpickled, read, its phone facts worked out, the answer pickled: bot.intake.reader). With ``--model NAME`` an
installed spaCy model's NER is measured too (not part of the goals). Prints numbers;
asserts nothing (speed goals live here, never in timed unit tests). Exit status 0 unless a kind failed to read.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import random
import resource
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from email.message import EmailMessage
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nlp.extractor import Extractor
from nlp.settings import ModelNotInstalledError, NlpSettings
from parsers.lead import RawMessage

GOAL_RATE = 500.0  # messages per second per core
GOAL_RSS_MB = 250.0

FIRST = ["Jamie", "Priya", "Marcus", "Elena", "Tobias", "Lucía", "Oskar", "Hannah", "Mateo", "Greta", "Dorian",
         "Amelia", "Rafael", "Ingrid", "Colin", "Sofía", "Jürgen", "Nadia", "Wendell", "Isla", "Joaquim", "Solène"]
LAST = ["Whitcombe", "Natarajan", "Ellery", "Brandt", "Kessler", "Fernández", "Lindqvist", "Ostrowski",
        "Giménez", "Hartwell", "Ortega", "Marchetti", "Abernathy", "Renard", "van der Berg", "de Souza"]
FIRMS = ["Pinecrest Logistics LLC", "Bluefin Robotics Inc.", "Harborview Dental Group", "Quill & Ink Ltd",
         "Krüger & Söhne GmbH", "Talleres Ibarra S.L."]
VEHICLES = ["2019 Honda Civic EX", "2021 Toyota RAV4 Hybrid", "2022 Ford F-150 XLT", "2020 Subaru Outback"]
WANTS = ["a quote for a kitchen remodel", "a roof inspection", "a demo of the pro plan", "20 seats", "a showing"]
US_ADDRESSES = ["742 Evergreen Terrace, Springfield, IL 62704", "1200 Harbor Blvd, Oakland, CA 94607",
                "55 Oak Street, Portland, OR 97205"]
FILLER = ("We compared several offers and your reviews look good. Please let me know about financing, "
          "warranty and delivery, and whether a trade-in is possible. ")
KINDS = ("mail", "html", "adf", "json", "chat")


def _phone(rng: random.Random) -> str:
    area = rng.choice(["415", "312", "503", "720", "602"])
    return rng.choice([f"({area}) 555-01{rng.randint(10, 99)}", f"{area}-555-01{rng.randint(10, 99)}",
                       f"+1 {area} 555 01{rng.randint(10, 99)}"])


def _person(rng: random.Random) -> tuple[str, str, str]:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    local = f"{first}.{last}".lower().replace(" ", "")
    return first, last, f"{local}@{rng.choice(['gmail.com', 'outlook.com', 'pinecrest-logistics.example'])}"


def _mail(sender: str, subject: str, body: str, html: bool = False) -> bytes:
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = "leads@dealer.example"
    mail["Subject"] = subject
    mail.set_content(body, subtype="html" if html else "plain")
    return mail.as_bytes()


def vendor_mail(rng: random.Random) -> RawMessage:
    first, last, email = _person(rng)
    if rng.random() < 0.5:
        body = (f"New lead from CarFinder\n\nName: {first} {last}\nEmail: {email}\nPhone: {_phone(rng)}\n"
                f"Vehicle: {rng.choice(VEHICLES)}\nAddress: {rng.choice(US_ADDRESSES)}\n"
                f"Comments: {FILLER * rng.randint(0, 2)}Is it still available?\n")
        raw = _mail("CarFinder Leads <leads@carfinder.example>", "New lead", body)
    else:
        body = (f"Hi team,\n\nmy name is {first} {last} and I'm interested in the {rng.choice(VEHICLES)}. "
                f"{FILLER * rng.randint(0, 3)}\nYou can reach me at {_phone(rng)}.\n\nThanks,\n{first} {last}\n")
        raw = _mail(f"{first} {last} <{email}>", "Question about your car", body)
    return RawMessage(raw=raw, channel="smtp")


def html_mail(rng: random.Random) -> RawMessage:
    first, last, email = _person(rng)
    rows = "".join(f"<tr><td><b>{k}</b></td><td>{v}</td></tr>" for k, v in (
        ("Name", f"{first} {last}"), ("E-Mail", email), ("Telefon", _phone(rng)),
        ("Firma", rng.choice(FIRMS)), ("Nachricht", "Bitte um ein Angebot für " + rng.choice(WANTS)),
    ))
    body = f"<html><body><p>Neue Anfrage über das Kontaktformular</p><table>{rows}</table></body></html>"
    return RawMessage(raw=_mail("Formular <noreply@forms.example>", "Neue Anfrage", body, html=True),
                      channel="smtp")


def adf(rng: random.Random) -> RawMessage:
    first, last, email = _person(rng)
    year, make, model = rng.choice(VEHICLES).split(" ", 2)
    xml = (
        '<?xml version="1.0"?><?adf version="1.0"?><adf><prospect><requestdate>2026-03-04T09:12:00</requestdate>'
        f'<vehicle interest="buy" status="used"><year>{year}</year><make>{make}</make><model>{model}</model>'
        f'</vehicle><customer><contact><name part="first">{first}</name><name part="last">{last}</name>'
        f'<email>{email}</email><phone type="voice">{_phone(rng)}</phone></contact>'
        "<comments>Please call after 5pm.</comments></customer>"
        "<vendor><vendorname>Lakeside Motors</vendorname></vendor></prospect></adf>"
    )
    return RawMessage(raw=xml.encode(), channel="http", name_hint="lead.xml")


def webhook(rng: random.Random) -> RawMessage:
    first, last, email = _person(rng)
    payload = {"form_id": rng.randint(1000, 9999), "submitted_at": "2026-03-04T09:12:00Z", "fields": {
        "first_name": first, "last_name": last, "email": email, "phone": _phone(rng),
        "company": rng.choice(FIRMS), "message": FILLER * rng.randint(0, 2) + "Do you ship to Canada?",
    }}
    return RawMessage(raw=json.dumps(payload).encode(), channel="http", name_hint="lead.json")


def chat(rng: random.Random) -> RawMessage:
    first, last, email = _person(rng)
    style = rng.randrange(3)
    if style == 0:
        text = (f"Just got off a call with {first} {last}, VP Ops at {rng.choice(FIRMS)}. {email}, {_phone(rng)}. "
                f"Wants {rng.choice(WANTS)} by end of month.")
    elif style == 1:
        text = (f"<!here> new inbound :fire:\n• *Name:* {first} {last}\n• *Email:* <mailto:{email}|{email}>\n"
                f"• *Phone:* <tel:+13125550117|{_phone(rng)}>\n• wants {rng.choice(WANTS)}, cc <@U02AB3CD>")
    else:
        f2, l2, e2 = _person(rng)
        text = (f"two leads from the open house:\n1. {first} {last}, {email}, {_phone(rng)}, wants a 2br condo\n"
                f"2. {f2} {l2}, {e2}, {_phone(rng)}, looking at townhomes under 450k")
    return RawMessage(raw=text.encode(), channel="slack")


MAKERS: dict[str, Callable[[random.Random], RawMessage]] = {
    "mail": vendor_mail, "html": html_mail, "adf": adf, "json": webhook, "chat": chat,
}


def generate(count: int, seed: int = 7) -> list[tuple[str, RawMessage]]:
    rng = random.Random(seed)
    return [(KINDS[i % len(KINDS)], MAKERS[KINDS[i % len(KINDS)]](rng)) for i in range(count)]


def _percentile(samples: Sequence[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _rss_mb() -> float:
    # ru_maxrss is in KiB on Linux (bytes on macOS)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def run(label: str, extractor: Extractor, messages: list[tuple[str, RawMessage]]) -> bool:
    for _kind, raw in messages[:25]:
        extractor.extract(raw)  # warm-up
    latencies: list[float] = []
    found: Counter[str] = Counter()
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for kind, raw in messages:
        t0 = time.perf_counter()
        extraction = extractor.extract(raw)
        latencies.append((time.perf_counter() - t0) * 1000)
        found[kind] += bool(extraction.leads)
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    rate = len(messages) / cpu
    print(f"{label}: {len(messages)} messages in {wall:.2f} s wall, {cpu:.2f} s CPU")
    print(f"  messages/s per core   {rate:9.0f}    goal ≥ {GOAL_RATE:.0f}   {'ok' if rate >= GOAL_RATE else 'MISSED'}")
    print(f"  CPU per message       {cpu * 1000 / len(messages):9.2f} ms")
    print(f"  p50 per message       {statistics.median(latencies):9.2f} ms")
    print(f"  p99 per message       {_percentile(latencies, 0.99):9.2f} ms")
    per_kind = Counter(kind for kind, _raw in messages)
    print("  read a lead           " + ", ".join(f"{k} {found[k]}/{per_kind[k]}" for k in KINDS))
    return all(found[k] == per_kind[k] for k in KINDS)


def run_worker_path(extractor: Extractor, messages: list[tuple[str, RawMessage]]) -> None:
    """What a reading process of `leadbot serve` does per message (bot.intake.reader): the message unpickled, read,
    its leads' phone facts worked out, the answer pickled for the service. Prints its CPU per message."""
    from bot.slack.phones import facts_of_leads  # bot only here: the goals above are the readers' own

    for _kind, raw in messages[:25]:
        facts_of_leads(extractor.extract(raw).leads)  # warm-up: the geocoder's data loads on first use
    sent = [pickle.dumps(raw, pickle.HIGHEST_PROTOCOL) for _kind, raw in messages]
    cpu0 = time.process_time()
    answered = 0
    for data in sent:
        began = time.process_time()
        extraction = extractor.extract(pickle.loads(data))
        facts = facts_of_leads(extraction.leads)
        answer = ("done", (extraction, time.process_time() - began, facts), time.process_time())
        answered += len(pickle.dumps(answer, pickle.HIGHEST_PROTOCOL))
    cpu = time.process_time() - cpu0
    print(f"reading process path (unpickle, read, phone facts, pickle the answer): "
          f"{cpu * 1000 / len(sent):.2f} ms CPU per message, answers {answered / len(sent):.0f} bytes on average")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=1000, help="messages to generate (default 1000)")
    parser.add_argument("--model", help="an installed spaCy model to measure as well (not part of the goals)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--worker", action="store_true",
                        help="also measure a reading process's whole work per message (bot.intake.reader)")
    args = parser.parse_args(argv)

    messages = generate(args.count, args.seed)
    print(f"{len(messages)} messages, {len(messages) // len(KINDS)} of each kind ({', '.join(KINDS)}); "
          f"Python {sys.version.split()[0]}; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
          f"on {os.cpu_count()} CPU(s) (CPU-time figures drift up on a busy machine)")
    started = time.perf_counter()
    extractor = Extractor()
    print(f"start-up (templates, spaCy pipeline, gazetteers): {time.perf_counter() - started:.2f} s")
    ok = run("rules", extractor, messages)
    rss = _rss_mb()
    verdict = "ok" if rss <= GOAL_RSS_MB else "MISSED"
    print(f"  peak RSS              {rss:9.0f} MB  goal ≤ {GOAL_RSS_MB:.0f}   {verdict}")
    if args.worker:
        run_worker_path(extractor, messages)
    if args.model:
        try:
            ok = run(f"model {args.model}", Extractor(nlp=NlpSettings(model=args.model)), messages) and ok
        except ModelNotInstalledError as exc:
            print(f"model: skipped ({exc})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
