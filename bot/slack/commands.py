"""`/leads`: parsing (pure), answering (store + roles), rendering (pure).

``parse`` turns the command text into a `Command` or a usage line; `LeadsCommands.run` answers it with a
`Reply` (text, optional blocks, whether to share it in the channel). The listener acks at once and sends
the reply through ``respond()``, so a slow answer never misses Slack's 3 seconds.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bot.assess.work import work_check
from bot.settings import RoutingSettings
from bot.slack import messages
from bot.slack.blocks import escape, escape_trimmed, mention, money, one_line, redacted
from bot.slack.erasure import ERASE_ALREADY, ERASE_DONE, ERASE_NOT_FOUND, ERASE_USAGE
from bot.slack.followup import FollowUp
from bot.slack.roles import Roles
from bot.slack.views import (
    age,
    check_outcome,
    lead_line,
    learned_lines,
    provenance_lines,
    verification_lines,
)
from store.db import utcnow
from store.ledger import CREDIT_KINDS, mark_credit
from store.records import ContactHistory, EventRecord, LeadNotFound, LeadRecord, WorkRefused
from store.stats import PipelineStats, RepStats, SourceStats, compute_stats
from store.store import Store

logger = logging.getLogger(__name__)

#: the periods `/leads stats` knows, in days (None: everything)
PERIODS: dict[str, int | None] = {"7d": 7, "30d": 30, "90d": 90, "all": None}
DEFAULT_PERIOD = "30d"
#: `/leads stats … by source|by rep`: the detailed tables
STATS_VIEWS = ("source", "rep")
#: commands whose answer may be shared with the channel (`… share`)
SHAREABLE = frozenset({"help", "stats", "mine", "unclaimed", "show", "search"})
#: every subcommand `parse` knows (a DM to the bot is a command only if it starts with one)
COMMANDS = frozenset(
    {*SHAREABLE, "outcome", "note", "new", "erase", "credit", "away", "reopen", "remind"}
)
LIST_MAX = 20
EVENTS_SHOWN = 25

_USAGE = {
    "stats": "Usage: `/leads stats [7d|30d|90d|all] [by source|by rep] [share]`",
    "show": "Usage: `/leads show <lead id|email|phone>`",
    "outcome": "Usage: `/leads outcome <id> won <amount> | lost <reason> | nurture | disqualified <reason>`",
    "note": "Usage: `/leads note <id> <text>`",
    "search": "Usage: `/leads search <text>`",
    "new": "Usage: `/leads new <the lead's text: name, email, phone, what they want…>`",
    "away": "Usage: `/leads away on|off`",
    "credit": "Usage: `/leads credit <id> requested|granted`",
    "reopen": "Usage: `/leads reopen <id>`",
    "remind": "Usage: `/leads remind <id> <when>` — e.g. `tomorrow 9am`, `friday`, `in 2h`, `2026-12-03 14:00`",
}


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    args: tuple[str, ...] = ()
    #: the text after the subcommand, as typed (for note, search and new)
    rest: str = ""
    share: bool = False


@dataclass(frozen=True, slots=True)
class Usage:
    """Wrong input: the short usage line to answer with."""

    text: str


@dataclass(frozen=True, slots=True)
class Reply:
    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)
    share: bool = False


def parse(text: str) -> Command | Usage:
    """The command in ``/leads <text>``, or the usage line that explains what was wrong."""
    words = text.split()
    if not words:
        return Command("help")
    name = words[0].lower()
    rest = text.strip()[len(words[0]) :].strip()
    args = words[1:]
    share = False
    if name in SHAREABLE and args and args[-1].lower() == "share":
        share, args = True, args[:-1]
        rest = rest[: rest.lower().rfind("share")].strip()
    if name in ("help", "mine", "unclaimed"):
        return Command(name, share=share) if not args else Usage(messages.USAGE)
    if name == "stats":
        return _stats_command([a.lower() for a in args], share)
    if name == "show":
        return Command("show", (args[0],), share=share) if len(args) == 1 else Usage(_USAGE["show"])
    if name == "outcome":
        if len(args) < 2 or not _lead_id(args[0]) or args[1].lower() not in messages.OUTCOMES:
            return Usage(_USAGE["outcome"])
        return Command("outcome", (args[0], args[1].lower(), *args[2:]))
    if name == "note":
        if len(args) < 2 or not _lead_id(args[0]):
            return Usage(_USAGE["note"])
        return Command("note", (args[0],), rest=rest[len(args[0]) :].strip())
    if name in ("search", "new"):
        return Command(name, rest=rest, share=share) if rest else Usage(_USAGE[name])
    if name == "erase":  # privacy (issue 13)
        return Command("erase", (args[0],)) if len(args) == 1 else Usage(ERASE_USAGE)
    if name == "credit":
        if len(args) != 2 or not _lead_id(args[0]) or args[1].lower() not in CREDIT_KINDS:
            return Usage(_USAGE["credit"])
        return Command("credit", (args[0], args[1].lower()))
    if name == "reopen":  # follow-up (issue 14)
        return Command("reopen", (args[0],)) if len(args) == 1 and _lead_id(args[0]) else Usage(_USAGE["reopen"])
    if name == "remind":
        if len(args) < 2 or not _lead_id(args[0]):
            return Usage(_USAGE["remind"])
        return Command("remind", (args[0],), rest=rest[len(args[0]) :].strip())
    if name == "away":
        if len(args) != 1 or args[0].lower() not in ("on", "off"):
            return Usage(_USAGE["away"])
        return Command("away", (args[0].lower(),))
    return Usage(messages.USAGE)


def _stats_command(args: list[str], share: bool) -> Command | Usage:
    """``stats [period] [by source|by rep]``, in either order."""
    period, view = DEFAULT_PERIOD, None
    if len(args) >= 2 and args[-2] == "by" and args[-1] in STATS_VIEWS:
        view, args = args[-1], args[:-2]
    elif len(args) >= 3 and args[0] == "by" and args[1] in STATS_VIEWS:
        view, args = args[1], args[2:]
    if len(args) > 1 or (args and args[0] not in PERIODS):
        return Usage(_USAGE["stats"])
    if args:
        period = args[0]
    return Command("stats", (period,) if view is None else (period, view), share=share)


def _lead_id(text: str) -> int | None:
    text = text.lstrip("#")
    return int(text) if text.isascii() and text.isdigit() and 0 < len(text) <= 18 and int(text) else None


def period_since(period: str, now: datetime) -> datetime | None:
    days = PERIODS[period]
    return None if days is None else now - timedelta(days=days)


# ---- rendering ------------------------------------------------------------------------------------------


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


def _duration(seconds: float | None) -> str:
    return "–" if seconds is None else age(timedelta(seconds=seconds))


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:3000], "verbatim": True}}


def stats_reply(stats: PipelineStats, period: str, *, per_rep: bool, user: str, view: str | None = None) -> Reply:
    """The `/leads stats` answer: totals, sources, outcomes, and reps (everyone's for managers); ``view``
    "source" or "rep" answers with that table in detail instead."""
    label = "all time" if PERIODS[period] is None else f"the last {PERIODS[period]} days"
    reps = stats.by_rep if per_rep else [r for r in stats.by_rep if r.rep == user]
    if view == "source":
        return Reply(f"Pipeline by source, {label}", [_section(f"*Pipeline by source, {label}*"),
                                                      *_source_sections(stats.by_source)])
    if view == "rep":
        title = f"*Pipeline by rep, {label}*" if per_rep else f"*Your pipeline, {label}*"
        return Reply(f"Pipeline by rep, {label}", [_section(title), *_rep_sections(reps)])
    grades = " · ".join(f"{g} {n}" for g, n in sorted(stats.by_grade.items())) or "none"
    outcomes = " · ".join(f"{messages.OUTCOMES.get(o, o)} {n}" for o, n in sorted(stats.outcomes.items())) or "none"
    summary = "\n".join(
        [
            f"*Pipeline, {label}*",
            f"*{stats.leads}* leads ({grades}) · claimed {_pct(stats.claim_rate)}",
            f"Median time to claim *{_duration(stats.median_claim_seconds)}* · "
            f"to first touch *{_duration(stats.median_first_touch_seconds)}* · SLA breaches *{stats.sla_breaches}*",
            f"Outcomes: {outcomes} · win rate *{_pct(stats.win_rate)}* · revenue *{money(stats.revenue)}*",
        ]
    )
    blocks = [_section(summary)]
    if stats.by_source:
        lines = ["*By source* (leads · win rate · revenue · duplicates · invalid)"]
        for source in stats.by_source[:15]:
            lines.append(
                f"• {escape_trimmed(one_line(source.vendor), 60)}: {source.leads} · {_pct(source.win_rate)} · "
                f"{money(source.revenue)} · {_pct(source.duplicate_rate)} · {_pct(source.invalid_rate)}"
            )
        blocks.append(_section("\n".join(lines)))
    if reps:
        title = (
            "*By rep* (claimed · won · win rate · revenue)" if per_rep else "*You* (claimed · won · win rate · revenue)"
        )
        lines = [title]
        for rep in reps[:15]:
            lines.append(
                f"• {mention(rep.rep)}: {rep.claimed} · {rep.won} · {_pct(rep.win_rate)} · {money(rep.revenue)}"
            )
        blocks.append(_section("\n".join(lines)))
    blocks.append(_section(messages.STATS_MORE))
    return Reply(f"Pipeline, {label}: {stats.leads} leads", blocks)


def _source_sections(sources: list[SourceStats]) -> list[dict[str, Any]]:
    """One line per source, the biggest first."""
    return _table_sections([
        f"• *{escape_trimmed(one_line(s.vendor), 60)}*: {s.leads} leads · claimed {s.claimed} · "
        f"to claim {_duration(s.mean_claim_seconds)} · to first touch {_duration(s.mean_touch_seconds)} · "
        f"SLA breaches {s.sla_breaches} · win rate {_pct(s.win_rate)} · revenue {money(s.revenue)} · "
        f"refunds {_pct(s.refund_rate)} · duplicates {_pct(s.duplicate_rate)} · invalid {_pct(s.invalid_rate)}"
        for s in sources[:40]
    ])


def _rep_sections(reps: list[RepStats]) -> list[dict[str, Any]]:
    """One line per rep, the most revenue first."""
    return _table_sections([
        f"• {mention(r.rep)}: {r.claimed} leads · to claim {_duration(r.mean_claim_seconds)} · "
        f"to first touch {_duration(r.mean_touch_seconds)} · SLA breaches {r.sla_breaches} · won {r.won} · "
        f"win rate {_pct(r.win_rate)} · revenue {money(r.revenue)}"
        for r in reps[:40]
    ])


def _table_sections(lines: list[str]) -> list[dict[str, Any]]:
    """The lines in sections of 8 (a section holds 3,000 characters), and what the figures mean."""
    if not lines:
        return [_section(messages.STATS_NOTHING)]
    return [_section("\n".join(lines[i : i + 8])) for i in range(0, len(lines), 8)] + [_section(messages.STATS_MEANS)]


def list_reply(
    title: str,
    leads: list[LeadRecord],
    empty: str,
    *,
    now: datetime,
    share: bool = False,
    masked: Collection[int] = (),
) -> Reply:
    """A list of leads; those whose id is in ``masked`` without surname, company or contact."""
    if not leads:
        return Reply(empty, share=share)
    lines = [title, *(lead_line(lead, now=now, masked=lead.id in masked) for lead in leads[:LIST_MAX])]
    return Reply(f"{title} ({len(leads)})", [_section("\n".join(lines))], share=share)


def _event_line(event: EventRecord, *, masked: bool = False) -> str:
    when = event.at.strftime("%Y-%m-%d %H:%M")
    who = f" by {mention(event.actor)}" if event.actor and event.actor != "leadbot" else ""
    detail = ""
    data = event.data
    if masked:
        pass  # a note's or a reason's text can quote the person: only the kind and who
    elif event.kind == "follow_up":
        detail = (
            f": {escape(str(data.get('activity', '')))} — {escape_trimmed(one_line(str(data.get('text', ''))), 200)}"
        )
    elif event.kind == "outcome":
        detail = f": {escape(str(data.get('outcome', '')))}"
        if data.get("amount") is not None:
            detail += f" {money(float(data['amount']))}"
        if data.get("reason"):
            detail += f" ({escape_trimmed(one_line(str(data['reason'])), 200)})"
    elif event.kind == "reassigned" and data.get("to"):
        detail = f" to {mention(str(data['to']))}"
    elif event.kind == "reopened" and data.get("outcome"):
        detail = f" (it was {escape(messages.OUTCOMES.get(str(data['outcome']), str(data['outcome'])))})"
    lead = f" · lead #{event.lead_id}" if event.lead_id else ""
    return f"`{when}` {escape(event.kind)}{who}{detail}{lead}"


def contact_reply(history: ContactHistory, *, now: datetime, share: bool = False, masked: bool = False) -> Reply:
    """The contact card: who, every lead (with its score breakdown), every event (newest first).

    ``masked``: the first name, no email, phone, surname or company, reasons with those blanked, events
    without their texts (a note can quote a phone number)."""
    contact = history.contact
    if masked:
        words = (contact.name or "").split()
        name = words[0] if words else f"Contact #{contact.id}"
        facts = messages.MASKED_CONTACT
    else:
        name = contact.name or contact.email or contact.phone or f"Contact #{contact.id}"
        facts = " · ".join(escape(v) for v in (contact.email, contact.phone) if v)
    who = escape_trimmed(one_line(name), 200)
    blocks = [_section(f"*{who}*" + (f"\n{facts}" if facts else "") + f"\n{len(history.leads)} lead(s)")]
    for lead in history.leads[:10]:
        reasons = "\n".join(
            "    " + escape_trimmed(one_line(redacted(r, lead) if masked else r), 200) for r in lead.reasons
        )
        blocks.append(_section(lead_line(lead, now=now, masked=masked) + (f"\n{reasons}" if reasons else "")))
        # how far each field can be trusted, what the number says, what learning added (issue 14)
        trust = [
            *verification_lines(lead, now=now, masked=masked),
            *learned_lines(lead, masked=masked),
            *provenance_lines(lead, masked=masked),
        ]
        if trust:
            blocks.append(_section("\n".join("    " + line for line in trust)))
    if history.events:
        lines = [_event_line(e, masked=masked) for e in history.events[:EVENTS_SHOWN]]
        if len(history.events) > EVENTS_SHOWN:
            lines.append(f"… and {len(history.events) - EVENTS_SHOWN} earlier event(s)")
        blocks.append(_section("*History*\n" + "\n".join(lines)))
    return Reply(f"Contact: {escape_trimmed(one_line(name), 200)}", blocks[:50], share=share)


def refusal(exc: WorkRefused) -> str:
    lead = exc.lead
    if exc.reason == "not_yours":
        return messages.NOT_YOURS.format(lead_id=lead.id, owner=mention(lead.owner or "someone"))
    if exc.reason == "closed":
        return messages.LEAD_CLOSED.format(lead_id=lead.id, outcome=escape(lead.outcome or "closed"))
    if exc.reason == "open":
        return messages.NOT_CLOSED.format(lead_id=lead.id)
    return messages.NOT_CLAIMED.format(lead_id=lead.id)


# ---- answering ------------------------------------------------------------------------------------------


class LeadsCommands:
    """Answers `/leads` commands for a user; ``new`` is handed to chat intake by the listener."""

    def __init__(
        self,
        store: Store,
        roles: Roles,
        *,
        wake_outbox: Callable[[], None] = lambda: None,
        clock: Callable[[], datetime] = utcnow,
        routing: RoutingSettings | None = None,
    ) -> None:
        self._store = store
        self._roles = roles
        self._wake_outbox = wake_outbox
        self._clock = clock
        self._follow = FollowUp(store, roles, routing or RoutingSettings(), wake_outbox=wake_outbox, clock=clock)

    async def run(self, user: str, command: Command) -> Reply:
        handler = getattr(self, "_" + command.name)
        reply: Reply = await handler(user, command)
        return reply

    async def _help(self, _user: str, command: Command) -> Reply:
        return Reply(messages.HELP, share=command.share)

    async def _stats(self, user: str, command: Command) -> Reply:
        now = self._clock()
        period = command.args[0]
        view = command.args[1] if len(command.args) > 1 else None
        stats = await compute_stats(self._store.engine, since=period_since(period, now), until=now)
        reply = stats_reply(stats, period, per_rep=await self._roles.is_manager(user), user=user, view=view)
        return Reply(reply.text, reply.blocks, share=command.share)

    async def _mine(self, user: str, command: Command) -> Reply:
        leads = await self._store.leads.open_of(user, limit=LIST_MAX)
        masked = await self._masked(leads, user, command.share)  # yours, unless shared with the channel
        return list_reply(
            "*Your open leads*", leads, messages.NOTHING_MINE, now=self._clock(), share=command.share, masked=masked
        )

    async def _unclaimed(self, user: str, command: Command) -> Reply:
        if not await self._roles.may_read(user):
            return Reply(messages.NOT_ALLOWED_READ)
        leads = await self._store.leads.unclaimed(limit=LIST_MAX)
        masked = await self._masked(leads, user, command.share)
        return list_reply(
            "*Unclaimed*", leads, messages.NOTHING_UNCLAIMED, now=self._clock(), share=command.share, masked=masked
        )

    async def _search(self, user: str, command: Command) -> Reply:
        if not await self._roles.may_read(user):
            return Reply(messages.NOT_ALLOWED_READ)
        leads = await self._store.leads.search(command.rest, limit=LIST_MAX)
        empty = messages.NOTHING_FOUND.format(query=escape_trimmed(command.rest, 100))
        title = f"*Leads matching “{escape_trimmed(command.rest, 100)}”*"
        masked = await self._masked(leads, user, command.share)
        return list_reply(title, leads, empty, now=self._clock(), share=command.share, masked=masked)

    async def _masked(self, leads: list[LeadRecord], user: str, share: bool) -> set[int]:
        """The ids of the leads ``user`` may not see the details of (all of them, shared with a channel
        while cards are masked)."""
        if share and self._roles.privacy.mask_unclaimed:
            return {lead.id for lead in leads}
        return {lead.id for lead in leads if not await self._roles.may_see_details(lead, user)}

    async def _show(self, user: str, command: Command) -> Reply:
        if not await self._roles.may_read(user):
            return Reply(messages.NOT_ALLOWED_READ)
        ref = command.args[0]
        contact_id: int | None = None
        if (lead_id := _lead_id(ref)) is not None:
            lead = await self._store.leads.get(lead_id)
            contact_id = lead.contact_id if lead else None
        else:
            contact_id = await self._store.contacts.find(ref)
        history = await self._store.contacts.history(contact_id) if contact_id is not None else None
        if history is None:
            return Reply(messages.NO_SUCH_LEAD.format(ref=escape_trimmed(ref, 100)))
        # The whole contact is shown to whoever may see the details of one of its leads (or a manager).
        hidden = await self._masked(list(history.leads), user, command.share)
        if history.leads:
            masked = len(hidden) == len(history.leads)
        else:
            masked = (command.share and self._roles.privacy.mask_unclaimed) or not await self._roles.is_manager(user)
        return contact_reply(history, now=self._clock(), share=command.share, masked=masked)

    async def _outcome(self, user: str, command: Command) -> Reply:
        lead_id = _lead_id(command.args[0])
        assert lead_id is not None
        outcome, extra = command.args[1], list(command.args[2:])
        amount_text = extra.pop(0) if outcome == "won" and extra else None
        reason = " ".join(extra) or None
        checked = check_outcome(outcome, amount_text, reason)
        if isinstance(checked, dict):
            return Reply(next(iter(checked.values())) + " " + _USAGE["outcome"])
        manager = await self._roles.is_manager(user)
        try:
            lead = await self._store.leads.set_outcome(
                lead_id, user, checked.outcome, amount=checked.amount, reason=checked.reason,
                check=work_check("set_outcome", manager=manager)
            )
        except LeadNotFound:
            return Reply(messages.LEAD_GONE)
        except WorkRefused as exc:
            return Reply(refusal(exc))
        self._wake_outbox()  # the card shows the outcome
        return Reply(messages.OUTCOME_SET.format(lead_id=lead.id, outcome=messages.OUTCOMES[checked.outcome]))

    async def _note(self, user: str, command: Command) -> Reply:
        return await self._lead_work(command, lambda lead_id: self._follow.log(lead_id, user, "note", command.rest),
                                     messages.NOTE_SAVED)

    async def _reopen(self, user: str, command: Command) -> Reply:
        return await self._lead_work(command, lambda lead_id: self._follow.reopen(lead_id, user), messages.REOPENED)

    async def _lead_work(
        self, command: Command, work: Callable[[int], Awaitable[LeadRecord]], done: str
    ) -> Reply:
        """Do ``work`` on the lead the command names; ``done`` (with ``{lead_id}``), or why it was refused."""
        lead_id = _lead_id(command.args[0])
        assert lead_id is not None
        try:
            lead = await work(lead_id)
        except LeadNotFound:
            return Reply(messages.LEAD_GONE)
        except WorkRefused as exc:
            return Reply(refusal(exc))
        return Reply(done.format(lead_id=lead.id))

    async def _remind(self, user: str, command: Command) -> Reply:
        """A reminder DM at the time named (anyone who may look leads up; only they are reminded)."""
        if not await self._roles.may_read(user):
            return Reply(messages.NOT_ALLOWED_READ)
        lead_id = _lead_id(command.args[0])
        assert lead_id is not None
        if await self._store.leads.get(lead_id) is None:
            return Reply(messages.LEAD_GONE)
        scheduled = await self._follow.remind(lead_id, user, command.rest)
        if isinstance(scheduled, str):
            return Reply(scheduled + " " + _USAGE["remind"])
        return Reply(scheduled.confirmation())

    async def _erase(self, user: str, command: Command) -> Reply:
        """Erase a person everywhere (managers only; privacy, issue 13); the outbox clears their messages."""
        if not await self._roles.is_manager(user):
            return Reply(messages.MANAGERS_ONLY.format(what="erase a person's data"))
        contact_id = await self._store.contacts.find(command.args[0])
        if contact_id is None:
            return Reply(ERASE_NOT_FOUND)
        erased = await self._store.privacy.erase(contact_id, actor=user)
        if erased.already:
            return Reply(ERASE_ALREADY)
        self._wake_outbox()
        return Reply(ERASE_DONE.format(contact_id=contact_id, leads=len(erased.lead_ids), slack=erased.slack_messages))

    async def _credit(self, user: str, command: Command) -> Reply:
        if not await self._roles.is_manager(user):
            return Reply(messages.MANAGERS_ONLY.format(what="mark vendor credit"))
        lead_id = _lead_id(command.args[0])
        assert lead_id is not None
        try:
            await mark_credit(self._store, lead_id, command.args[1], actor=user)
        except LeadNotFound:
            return Reply(messages.LEAD_GONE)
        return Reply(messages.CREDIT_MARKED.format(lead_id=lead_id, state=command.args[1]))

    async def _away(self, user: str, command: Command) -> Reply:
        away = command.args[0] == "on"
        await self._store.reps.set_away(user, away)
        return Reply(messages.AWAY_ON if away else messages.AWAY_OFF)
