"""`leadbot leads --format csv|json`: stored leads for another system (a CRM import, a spreadsheet).

The admin's own command line, so nothing is masked. CSV has one column per lead field (`FIELD_NAMES`, in
that order) after the lead's facts; JSON is one array of objects with the fields, each field's provenance,
and the score's reasons.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from parsers.lead import FIELD_NAMES
from store.records import LeadRecord

FACTS = ("id", "created_at", "vendor", "channel", "grade", "score", "status", "owner", "outcome", "outcome_amount",
         "invalid")


def _when(lead: LeadRecord) -> str:
    return lead.created_at.isoformat()


def _facts(lead: LeadRecord) -> dict[str, Any]:
    return {
        "id": lead.id, "created_at": _when(lead), "vendor": lead.vendor, "channel": lead.channel,
        "grade": lead.grade, "score": lead.score, "status": lead.status, "owner": lead.owner,
        "outcome": lead.outcome, "outcome_amount": lead.outcome_amount, "invalid": lead.invalid,
    }  # fmt: skip


def leads_csv(leads: list[LeadRecord]) -> str:
    """One header row, then one row per lead: its facts, then every lead field (empty when not found)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*FACTS, *FIELD_NAMES])
    for lead in leads:
        facts = _facts(lead)
        writer.writerow([
            *("" if facts[name] is None else str(facts[name]) for name in FACTS),
            *(lead.value(name) or "" for name in FIELD_NAMES),
        ])  # fmt: skip
    return out.getvalue()


def leads_json(leads: list[LeadRecord]) -> str:
    """A JSON array: each lead's facts, ``fields``, ``provenance`` and ``reasons``."""
    rows = [
        {**_facts(lead), "fields": lead.fields, "provenance": lead.provenance, "reasons": list(lead.reasons)}
        for lead in leads
    ]
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
