"""The leads of new people, filed as a group (issue 11): contacts, leads, intake events, card posts and claim
timers in a few multi-row statements (SQLite) or in one (PostgreSQL), with the records the caller hands on."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, bindparam, insert, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from store.db import core_table
from store.records import LeadRecord, LeadStatus, NewLead, OutboxRecord
from store.tables import Contact, Event, Lead, OutboxItem, SlaTimer, UTCDateTime


def lead_values(lead: NewLead, message_id: int | None, contact_id: int, now: datetime) -> dict[str, Any]:
    return {
        "message_id": message_id, "contact_id": contact_id, "vendor": lead.vendor, "channel": lead.channel,
        "fields": dict(lead.fields), "provenance": dict(lead.provenance), "score": lead.score, "grade": lead.grade,
        "reasons": list(lead.reasons), "status": LeadStatus.NEW, "owner": None, "created_at": now,
        "invalid": lead.invalid,
    }


def intake_data(lead: NewLead, how: str | None) -> dict[str, Any]:
    return {"vendor": lead.vendor, "channel": lead.channel, "grade": lead.grade, "score": lead.score,
            "contact_match": how}


# Issue 11: the statements every intake group runs, built once (building one and its cache key cost the service
# more CPU than running it). Rows are parameters (multi-row "insertmanyvalues" batches).


@functools.cache
def _new_contacts() -> Any:
    table = core_table(Contact)
    return insert(table).returning(table.c.id, table.c.email, table.c.phone, table.c.name, table.c.postal_code)


@functools.cache
def _new_people_statements() -> tuple[Any, Any, Any, Any]:
    """Leads (returning id and contact id), intake events, card posts, claim timers."""
    leads = core_table(Lead)
    return (insert(leads).returning(leads.c.id, leads.c.contact_id), insert(core_table(Event)),
            insert(core_table(OutboxItem)), insert(core_table(SlaTimer)))


@functools.cache
def _leased_cards_statement() -> Any:
    """Card posts stored leased (`file_leads`' ``card_lease``), returning their ids by lead (one card per lead)."""
    items = core_table(OutboxItem)
    return insert(items).returning(items.c.id, items.c.lead_id)


def insert_contacts(session: Session, contacts: Sequence[Contact], now: datetime) -> list[int]:
    """New contacts in one multi-row INSERT; their ids in the order given.

    The returned rows are matched to the contacts by their values, which differ within a batch (a contact
    like an earlier one of the batch matched it instead of being created). Should two be alike after all,
    the ordered form is used (one INSERT per row on SQLite, which cannot order a multi-row one).
    """
    table = core_table(Contact)
    rows = [{"email": c.email, "phone": c.phone, "name": c.name, "postal_code": c.postal_code, "created_at": now}
            for c in contacts]
    keys = [(r["email"], r["phone"], r["name"], r["postal_code"]) for r in rows]
    if len(set(keys)) < len(keys):
        created = session.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows)
        return [int(i) for i in created.scalars()]
    result = session.execute(_new_contacts(), rows)
    by_values = {(email, phone, name, postal_code): int(cid) for cid, email, phone, name, postal_code in result.all()}
    return [by_values[key] for key in keys]


def insert_new_people(
    session: Session, leads: Sequence[tuple[NewLead, int | None, int]], actor: str, now: datetime,
    card_lease: tuple[str, datetime] | None = None, handed: list[tuple[OutboxRecord, LeadRecord]] | None = None,
) -> list[LeadRecord]:
    """Leads (with message id and contact id), each from a contact created for it (so none is a repeat), in
    multi-row statements: leads, intake events, card posts and claim timers."""
    values = [lead_values(lead, message_id, contact_id, now) for lead, message_id, contact_id in leads]
    # Each lead has a contact of its own here: the contact id tells which returned id is whose. (Ordered
    # RETURNING would run one INSERT per row on SQLite, which cannot order a multi-row one.)
    new_leads, *others = _new_people_statements()
    result = session.execute(new_leads, values)
    by_contact = {int(contact_id): int(lead_id) for lead_id, contact_id in result.all()}
    ids = [by_contact[row["contact_id"]] for row in values]
    events, items, timers = [], [], []
    for (lead, _, contact_id), lead_id in zip(leads, ids, strict=True):
        events.append({"lead_id": lead_id, "contact_id": contact_id, "kind": "intake", "actor": actor, "at": now,
                       "data": intake_data(lead, None)})
        if lead.post_to:
            items.append({"kind": "post_card", "lead_id": lead_id, "channel": lead.post_to, "payload": {},
                          "status": "pending", "attempts": 0, "claims": 0, "created_at": now,
                          "next_attempt_at": now})
            if lead.claim_due_at is not None:
                timers.append({"lead_id": lead_id, "kind": "claim", "step": 0, "started_at": now,
                               "due_at": lead.claim_due_at, "status": "pending"})
    leased = card_lease is not None and handed is not None and bool(items)
    if leased:
        assert card_lease is not None
        for item in items:
            item.update(lease_owner=card_lease[0], leased_until=card_lease[1], claims=1)
        card_ids = {int(lead_id): int(item_id) for item_id, lead_id in
                    session.execute(_leased_cards_statement(), items).all()}
        items = []
    for statement, rows in zip(others, (events, items, timers), strict=True):
        if rows:
            session.execute(statement, rows)  # Core: no ORM bulk bookkeeping
    return _filed([lead for lead, _, _ in leads], values, ids, now, card_ids if leased else None, handed)


