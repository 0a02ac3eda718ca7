"""Contacts: one per person (issue 5). Matching a new lead to its person, the 360° history, and merges
made by hand or by a fuzzy match at intake, each undoable (unmerge)."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from store.db import Db, to_record
from store.events import add_event
from store.matching import NAME_THRESHOLD, name_similarity, names_compatible, normalise_postal
from store.one_of import one_of
from store.outbox import add_item
from store.records import ContactHistory, ContactRecord, EventRecord, LeadRecord, LeadStatus, NewLead
from store.tables import Contact, Event, Lead

#: values of one column per query at most when loading a `ContactIndex`
LOAD_CHUNK = 500
#: how a lead was matched to an existing contact ("name+postal" is a judgement, recorded as a merge)
BY_EMAIL, BY_PHONE, BY_NAME_POSTAL = "email", "phone", "name+postal"


def contact_phone(text: str | None, region: str) -> str | None:
    """`parsers.verify.contact_phone`, imported when first needed: phonenumbers, email-validator and
    nameparser take a third of a second to import, which the service's start-up does not wait for."""
    from parsers.verify import contact_phone as normalised

    return normalised(text, region)


def _full_name(fields: dict[str, str]) -> str:
    return fields.get("full_name") or " ".join(p for p in (fields.get("first_name"), fields.get("last_name")) if p)


def _order(contact: Contact) -> float:
    """Contacts in id order; one not stored yet (no id) comes after every stored one."""
    stored: int | None = contact.id
    return float("inf") if stored is None else stored


@functools.cache
def _index_query(dialect: str) -> Any:
    """The active contacts with one of ``index_emails``, ``index_phones`` or ``index_postals``, oldest first."""
    return select(Contact).where(
        or_(one_of(Contact.email, "index_emails", dialect), one_of(Contact.phone, "index_phones", dialect),
            one_of(Contact.postal_code, "index_postals", dialect)),
        Contact.merged_into.is_(None),
    ).order_by(Contact.id)


class ContactIndex:
    """The active contacts a batch of leads could match, fetched in three queries instead of three per lead.

    `find_or_create` given an index looks there instead of asking the database, with the same order and
    limits as its queries, and adds the contacts it creates, so later leads of the batch find them.
    """

    def __init__(self) -> None:
        self.by_email: dict[str, Contact] = {}
        self.by_phone: dict[str, list[Contact]] = {}
        self.by_postal: dict[str, list[Contact]] = {}

    @classmethod
    def load(cls, session: Session, leads: Sequence[NewLead]) -> ContactIndex:
        index = cls()
        emails = sorted({lead.contact_email for lead in leads if lead.contact_email})
        phones = sorted({lead.contact_phone for lead in leads if lead.contact_phone})
        postals = sorted({p for lead in leads if (p := normalise_postal(lead.fields.get("postal_code")))})
        keys = {"index_emails": emails, "index_phones": phones, "index_postals": postals}
        query = _index_query(session.get_bind().dialect.name)
        if all(len(values) <= LOAD_CHUNK for values in keys.values()):
            # One query, built once, for a batch of the usual size (issue 11: every intake group loads its index,
            # and each statement costs the service CPU); `add` makes a contact found twice count once.
            queries = [(query, keys)] if any(keys.values()) else []
        else:  # a large import batch: at most LOAD_CHUNK values per statement (bound-parameter limits)
            queries = [(query, {**{k: [] for k in keys}, key: values[start:start + LOAD_CHUNK]})
                       for key, values in keys.items() for start in range(0, len(values), LOAD_CHUNK)]
        for query, parameters in queries:
            for contact in session.scalars(query, parameters):
                index.add(contact)
        return index

    def match(self, lead: NewLead) -> tuple[Contact | None, str | None, float | None]:
        """`find_or_create`'s matching, in the index (same order and limits as its queries)."""
        if lead.contact_email:
            contact = self.by_email.get(lead.contact_email)
            if contact is not None:
                return contact, BY_EMAIL, None
        name = _full_name(lead.fields)
        postal = normalise_postal(lead.fields.get("postal_code"))
        by_phone = self.by_phone.get(lead.contact_phone, [])[:50] if lead.contact_phone else []
        by_postal = [c for c in self.by_postal.get(postal, []) if c.name][:500] if postal else []
        return _best(by_phone, by_postal, name, postal)

    def add(self, contact: Contact) -> None:
        """Index one contact (in id order: the first one kept per email is the oldest)."""
        if contact.email:
            known = self.by_email.get(contact.email)
            if known is None or _order(contact) < _order(known):
                self.by_email[contact.email] = contact
        for key, table in ((contact.phone, self.by_phone), (contact.postal_code, self.by_postal)):
            if key:
                bucket = table.setdefault(key, [])
                if contact not in bucket:
                    bucket.append(contact)
                    if len(bucket) > 1 and _order(bucket[-2]) > _order(contact):
                        bucket.sort(key=_order)


