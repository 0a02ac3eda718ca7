"""One contact per person, from the command line: the 360° view, merges and their undoing, re-scoring.

`leadbot contacts show <id|email|phone>` prints the contact, every lead and every event, newest first.
`leadbot contacts merge A B` makes B part of A (recorded as a ``merged`` event); `leadbot contacts
unmerge EVENT_ID` undoes a merge, including a fuzzy name + postal-code match made at intake.
`leadbot rescore --dry-run` replays the current rules (and learned rates) over past leads and shows how
grades and routing would change; without `--dry-run` it stores the new scores of leads still open.
"""

from __future__ import annotations

import json
from collections import Counter

from rich.console import Console

from bot.assess.rescore import rescore
from bot.cli.common import CommandFailed, open_existing
from bot.service import build_assessor
from bot.settings import Settings
from store.records import ContactHistory

console = Console(highlight=False)


def render_history(history: ContactHistory) -> list[str]:
    """The 360° view as plain lines (pure: the CLI prints them, tests read them)."""
    c = history.contact
    lines = [f"contact {c.id}: {c.name or '(no name)'}"]
    lines.append(f"  email {c.email or '-'}   phone {c.phone or '-'}   postal code {c.postal_code or '-'}")
    if c.merged_into:
        lines.append(f"  merged into contact {c.merged_into}")
    lines.append(f"leads ({len(history.leads)}), newest first:")
    for lead in history.leads:
        owner = f" owner {lead.owner}" if lead.owner else ""
        outcome = f" outcome {lead.outcome}" if lead.outcome else ""
        lines.append(
            f"  #{lead.id} {lead.created_at:%Y-%m-%d %H:%M} {lead.vendor or lead.channel} grade {lead.grade} "
            f"score {lead.score} {lead.status}{owner}{outcome}"
        )
    lines.append(f"events ({len(history.events)}), newest first:")
    for ev in history.events:
        about = f" lead #{ev.lead_id}" if ev.lead_id else ""
        data = json.dumps(ev.data, default=str, ensure_ascii=False) if ev.data else ""
        lines.append(f"  [{ev.id}] {ev.at:%Y-%m-%d %H:%M:%S} {ev.kind}{about} by {ev.actor or '-'} {data}".rstrip())
    return lines


async def contacts_show(settings: Settings, ref: str) -> int:
    store = await open_existing(settings)
    try:
        contact_id = await store.contacts.find(ref, region=settings.extraction.default_region)
        history = await store.contacts.history(contact_id) if contact_id is not None else None
    finally:
        await store.close()
    if history is None:
        raise CommandFailed(f"no contact matches {ref!r}")
    for line in render_history(history):
        console.print(line, markup=False)
    return 0


async def contacts_merge(settings: Settings, into: str, other: str, *, actor: str) -> int:
    store = await open_existing(settings, migrate=True)
    try:
        region = settings.extraction.default_region
        a, b = await store.contacts.find(into, region=region), await store.contacts.find(other, region=region)
        if a is None or b is None:
            raise CommandFailed(f"no contact matches {into if a is None else other!r}")
        try:
            ev = await store.contacts.merge(a, b, actor=actor)
        except (LookupError, ValueError) as exc:
            raise CommandFailed(f"cannot merge: {exc}") from None
    finally:
        await store.close()
    moved = len(ev.data.get("leads", []))
    console.print(f"merged contact {b} into {a} ({moved} lead(s) moved); undo with: leadbot contacts unmerge {ev.id}")
    return 0


async def contacts_unmerge(settings: Settings, event_id: int, *, actor: str) -> int:
    store = await open_existing(settings, migrate=True)
    try:
        try:
            ev = await store.contacts.unmerge(event_id, actor=actor)
        except (LookupError, ValueError) as exc:
            raise CommandFailed(f"cannot unmerge: {exc}") from None
    finally:
        await store.close()
    requeued = ev.data.get("requeued") or []
    extra = f"; card(s) queued for lead(s) {', '.join(f'#{i}' for i in requeued)}" if requeued else ""
    console.print(
        f"undid merge {event_id}: lead(s) {', '.join(f'#{i}' for i in ev.data.get('leads', []))} now belong to "
        f"contact {ev.data.get('to')}{extra}"
    )
    return 0


async def run_rescore(settings: Settings, *, dry_run: bool, limit: int, show_all: bool, actor: str) -> int:
    store = await open_existing(settings, migrate=not dry_run)
    try:
        assessor = build_assessor(settings, store)
        learned = await assessor.refresh_rates()
        leads = await store.leads.recent(limit=limit)
        results = rescore(leads, assessor, learned)
        applied = 0
        if not dry_run:
            for r in results:
                open_lead = r.lead.closed_at is None and r.lead.status in ("new", "posted", "claimed")
                if open_lead and (r.score != r.lead.score or r.grade != r.lead.grade):
                    await store.leads.update_assessment(r.lead.id, score=r.score, grade=r.grade, reasons=r.reasons,
                                                  actor=actor)
                    applied += 1
    finally:
        await store.close()
    moves = Counter(f"{r.lead.grade}→{r.grade}" for r in results if r.grade != r.lead.grade)
    # plain lines, not a table: they stay whole in a narrow terminal and in a pipe to grep
    for r in results:
        if not (show_all or r.changed):
            continue
        grade = f"{r.lead.grade} → {r.grade}" if r.grade != r.lead.grade else r.grade
        channel = (
            f"{r.channel_before or '-'} → {r.channel_after or '-'}"
            if r.channel_before != r.channel_after
            else (r.channel_after or "-")
        )
        top = r.reasons[0] if r.reasons else ""
        console.print(
            f"#{r.lead.id} {r.lead.vendor or r.lead.channel}: score {r.lead.score} → {r.score}, grade {grade}, "
            f"channel {channel} ({top})",
            markup=False,
            soft_wrap=True,
        )
    rerouted = sum(r.channel_before != r.channel_after for r in results)
    summary = ", ".join(f"{k}: {v}" for k, v in sorted(moves.items())) or "no grade changes"
    console.print(f"{len(results)} lead(s) replayed; {summary}; {rerouted} would be routed elsewhere", markup=False)
    if learned is not None and learned.closed:
        console.print(f"learned from {learned.closed} closed lead(s), overall win rate {learned.overall:.0%}")
    console.print("dry run: nothing stored" if dry_run else f"stored new scores for {applied} open lead(s)")
    return 0