def _filed(
    leads: Sequence[NewLead], values: Sequence[dict[str, Any]], ids: Sequence[int], now: datetime,
    card_ids: dict[int, int] | None, handed: list[tuple[OutboxRecord, LeadRecord]] | None,
) -> list[LeadRecord]:
    """The records of leads just filed (``values``: their rows, ``ids`` their ids); with ``card_ids`` (the ids of
    their cards, stored leased, by lead id) each card is appended to ``handed`` with its lead."""
    records = [LeadRecord(id=lead_id, message_id=row["message_id"], contact_id=row["contact_id"],
                          vendor=row["vendor"], channel=row["channel"], fields=dict(row["fields"]),
                          provenance=dict(row["provenance"]), score=row["score"], grade=row["grade"],
                          reasons=tuple(row["reasons"]), status=row["status"], owner=None, created_at=now,
                          invalid=bool(row["invalid"]))
               for row, lead_id in zip(values, ids, strict=True)]
    if card_ids is not None and handed is not None:
        for lead, record in zip(leads, records, strict=True):
            if lead.post_to:
                # a record of its own for the outbox (the caller's is theirs to keep)
                handed.append((OutboxRecord(id=card_ids[record.id], kind="post_card", lead_id=record.id,
                                            channel=lead.post_to, payload={}, attempts=0, created_at=now,
                                            next_attempt_at=now, claims=1),
                               replace(record, fields=dict(record.fields), provenance=dict(record.provenance))))
    return records


#: PostgreSQL: the leads of new people, each with its contact, intake event, card post and claim timer, in ONE
#: statement (issue 11: five round trips per intake group were one each). Rows come as arrays, one element per
#: lead; ids are drawn from the sequences first, so each sub-statement knows them (the foreign keys are checked
#: at the end of the statement, when every row is in).
_NEW_PEOPLE_SQL = """
WITH input AS MATERIALIZED (
    SELECT t.*, nextval(pg_get_serial_sequence('contacts', 'id')) AS contact_id,
           nextval(pg_get_serial_sequence('leads', 'id')) AS lead_id
    FROM unnest(CAST(:emails AS text[]), CAST(:phones AS text[]), CAST(:names AS text[]),
                CAST(:postals AS text[]), CAST(:message_ids AS bigint[]), CAST(:vendors AS text[]),
                CAST(:channels AS text[]), CAST(:fields AS json[]), CAST(:provenances AS json[]),
                CAST(:scores AS integer[]), CAST(:grades AS text[]), CAST(:reasons AS json[]),
                CAST(:invalids AS boolean[]), CAST(:events AS json[]), CAST(:posts AS text[]),
                CAST(:claim_dues AS timestamptz[]))
         WITH ORDINALITY AS t(email, phone, name, postal_code, message_id, vendor, channel, fields, provenance,
                              score, grade, reasons, invalid, event, post_to, claim_due, n)
), contacts_in AS (
    INSERT INTO contacts (id, email, phone, name, postal_code, created_at)
    SELECT contact_id, email, phone, name, postal_code, CAST(:now AS timestamptz) FROM input
), leads_in AS (
    INSERT INTO leads (id, message_id, contact_id, vendor, channel, fields, provenance, score, grade, reasons,
                       status, created_at, invalid)
    SELECT lead_id, message_id, contact_id, vendor, channel, fields, provenance, score, grade, reasons, :status,
           CAST(:now AS timestamptz), invalid FROM input
), events_in AS (
    INSERT INTO events (lead_id, contact_id, kind, actor, at, data)
    SELECT lead_id, contact_id, 'intake', :actor, CAST(:now AS timestamptz), event FROM input
), cards_in AS (
    INSERT INTO outbox (kind, lead_id, channel, payload, status, attempts, claims, created_at, next_attempt_at,
                        lease_owner, leased_until)
    SELECT 'post_card', lead_id, post_to, CAST('{}' AS json), 'pending', 0, :claims, CAST(:now AS timestamptz),
           CAST(:now AS timestamptz), :lease_owner, CAST(:leased_until AS timestamptz)
    FROM input WHERE post_to IS NOT NULL
    RETURNING id, lead_id
), timers_in AS (
    INSERT INTO sla_timers (lead_id, kind, step, started_at, due_at, status)
    SELECT lead_id, 'claim', 0, CAST(:now AS timestamptz), claim_due, 'pending'
    FROM input WHERE post_to IS NOT NULL AND claim_due IS NOT NULL
)
SELECT input.n, input.contact_id, input.lead_id, cards_in.id
FROM input LEFT JOIN cards_in ON cards_in.lead_id = input.lead_id
ORDER BY input.n
"""