def find_or_create(
    session: Session, lead: NewLead, now: datetime, index: ContactIndex | None = None
) -> tuple[Contact, str | None, float | None]:
    """The person this lead is from: (contact, how it matched or None for a new one, name similarity).

    ``index``: the batch's contacts, looked up instead of queried (see `ContactIndex`).
    """
    name = _full_name(lead.fields)
    postal = normalise_postal(lead.fields.get("postal_code"))
    if index is not None:
        contact, how, similarity = index.match(lead)
    else:
        contact, how, similarity = _query_match(session, lead, name, postal)
    if contact is None:
        contact = new_contact(lead, now)
        session.add(contact)
        session.flush()
    else:
        fill(contact, lead)
    if index is not None:
        index.add(contact)
    return contact, how, similarity


def new_contact(lead: NewLead, now: datetime) -> Contact:
    """A contact of the lead's own (not yet added to any session)."""
    name = _full_name(lead.fields)
    return Contact(email=lead.contact_email, phone=lead.contact_phone, name=name or None,
                   postal_code=normalise_postal(lead.fields.get("postal_code")), created_at=now)


def fill(contact: Contact, lead: NewLead) -> None:
    """What the contact does not know yet, from the lead."""
    contact.email = contact.email or lead.contact_email
    contact.phone = contact.phone or lead.contact_phone
    contact.name = contact.name or _full_name(lead.fields) or None
    contact.postal_code = contact.postal_code or normalise_postal(lead.fields.get("postal_code"))


def _query_match(
    session: Session, lead: NewLead, name: str, postal: str | None
) -> tuple[Contact | None, str | None, float | None]:
    active = Contact.merged_into.is_(None)
    if lead.contact_email:
        contact = session.scalar(
            select(Contact).where(Contact.email == lead.contact_email, active).order_by(Contact.id).limit(1)
        )
        if contact is not None:
            return contact, BY_EMAIL, None
    by_phone: list[Contact] = []
    if lead.contact_phone:
        by_phone = list(session.scalars(
            select(Contact).where(Contact.phone == lead.contact_phone, active).order_by(Contact.id).limit(50)
        ))
    by_postal: Iterable[Contact] = ()
    if name and postal and not _phone_match(by_phone, name):
        by_postal = session.scalars(
            select(Contact)
            .where(Contact.postal_code == postal, Contact.name.is_not(None), active)
            .order_by(Contact.id)
            .limit(500)
        )
    return _best(by_phone, by_postal, name, postal)


def _phone_match(by_phone: Iterable[Contact], name: str) -> Contact | None:
    """A shared number (a company's switchboard) must not merge two people: the names must agree."""
    return next((c for c in by_phone if names_compatible(c.name, name)), None)


def _best(
    by_phone: Iterable[Contact], by_postal: Iterable[Contact], name: str, postal: str | None
) -> tuple[Contact | None, str | None, float | None]:
    """After no email match: the first phone match whose name agrees, else the closest name at the postal code."""
    contact = _phone_match(by_phone, name)
    if contact is not None:
        return contact, BY_PHONE, None
    if not (name and postal):
        return None, None, None
    best = 0.0
    for candidate in by_postal:
        score = name_similarity(candidate.name or "", name)
        if score >= NAME_THRESHOLD and score > best:
            contact, best = candidate, score
    return (contact, BY_NAME_POSTAL, best) if contact is not None else (None, None, best or None)


async def _requeue_duplicates(session: AsyncSession, lead_ids: list[int], now: datetime) -> list[int]:
    """Leads filed as repeats of a person they turned out not to be get the card they never had."""
    requeued = []
    for lead_id in lead_ids:
        row = await session.get(Lead, lead_id)
        if row is None or row.status != LeadStatus.DUPLICATE:
            continue
        dup = await session.scalar(
            select(Event).where(Event.lead_id == lead_id, Event.kind == "duplicate").order_by(Event.id).limit(1)
        )
        row.status, row.owner = LeadStatus.NEW, None
        post_to = (dup.data or {}).get("post_to") if dup else None
        if post_to:
            add_item(session, "post_card", lead_id, str(post_to), {}, now)
            requeued.append(lead_id)
    return requeued


