"""Benchmark the free-text lead reader: `.venv/bin/python bench/extraction.py [--count N] [--model NAME]`.

Generates varied synthetic lead messages in memory (plain text, HTML-ish, German, Spanish, forwards; all
people invented), then measures
  (a) the rules pipeline through ``nlp.freetext.read_free_texts`` (batched) and ``read_free_text`` (one by one,
      for per-message latency),
  (b) the whole ``nlp.extractor.Extractor().extract(RawMessage(...))`` on the same messages as emails, when
      that module is importable,
  (c) with ``--model NAME``, (a) again with that installed spaCy model's NER alongside the rules.
Prints messages/second, per-message p50/p99 in ms and peak memory (tracemalloc peak of a separate pass,
and the process's max RSS). Prints numbers only; it asserts nothing about time.
"""

from __future__ import annotations

import argparse
import gc
import random
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from email.message import EmailMessage
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nlp.freetext import read_free_text, read_free_texts
from nlp.pipeline import ModelNotInstalledError, build_nlp
from nlp.settings import NlpSettings

FIRST = ["Jamie", "Priya", "Marcus", "Elena", "Tobias", "Lucía", "Oskar", "Hannah", "Mateo", "Greta", "Dorian",
         "Amelia", "Rafael", "Ingrid", "Colin", "Sofía", "Jürgen", "Nadia", "Wendell", "Isla"]
LAST = ["Whitcombe", "Natarajan", "Ellery", "Brandt", "Kessler", "Fernández", "Lindqvist", "Ostrowski",
        "Giménez", "Hartwell", "Ortega", "Marchetti", "Abernathy", "Renard", "Montgomery", "Becker"]
RECIPIENTS = ["Christopher", "Team", "Sales Team", "Mr. Whitfield", "Sarah"]
VEHICLES = ["2019 Honda Civic EX", "2021 Toyota RAV4 Hybrid", "2022 Ford F-150 XLT", "2020 Subaru Outback",
            "2018 Mazda CX-5 Touring", "2023 Kia Sorento", "2017 BMW X3", "2024 Hyundai Tucson"]
SERVICES = ["kitchen remodeling", "roof inspection", "a fleet of five vans", "weekly cleaning service",
            "solar panel installation", "a two-bedroom condo downtown"]
BUDGETS = ["$25,000", "around 25k", "between $300k and $500k", "under $40,000", "up to $18,500", "about 30k"]
TIMELINES = ["ASAP", "as soon as possible", "next month", "within 2 weeks", "this afternoon", "in Q3",
             "by June", "no rush"]
US_ADDRESSES = ["742 Evergreen Terrace, Springfield, IL 62704", "1200 Harbor Blvd, Oakland, CA 94607",
                "55 Oak Street, Portland, OR 97205", "18 Birch Lane, Austin, TX 78701"]
COMPANIES = ["Pinecrest Logistics LLC", "Bluefin Robotics Inc.", "Harborview Dental Group", "Quill & Ink Ltd"]
DE_ADDRESSES = ["Lindenstraße 14, 10969 Berlin", "Hauptstraße 3, 80331 München", "Gartenweg 7, 50667 Köln"]
ES_ADDRESSES = ["Calle Mayor 12, 28013 Madrid", "Avenida de la Paz 40, 41001 Sevilla"]
FILLER = ("We have compared several offers already and your reviews look good. Please let me know what "
          "options there are for financing, warranty and delivery, and whether a trade-in is possible. ")


def _phone(rng: random.Random) -> str:
    area = rng.choice(["415", "312", "503", "720", "602"])
    return rng.choice([f"({area}) 555-01{rng.randint(10, 99)}", f"{area}-555-01{rng.randint(10, 99)}",
                       f"+1 {area} 555 01{rng.randint(10, 99)}"])