@functools.cache
def _new_people_at_once() -> Any:
    """JSON values serialised as every other statement's are (the engine's serialiser, its errors); times in UTC."""
    as_json = ARRAY(JSON(), dimensions=1)  # a list value (the reasons) is one JSON value, not a dimension
    return text(_NEW_PEOPLE_SQL).bindparams(
        *(bindparam(name, type_=as_json) for name in ("fields", "provenances", "reasons", "events")),
        bindparam("claim_dues", type_=ARRAY(UTCDateTime(), dimensions=1)), bindparam("now", type_=UTCDateTime()),
        bindparam("leased_until", type_=UTCDateTime()),
    )


def file_new_people_at_once(
    session: Session, leads: Sequence[tuple[NewLead, int | None, Contact]], actor: str, now: datetime,
    card_lease: tuple[str, datetime] | None = None, handed: list[tuple[OutboxRecord, LeadRecord]] | None = None,
) -> list[LeadRecord]:
    """`insert_contacts` and `insert_new_people` in one statement (PostgreSQL): the same rows."""
    leased = card_lease is not None and handed is not None
    parameters = {
        "emails": [c.email for _, _, c in leads], "phones": [c.phone for _, _, c in leads],
        "names": [c.name for _, _, c in leads], "postals": [c.postal_code for _, _, c in leads],
        "message_ids": [message_id for _, message_id, _ in leads], "vendors": [lead.vendor for lead, _, _ in leads],
        "channels": [lead.channel for lead, _, _ in leads], "fields": [dict(lead.fields) for lead, _, _ in leads],
        "provenances": [dict(lead.provenance) for lead, _, _ in leads],
        "scores": [lead.score for lead, _, _ in leads], "grades": [lead.grade for lead, _, _ in leads],
        "reasons": [list(lead.reasons) for lead, _, _ in leads],
        "invalids": [bool(lead.invalid) for lead, _, _ in leads],
        "events": [intake_data(lead, None) for lead, _, _ in leads],
        "posts": [lead.post_to or None for lead, _, _ in leads],
        "claim_dues": [lead.claim_due_at for lead, _, _ in leads],
        "now": now, "actor": actor, "status": str(LeadStatus.NEW), "claims": 1 if leased else 0,
        "lease_owner": card_lease[0] if leased and card_lease else None,
        "leased_until": card_lease[1] if leased and card_lease else None,
    }
    rows = session.execute(_new_people_at_once(), parameters).all()
    values = [lead_values(lead, message_id, int(contact_id), now)
              for (lead, message_id, _), (_, contact_id, _, _) in zip(leads, rows, strict=True)]
    ids = [int(lead_id) for _, _, lead_id, _ in rows]
    card_ids = {int(lead_id): int(card_id) for _, _, lead_id, card_id in rows if card_id is not None}
    return _filed([lead for lead, _, _ in leads], values, ids, now, card_ids if leased else None, handed)
