"""The vendor ledger: the leads a vendor may owe credit for, the credit asked and granted, refund rates.

A lead's credit is a pair of events on it (``credit_requested``, ``credit_granted``), so the ledger keeps
who asked and when, like every other step of a lead. Which leads are refundable and why is policy (the
caller's); this module finds the candidates: a vendor's leads in a period that are repeats (status
``duplicate``, with the lead they repeat), that failed verification (the stored ``invalid`` flag), or that
were graded C (where the test entries are).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.db import to_record
from store.records import EventRecord, Grade, LeadNotFound, LeadRecord, LeadStatus
from store.store import Store
from store.tables import Event, Lead

#: the credit events, in the order they happen
CREDIT_KINDS = {"requested": "credit_requested", "granted": "credit_granted"}
#: how `leadbot stats` names leads without a vendor (as store.stats does)
NO_VENDOR = "(no vendor)"


@dataclass(frozen=True, slots=True)
class LedgerLead:
    """A candidate for the ledger: the lead, the lead it repeats (a duplicate), and its credit so far."""

    lead: LeadRecord
    repeat_of: int | None
    #: None, "requested" or "granted"
    credit: str | None


@dataclass(frozen=True, slots=True)
class RefundRate:
    vendor: str
    leads: int
    requested: int
    granted: int

    @property
    def rate(self) -> float:
        """Leads credited back / the vendor's leads in the period."""
        return self.granted / self.leads if self.leads else 0.0


def _of_vendor(query: Select[tuple[Lead]], vendor: str) -> Select[tuple[Lead]]:
    return query.where(Lead.vendor.is_(None) if vendor == NO_VENDOR else Lead.vendor == vendor)


async def ledger_candidates(store: Store, vendor: str, *, since: datetime, until: datetime) -> list[LedgerLead]:
    """``vendor``'s leads received in [since, until) that are repeats, failed verification or were graded C,
    oldest first, with the lead each repeat repeats and each lead's credit state."""
    query = _of_vendor(select(Lead), vendor).where(
        Lead.created_at >= since,
        Lead.created_at < until,
        or_(Lead.status == LeadStatus.DUPLICATE, Lead.invalid.is_(True), Lead.grade == Grade.C),
    ).order_by(Lead.created_at, Lead.id)
    async with AsyncSession(store.engine) as session:
        leads = [to_record(LeadRecord, row) for row in await session.scalars(query)]
        ids = [lead.id for lead in leads]
        events = list((await session.execute(
            select(Event.lead_id, Event.kind, Event.data)
            .where(Event.lead_id.in_(ids), Event.kind.in_(("duplicate", *CREDIT_KINDS.values())))
            .order_by(Event.id)
        )).all()) if ids else []
    repeats: dict[int, int] = {}
    credits: dict[int, str] = {}
    states = {kind: state for state, kind in CREDIT_KINDS.items()}
    for lead_id, kind, data in events:
        if kind == "duplicate" and isinstance(data, dict) and data.get("of_lead") is not None:
            repeats.setdefault(int(lead_id), int(data["of_lead"]))
        elif kind in states and credits.get(int(lead_id)) != "granted":
            credits[int(lead_id)] = states[kind]
    return [LedgerLead(lead, repeats.get(lead.id), credits.get(lead.id)) for lead in leads]


async def mark_credit(store: Store, lead_id: int, state: str, *, actor: str) -> EventRecord:
    """Record that credit was ``state`` ("requested" or "granted") for the lead, by ``actor``."""
    lead = await store.leads.get(lead_id)
    if lead is None:
        raise LeadNotFound(lead_id)
    return await store.events.record(lead_id, CREDIT_KINDS[state], actor=actor, data={"vendor": lead.vendor})


async def refund_rates(store: Store, *, since: datetime | None, until: datetime) -> list[RefundRate]:
    """Per vendor with leads received in the period: leads, credit requested and granted (each lead once)."""
    period = [Lead.created_at < until] + ([Lead.created_at >= since] if since is not None else [])
    credited = (
        select(Lead.vendor, Event.kind, func.count(func.distinct(Lead.id)))
        .join(Event, Event.lead_id == Lead.id)
        .where(*period, Event.kind.in_(CREDIT_KINDS.values()))
        .group_by(Lead.vendor, Event.kind)
    )
    totals = select(Lead.vendor, func.count()).where(*period).group_by(Lead.vendor)
    async with store.engine.connect() as conn:
        leads = {v: int(n) for v, n in (await conn.execute(totals)).all()}
        counts = {(v, k): int(n) for v, k, n in (await conn.execute(credited)).all()}
    rates = [
        RefundRate(
            vendor=vendor or NO_VENDOR,
            leads=n,
            requested=counts.get((vendor, CREDIT_KINDS["requested"]), 0),
            granted=counts.get((vendor, CREDIT_KINDS["granted"]), 0),
        )
        for vendor, n in leads.items()
    ]
    return sorted(rates, key=lambda r: (-r.leads, r.vendor))
