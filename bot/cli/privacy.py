"""A person's data from the command line (issue 13): erase, export, retention.

`leadbot erase <contact id|email|phone>` erases the person everywhere (store/privacy.py); the running
service's outbox then clears every Slack message about them. A second erase is a no-op.
`leadbot export <contact id|email|phone> [--out FILE]` writes everything held about them as one JSON file.
`leadbot privacy [--dry-run]` applies the `[privacy]` retention rules now (or shows what would go).
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from rich.console import Console

from bot.cli.common import CommandFailed, open_existing
from bot.settings import Settings
from store.privacy import RetentionPlan
from store.store import Store

console = Console(highlight=False)


async def _contact(store: Store, settings: Settings, ref: str) -> int:
    contact_id = await store.contacts.find(ref, region=settings.extraction.default_region)
    if contact_id is None:
        raise CommandFailed(f"no contact matches {ref!r}")
    return contact_id


async def erase_person(settings: Settings, ref: str, *, actor: str) -> int:
    store = await open_existing(settings, migrate=True)
    try:
        erased = await store.privacy.erase(await _contact(store, settings, ref), actor=actor)
    finally:
        await store.close()
    if erased.already:
        console.print("nothing left to erase: that person was erased already", markup=False)
        return 0
    console.print(
        f"erased contact {erased.contact_ids[0]}: {len(erased.contact_ids)} contact(s), "
        f"{len(erased.lead_ids)} lead(s), {erased.messages} raw message(s); "
        f"{erased.slack_messages} Slack message(s) queued to be cleared by the running service",
        markup=False,
    )
    return 0


async def export_person(settings: Settings, ref: str, out: Path | None) -> int:
    store = await open_existing(settings)
    try:
        contact_id = await _contact(store, settings, ref)
        held = await store.privacy.export(contact_id)
    finally:
        await store.close()
    if held is None:
        raise CommandFailed(f"no contact matches {ref!r}")
    target = out or Path(f"contact-{contact_id}-export.json")
    text = json.dumps(held, indent=2, ensure_ascii=False, default=str)
    await asyncio.to_thread(target.write_text, text + "\n", encoding="utf-8")
    console.print(f"wrote {target} ({len(held['leads'])} lead(s), {len(held['messages'])} message(s))", markup=False)
    return 0


def describe_plan(plan: RetentionPlan) -> list[str]:
    """What a retention plan removes, one line per rule (pure)."""
    return [
        f"raw messages to delete (processed more than the set days ago): {len(plan.raw_messages)}"
        + (f"  ids {', '.join(map(str, plan.raw_messages[:50]))}" if plan.raw_messages else ""),
        f"closed lost/disqualified leads to anonymise: {len(plan.closed_leads)}"
        + (f"  ids {', '.join(map(str, plan.closed_leads[:50]))}" if plan.closed_leads else ""),
        f"grade C leads to anonymise: {len(plan.grade_c_leads)}"
        + (f"  ids {', '.join(map(str, plan.grade_c_leads[:50]))}" if plan.grade_c_leads else ""),
    ]


async def plan_retention(store: Store, settings: Settings) -> RetentionPlan:
    rules = settings.privacy
    return await store.privacy.retention_plan(
        raw_message_days=rules.raw_message_days,
        closed_lead_days=rules.closed_lead_days,
        grade_c_days=rules.grade_c_days,
    )


async def run_retention(settings: Settings, *, dry_run: bool) -> int:
    rules = settings.privacy
    if not (rules.raw_message_days or rules.closed_lead_days or rules.grade_c_days):
        console.print(
            "no retention rules set ([privacy] raw_message_days, closed_lead_days, grade_c_days): everything is kept",
            markup=False,
        )
        return 0
    store = await open_existing(settings, migrate=not dry_run)
    try:
        plan = await plan_retention(store, settings)
        for line in describe_plan(plan):
            console.print(line, markup=False)
        if dry_run or plan.empty:
            console.print("dry run: nothing changed" if dry_run else "nothing to do", markup=False)
            return 0
        slack = await store.privacy.apply_retention(plan)
    finally:
        await store.close()
    console.print(f"applied; {slack} Slack message(s) queued to be cleared by the running service", markup=False)
    return 0