class Contacts:
    def __init__(self, db: Db) -> None:
        self._db = db

    async def find(self, text: str, *, region: str = "US") -> int | None:
        """A contact's id from its id ("42", "#42"), email or phone (any format); merged ones lead on."""
        text = text.strip()
        async with self._db.read() as session:
            contact: Contact | None = None
            if text.lstrip("#").isdigit() and len(text.lstrip("#")) < 10:
                contact = await session.get(Contact, int(text.lstrip("#")))
            elif "@" in text:
                contact = await session.scalar(
                    select(Contact).where(func.lower(Contact.email) == text.lower()).order_by(Contact.id).limit(1)
                )
            else:
                phone = contact_phone(text, region)
                if phone:
                    contact = await session.scalar(
                        select(Contact).where(Contact.phone == phone).order_by(Contact.id).limit(1)
                    )
            seen = 0
            while contact is not None and contact.merged_into is not None and seen < 20:
                contact, seen = await session.get(Contact, contact.merged_into), seen + 1
            return contact.id if contact else None

    async def get(self, contact_id: int) -> ContactRecord | None:
        async with self._db.read() as session:
            row = await session.get(Contact, contact_id)
            return to_record(ContactRecord, row) if row else None

    async def history(self, contact_id: int) -> ContactHistory | None:
        """The 360° view: the contact, every lead and every event about them, newest first."""
        async with self._db.read() as session:
            row = await session.get(Contact, contact_id)
            if row is None:
                return None
            leads = await session.scalars(
                select(Lead).where(Lead.contact_id == contact_id).order_by(Lead.created_at.desc(), Lead.id.desc())
            )
            events = await session.scalars(
                select(Event).where(Event.contact_id == contact_id).order_by(Event.at.desc(), Event.id.desc())
            )
            return ContactHistory(
                contact=to_record(ContactRecord, row),
                leads=tuple(to_record(LeadRecord, r) for r in leads),
                events=tuple(to_record(EventRecord, e) for e in events),
            )

    async def merge(self, into_id: int, from_id: int, *, actor: str) -> EventRecord:
        """Make two contacts one: ``from_id``'s leads and events move to ``into_id``. Undo with `unmerge`."""
        if into_id == from_id:
            raise ValueError("a contact cannot be merged into itself")
        now = self._db.clock()
        async with self._db.write() as session:
            into, other = await session.get(Contact, into_id), await session.get(Contact, from_id)
            for cid, c in ((into_id, into), (from_id, other)):
                if c is None:
                    raise LookupError(f"no contact with id {cid}")
                if c.merged_into is not None:
                    raise ValueError(f"contact {cid} was already merged into {c.merged_into}")
            assert into is not None and other is not None
            lead_ids = list(await session.scalars(select(Lead.id).where(Lead.contact_id == from_id)))
            event_ids = list(await session.scalars(select(Event.id).where(Event.contact_id == from_id)))
            filled = {}
            for attr in ("email", "phone", "name", "postal_code"):
                if getattr(into, attr) is None and getattr(other, attr) is not None:
                    filled[attr] = getattr(other, attr)
                    setattr(into, attr, getattr(other, attr))
            await session.execute(update(Lead).where(Lead.contact_id == from_id).values(contact_id=into_id))
            await session.execute(update(Event).where(Event.contact_id == from_id).values(contact_id=into_id))
            other.merged_into = into_id
            data = {"how": "manual", "into": into_id, "from": from_id, "leads": lead_ids, "events": event_ids,
                    "filled": filled}
            ev = add_event(session, "merged", lead_id=None, contact_id=into_id, actor=actor, at=now, data=data)
            await session.flush()
            return to_record(EventRecord, ev)

    async def unmerge(self, event_id: int, *, actor: str) -> EventRecord:
        """Undo a merge (manual, or a fuzzy match made at intake): the leads go back to a contact of their own."""
        now = self._db.clock()
        async with self._db.write() as session:
            merged = await session.get(Event, event_id)
            if merged is None or merged.kind != "merged":
                raise LookupError(f"event {event_id} is not a merge")
            undone = await session.scalars(select(Event).where(Event.kind == "unmerged"))
            if any((e.data or {}).get("undoes") == event_id for e in undone):
                raise ValueError(f"merge {event_id} was already undone")
            data = dict(merged.data or {})
            into_id = int(data["into"])
            lead_ids = [int(i) for i in data.get("leads", [])]
            event_ids = [int(i) for i in data.get("events", [])]
            requeued: list[int] = []
            if data.get("from") is not None:
                target = await session.get(Contact, int(data["from"]))
                if target is None:
                    raise LookupError(f"contact {data['from']} is gone")
                target.merged_into = None
                into = await session.get(Contact, into_id)
                if into is not None:
                    for attr, value in (data.get("filled") or {}).items():
                        if getattr(into, attr) == value:
                            setattr(into, attr, None)
            else:
                # A fuzzy match at intake: the lead becomes a person of its own again.
                first = await session.get(Lead, lead_ids[0]) if lead_ids else None
                fields = dict(first.fields or {}) if first else {}
                target = Contact(
                    email=(fields.get("email") or "").strip().lower() or None,
                    phone=contact_phone(fields.get("phone"), "US"),
                    name=_full_name(fields) or None,
                    postal_code=normalise_postal(fields.get("postal_code")),
                    created_at=now,
                )
                session.add(target)
                await session.flush()
                event_ids = list(
                    await session.scalars(select(Event.id).where(Event.lead_id.in_(lead_ids), Event.id != event_id))
                )
                requeued = await _requeue_duplicates(session, lead_ids, now)
            if lead_ids:
                await session.execute(update(Lead).where(Lead.id.in_(lead_ids)).values(contact_id=target.id))
            if event_ids:
                await session.execute(update(Event).where(Event.id.in_(event_ids)).values(contact_id=target.id))
            data = {"undoes": event_id, "from": into_id, "to": target.id, "leads": lead_ids, "requeued": requeued}
            ev = add_event(session, "unmerged", lead_id=None, contact_id=target.id, actor=actor, at=now, data=data)
            await session.flush()
            return to_record(EventRecord, ev)
