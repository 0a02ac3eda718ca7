"""`leadbot vendors ledger VENDOR --since DATE`: the CSV a manager sends a vendor to ask for credit.

One row per lead the vendor should not have charged for, with every reason: a repeat of a lead it (or
another vendor) already sent, a lead whose email or phone failed verification (the stored ``invalid``
flag), a test entry; the credit asked or granted so far (`/leads credit`); and whom the lead was for when
the vendor is a portal (the dealer of an ADF lead).
"""

from __future__ import annotations

import asyncio
import csv
import io
import re
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from bot.cli.common import UsageError, open_existing
from bot.settings import Settings
from bot.slack.trust import stored_other_side
from store.db import utcnow
from store.ledger import LedgerLead, ledger_candidates
from store.records import LeadRecord

COLUMNS = ("lead_id", "received_utc", "vendor", "kinds", "reasons", "name", "email", "phone", "repeat_of", "credit",
           "for")
#: the assessor's wording for a test entry and a failed check (bot.assess.signals, bot.assess.scoring)
_TEST = re.compile(r"looks like a test entry")
_FAILED = re.compile(r"is not valid")
_POINTS = re.compile(r"^\s*[+-]\d+\s+")


@dataclass(frozen=True, slots=True)
class LedgerRow:
    lead_id: int
    received: datetime
    vendor: str
    kinds: tuple[str, ...]
    reasons: tuple[str, ...]
    name: str
    email: str
    phone: str
    repeat_of: int | None
    credit: str | None
    #: whom the lead was for, when the vendor is a portal ("dealer: Valley Toyota")
    for_: str = ""

    def cells(self) -> list[str]:
        return [
            str(self.lead_id), self.received.strftime("%Y-%m-%d %H:%M:%S"), self.vendor, "; ".join(self.kinds),
            "; ".join(self.reasons), self.name, self.email, self.phone,
            "" if self.repeat_of is None else str(self.repeat_of), self.credit or "", self.for_,
        ]  # fmt: skip


def ledger_row(found: LedgerLead, vendor: str) -> LedgerRow | None:
    """Why the vendor owes credit for this lead (None: it does not, a merely weak lead). Pure."""
    lead = found.lead
    kinds: list[str] = []
    reasons: list[str] = []
    if lead.status == "duplicate":
        kinds.append("duplicate")
        reasons.append(f"repeat of lead #{found.repeat_of}" if found.repeat_of else "repeat of an open lead")
    if lead.invalid:
        kinds.append("invalid")
        failed = [_POINTS.sub("", r) for r in lead.reasons if _FAILED.search(r)]
        reasons += failed or ["email or phone failed verification"]
    tests = [_POINTS.sub("", r) for r in lead.reasons if _TEST.search(r)]
    if tests:
        kinds.append("test")
        reasons += tests
    if not kinds:
        return None
    return LedgerRow(
        lead_id=lead.id, received=lead.created_at, vendor=lead.vendor or vendor, kinds=tuple(kinds),
        reasons=tuple(reasons), name=lead.display_name if lead.display_name != f"Lead #{lead.id}" else "",
        email=lead.value("email") or "", phone=lead.value("phone") or "", repeat_of=found.repeat_of,
        credit=found.credit, for_=for_text(lead),
    )  # fmt: skip


def for_text(lead: LeadRecord) -> str:
    """"dealer: Valley Toyota" from the lead's stored other side (`bot.slack.trust.stored_other_side`)."""
    return "; ".join(f"{role}: {name}" for role, name in stored_other_side(lead).items())


def ledger_csv(rows: list[LedgerRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(row.cells() for row in rows)
    return out.getvalue()


def parse_day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{option} {text!r}: give a date as YYYY-MM-DD") from None


async def run_ledger(
    settings: Settings, vendor: str, *, since: str, until: str | None, out: Path | None
) -> int:
    start = datetime.combine(parse_day(since, "--since"), time(), tzinfo=UTC)
    # --until names the last day included
    end = datetime.combine(parse_day(until, "--until"), time(), tzinfo=UTC) + timedelta(days=1) if until else utcnow()
    if end <= start:
        raise UsageError("--until is before --since")
    store = await open_existing(settings)
    try:
        found = await ledger_candidates(store, vendor, since=start, until=end)
    finally:
        await store.close()
    rows = [row for f in found if (row := ledger_row(f, vendor))]
    text = ledger_csv(rows)
    if out is None:
        sys.stdout.write(text)
    else:
        await asyncio.to_thread(out.write_text, text, encoding="utf-8")
        print(f"{len(rows)} lead(s) for {vendor} written to {out}")
    return 0