def generate(count: int, seed: int = 7) -> list[dict[str, str]]:
    """Synthetic lead messages: text, sender name/email and subject."""
    rng = random.Random(seed)
    out: list[dict[str, str]] = []
    for i in range(count):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        email = f"{first.lower()}.{last.lower()}@{rng.choice(['gmail.com', 'outlook.com', 'acme-build.example'])}"
        kind = i % 6
        if kind in (0, 1, 2):
            thing = rng.choice(VEHICLES if kind != 2 else SERVICES)
            text = (
                f"{rng.choice(['Hi', 'Hello', 'Dear'])} {rng.choice(RECIPIENTS)},\n\n"
                f"{rng.choice(['My name is', 'This is', 'I am'])} {first} {last}"
                f"{' from ' + rng.choice(COMPANIES) if rng.random() < 0.4 else ''}. "
                f"I'm interested in the {thing}. My budget is {rng.choice(BUDGETS)} and I'd like to decide "
                f"{rng.choice(TIMELINES)}. {FILLER * rng.randint(0, 3)}\n"
                f"You can reach me at {_phone(rng)}"
                f"{' or ' + email if rng.random() < 0.5 else ''}.\n"
                f"{'I live at ' + rng.choice(US_ADDRESSES) + '.' if rng.random() < 0.5 else ''}\n\n"
                f"{rng.choice(['Thanks,', 'Best regards,', 'Cheers,'])}\n{first} {last}\n"
            )
            subject = rng.choice([f"Question about the {thing}", "Inquiry", f"Contact us about your {thing}"])
        elif kind == 3:  # HTML-ish
            text = (
                f"<html><body><p>Hello,</p><p>I&#39;m {first} {last} and I want the {rng.choice(VEHICLES)}."
                f"</p><p>Phone: {_phone(rng)}<br>Budget: {rng.choice(BUDGETS)}</p>"
                f"<p>{FILLER}</p><p>Thanks,<br>{first}</p></body></html>"
            )
            subject = "Website inquiry"
        elif kind == 4:  # German
            text = (
                f"Hallo Herr Müller,\n\nich heiße {first} {last} und interessiere mich für den VW Golf 8 GTI. "
                f"Mein Budget liegt bei {rng.choice(['unter 30.000 €', 'bis zu 25.000 Euro', 'ca. 20.000 €'])}. "
                f"Ich möchte {rng.choice(['in 2 Wochen', 'sofort', 'nächsten Monat'])} kaufen.\n"
                f"Erreichbar unter +49 (0)30 {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}.\n"
                f"Adresse: {rng.choice(DE_ADDRESSES)}\n\nMit freundlichen Grüßen\n{first} {last}\n"
            )
            subject = "Anfrage zu Ihrem Golf"
        else:  # Spanish, sometimes forwarded
            body = (
                f"Hola,\n\nme llamo {first} {last} y estoy interesada en la propiedad en "
                f"{rng.choice(ES_ADDRESSES)}. Tengo un presupuesto de hasta 250.000 €. "
                f"Quisiera visitarla {rng.choice(['lo antes posible', 'dentro de un mes', 'esta semana'])}. "
                f"Mi celular: +54 9 11 {rng.randint(2000, 9999)}-{rng.randint(1000, 9999)}.\n\nSaludos,\n{first}\n"
            )
            if rng.random() < 0.5:
                body = (
                    "Team, please pick this one up.\n\nThanks,\nBrenda Kowalski\n\n"
                    "---------- Forwarded message ---------\n"
                    f"From: {first} {last} <{email}>\nDate: Tue, 4 Mar 2025 at 09:12\n"
                    "Subject: Consulta sobre la propiedad\n\n" + body
                )
            text, subject = body, "Consulta sobre la propiedad"
        out.append({"text": text, "sender_name": f"{first} {last}", "sender_email": email, "subject": subject})
    return out


def _percentiles(samples: Sequence[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return statistics.median(ordered), p99


def _report(label: str, count: int, total_s: float, latencies_ms: Sequence[float], peak_bytes: int) -> None:
    p50, p99 = _percentiles(latencies_ms)
    print(f"{label:<34} {count / total_s:>9.1f} msg/s   p50 {p50:6.2f} ms   p99 {p99:6.2f} ms   "
          f"tracemalloc peak {peak_bytes / 2**20:6.1f} MiB")


def _peak(fn: Callable[[], Any]) -> int:
    gc.collect()
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def bench_rules(label: str, settings: NlpSettings, messages: list[dict[str, str]], batch_size: int) -> None:
    started = time.perf_counter()
    nlp = build_nlp(settings)
    print(f"{label}: pipeline built in {time.perf_counter() - started:.2f} s ({', '.join(nlp.pipe_names)})")
    items = [(m["text"], {k: v for k, v in m.items() if k != "text"}) for m in messages]
    read_free_texts(nlp, items[:20], batch_size=batch_size)  # warm-up
    started = time.perf_counter()
    leads = read_free_texts(nlp, items, batch_size=batch_size)
    batch_s = time.perf_counter() - started
    latencies: list[float] = []
    for text, meta in items:
        t0 = time.perf_counter()
        read_free_text(nlp, text, **meta)
        latencies.append((time.perf_counter() - t0) * 1000)
    peak = _peak(lambda: read_free_texts(nlp, items, batch_size=batch_size))
    words = sum(len(m["text"].split()) for m in messages)
    _report(f"{label} read_free_texts", len(items), batch_s, latencies, peak)
    print(f"{'':<34} {words / batch_s:>9.0f} words/s (batched, batch_size={batch_size}); "
          f"fields found per message: {sum(len(lead.fields) for lead in leads) / len(leads):.1f}")


def _as_email(message: dict[str, str]) -> bytes:
    mail = EmailMessage()
    mail["From"] = f"{message['sender_name']} <{message['sender_email']}>"
    mail["To"] = "leads@dealer.example"
    mail["Subject"] = message["subject"]
    if message["text"].lstrip().startswith("<html"):
        mail.set_content(message["text"], subtype="html")
    else:
        mail.set_content(message["text"])
    return mail.as_bytes()


def bench_extractor(messages: list[dict[str, str]]) -> None:
    try:
        from nlp.extractor import Extractor
        from parsers.lead import RawMessage
    except ImportError as exc:
        print(f"extractor: skipped (nlp.extractor not importable: {exc})")
        return
    started = time.perf_counter()
    extractor = Extractor()
    print(f"extractor: built in {time.perf_counter() - started:.2f} s")
    raws = [RawMessage(raw=_as_email(m), channel="smtp", sender=m["sender_email"]) for m in messages]
    for raw in raws[:20]:
        extractor.extract(raw)
    latencies: list[float] = []
    started = time.perf_counter()
    for raw in raws:
        t0 = time.perf_counter()
        extractor.extract(raw)
        latencies.append((time.perf_counter() - t0) * 1000)
    total_s = time.perf_counter() - started
    peak = _peak(lambda: [extractor.extract(raw) for raw in raws])
    _report("Extractor.extract (whole mail)", len(raws), total_s, latencies, peak)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=300, help="messages to generate (default 300)")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--model", help="an installed spaCy model to measure alongside the rules")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    messages = generate(args.count, args.seed)
    words = [len(m["text"].split()) for m in messages]
    print(f"{len(messages)} synthetic messages, {min(words)}–{max(words)} words "
          f"(median {statistics.median(words):.0f}); Python {sys.version.split()[0]}")
    bench_rules("rules", NlpSettings(), messages, args.batch_size)
    bench_extractor(messages)
    if args.model:
        try:
            bench_rules(f"model {args.model}", NlpSettings(model=args.model), messages, args.batch_size)
        except ModelNotInstalledError as exc:
            print(f"model: skipped ({exc})")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"max RSS of this process: {rss / 1024:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
