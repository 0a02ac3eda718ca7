"""The acknowledgement worker (issue 14): the prospect hears from us at once, and again when a rep claims.

It follows the events table (``intake``; ``claimed``, ``reassigned``, ``auto_assigned`` for the claim
note) from its own cursor and queues one ``acknowledgements`` row per lead and kind; intake and Slack never
wait for it. Due rows are leased, checked (`skip_reason`: never grade C, never without an email, never to
a disposable or role address …), worded from the source's template (`compose`) and sent through the
configured SMTP relay with aiosmtplib. A refused or failed send is retried with backoff from the database
(``[acknowledgement] retry_seconds``); each send and each failure is an event on the lead.

Delivery is at least once per row: if an instance dies between the relay's 250 and recording it, the
lease runs out and another instance sends again (with the same Message-ID).
"""

from __future__ import annotations

import asyncio
import logging
import re
import uuid
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, formataddr

import aiosmtplib
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.settings import AcknowledgementSettings, RelaySettings
from bot.slack.trust import email_kind, provenance_of
from store.acknowledgements import CLAIMED, INTAKE, AcknowledgementRecord
from store.db import Clock, utcnow
from store.records import Grade, LeadRecord, LeadStatus
from store.store import Store

log = logging.getLogger(__name__)

#: the events-table cursor of this worker (store/event_cursors.py)
CURSOR = "acknowledgements"
#: lead events that call for an email, and which
FOLLOWED = {"intake": INTAKE, "claimed": CLAIMED, "reassigned": CLAIMED, "auto_assigned": CLAIMED}

Transport = Callable[[EmailMessage], Awaitable[None]]
#: a rep's Slack user ID -> the name the prospect is told (None: none known, the note is not sent)
RepNames = Callable[[str], Awaitable[str | None]]

# a first name as people write it (letters, with inner apostrophes, hyphens, spaces); anything else (a
# link, digits, an address) is never echoed to the address a form gave: it may be someone else's
_NAME = re.compile(r"[^\W\d_](?:[^\W\d_]|['’\- ](?=[^\W\d_])){0,39}")
_SPACE = re.compile(r"\s+")


# ---- policy (pure) ----------------------------------------------------------------------------------


def skip_reason(lead: LeadRecord | None, kind: str, now: datetime, settings: AcknowledgementSettings) -> str | None:
    """Why this lead gets no email of ``kind`` (None: it may be sent)."""
    if lead is None:
        return "the lead is gone"
    if lead.channel not in settings.channels:
        return f"it came in by {lead.channel} ([acknowledgement] channels)"
    email = (lead.value("email") or "").strip()
    if not email:
        return "no email address"
    if lead.grade == Grade.C:
        return "grade C"
    if kind == INTAKE and lead.status == LeadStatus.DUPLICATE:
        return "a repeat of an open lead (the prospect was answered then)"
    if lead.closed_at is not None:
        return f"the lead was closed ({lead.outcome or 'closed'})"
    if any(str(flag).startswith("invalid_") for flag in provenance_of(lead, "email").get("flags") or ()):
        return "the email address failed verification"
    kind_of_address = email_kind(lead)
    if kind_of_address is not None:
        return f"a {kind_of_address}"
    since = lead.created_at if kind == INTAKE else (lead.claimed_at or lead.created_at)
    if now - since > timedelta(hours=settings.max_age_hours):
        return f"more than {settings.max_age_hours:g} h late"
    if kind == CLAIMED and lead.owner is None:
        return "nobody holds the lead any more"
    return None


def first_name(lead: LeadRecord, fallback: str) -> str:
    """The prospect's first name as they wrote it, or ``fallback`` if there is none that looks like a name."""
    candidates = [_one_line(lead.value("first_name") or ""), _one_line(lead.value("full_name") or "").split(" ")[0]]
    return next((value for value in candidates if _NAME.fullmatch(value)), fallback)


def _one_line(value: str, limit: int = 100) -> str:
    # header injection: a value from the prospect never carries a line break into Subject
    return _SPACE.sub(" ", value).strip()[:limit]


def compose(
    lead: LeadRecord,
    ack: AcknowledgementRecord,
    settings: AcknowledgementSettings,
    *,
    now: datetime,
    rep_name: str | None = None,
) -> tuple[str, EmailMessage]:
    """The email for ``ack`` (its template's name first): the source's wording with the lead's values."""
    name, template = settings.template_for(lead.vendor, lead.channel)
    values = {
        "first_name": first_name(lead, settings.fallback_name),
        "last_name": _one_line(lead.value("last_name") or ""),
        "full_name": _one_line(lead.display_name if lead.value("full_name") or lead.value("last_name") else ""),
        "company_name": settings.company_name,
        "source": _one_line(lead.vendor or lead.channel),
        "interest": _one_line(lead.value("interest") or "", 200),
        "lead_id": str(lead.id),
        "rep_name": _one_line(rep_name or ""),
    }
    claim = ack.kind == CLAIMED
    subject = template.claim_subject if claim else template.subject
    body = template.claim_body if claim else template.body
    assert subject is not None and body is not None  # template_for fills every piece
    message = EmailMessage()
    message["From"] = formataddr((settings.from_name or settings.company_name, settings.from_address))
    message["To"] = (lead.value("email") or "").strip()
    if settings.reply_to:
        message["Reply-To"] = settings.reply_to
    message["Subject"] = _one_line(subject.format(**values), 250)
    message["Date"] = format_datetime(now)
    message["Message-ID"] = message_id(ack, settings.from_address)
    # RFC 3834: an automatic answer says so, so the prospect's autoresponder does not answer it back
    message["Auto-Submitted"] = "auto-generated" if claim else "auto-replied"
    message.set_content(body.format(**values))
    return name, message


def message_id(ack: AcknowledgementRecord, from_address: str) -> str:
    """The same Message-ID on every try of one acknowledgement."""
    return f"<leadbot-ack.{ack.id}.{ack.kind}@{from_address.rpartition('@')[2] or 'leadbot.invalid'}>"


def permanent(exc: BaseException) -> bool:
    """The relay refused this email for good (5xx to its recipient or its data, RFC 5321 4.2.1).

    Everything else is retried, a 5xx to our login or sender included: that is our configuration, and
    the email should go once it is mended.
    """
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        return all(r.code >= 500 for r in exc.recipients)
    return isinstance(exc, aiosmtplib.SMTPRecipientRefused | aiosmtplib.SMTPDataError) and exc.code >= 500


def relay_failed(exc: BaseException) -> bool:
    """The failure is the relay's or our setup's, not this email's: the next email would fail the same way."""
    return isinstance(exc, OSError | aiosmtplib.SMTPConnectError | aiosmtplib.SMTPTimeoutError
                      | aiosmtplib.SMTPServerDisconnected | aiosmtplib.SMTPAuthenticationError
                      | aiosmtplib.SMTPSenderRefused | aiosmtplib.SMTPHeloError | aiosmtplib.SMTPNotSupported)


# ---- the ways out ---------------------------------------------------------------------------------


def relay_transport(relay: RelaySettings) -> Transport:
    """Sends each email through ``[acknowledgement.relay]`` (one SMTP session per email)."""

    async def send(message: EmailMessage) -> None:
        await aiosmtplib.send(
            message,
            hostname=relay.host,
            port=relay.port,
            username=relay.username or None,
            password=relay.password.get_secret_value() if relay.password else None,
            use_tls=relay.security == "tls",
            start_tls=relay.security == "starttls",  # "none": never, even if offered
            timeout=relay.timeout_seconds,
            cert_bundle=relay.ca_file or None,
        )

    return send


def rep_names(configured: Mapping[str, str], client: AsyncWebClient | None = None) -> RepNames:
    """The configured name of a rep, else the first name of their Slack profile (``users.info``).

    An unknown user is None (the note is not sent); Slack being away raises, so the send is tried again.
    """

    async def name(user_id: str) -> str | None:
        if user_id in configured:
            return configured[user_id]
        if client is None:
            return None
        try:
            answer = await client.users_info(user=user_id)
        except SlackApiError as exc:
            if exc.response.get("error") in ("user_not_found", "user_not_visible"):
                return None
            raise
        user = answer.get("user") or {}
        profile = user.get("profile") or {}
        for value in (profile.get("first_name"), profile.get("real_name"), user.get("real_name")):
            if isinstance(value, str) and value.strip():
                return value.split()[0]
        return None

    return name


# ---- the worker -------------------------------------------------------------------------------------


class AcknowledgementWorker:
    """Follows lead events into acknowledgement rows and sends the due ones, every ``check_seconds``."""

    def __init__(
        self,
        store: Store,
        settings: AcknowledgementSettings,
        *,
        transport: Transport | None = None,
        names: RepNames | None = None,
        clock: Clock = utcnow,
        instance: str | None = None,
        lease_seconds: float = 300.0,
        settle_seconds: float = 60.0,
    ) -> None:
        self._store = store
        self._settings = settings
        self._transport = transport or relay_transport(settings.relay)
        self._names = names or rep_names(settings.rep_names)
        self._clock = clock
        self._instance = instance or f"ack:{uuid.uuid4().hex}"
        self._lease_seconds = lease_seconds
        # PostgreSQL may make an event visible after a higher id: the cursor stays this far behind
        self._settle = timedelta(seconds=settle_seconds)
        #: ids of the unsettled events this instance has queued already (not queued again every tick)
        self._seen: set[int] = set()
        self._since = clock()
        self._cursor_known = False

    async def follow(self) -> int:
        """Queue an acknowledgement for each new lead (and claim note for each claim); returns how many."""
        store = self._store
        # the first time ever, the cursor starts at this worker's start: history is not answered
        start = 0 if self._cursor_known else await store.events.high_water(before=self._since)
        cursor = await store.event_cursors.get(CURSOR, start=start)
        self._cursor_known = True
        settled_before = self._clock() - self._settle
        last, advance_to, settled, queued = cursor, cursor, True, 0
        while True:
            events = await store.events.after(last, kinds=FOLLOWED, limit=500)
            wanted, unsettled = [], []
            for event in events:
                kind = FOLLOWED[event.kind]
                if event.id not in self._seen and event.lead_id is not None and (
                    kind == INTAKE or self._settings.claim_note
                ):
                    wanted.append((event.lead_id, kind))
                settled = settled and event.at <= settled_before
                if settled:
                    advance_to = event.id
                else:
                    unsettled.append(event.id)
            queued += await store.acknowledgements.queue(wanted)
            self._seen.update(unsettled)
            if len(events) < 500:
                break
            last = events[-1].id
        if advance_to > cursor:
            await store.event_cursors.advance(CURSOR, advance_to)
        self._seen = {event_id for event_id in self._seen if event_id > advance_to}
        return queued

    async def send_due(self) -> list[str]:
        """Try every due acknowledgement once; returns one note per row handled."""
        acks = self._store.acknowledgements
        notes: list[str] = []
        # rounds: a claim note becomes due once its lead's acknowledgement is out
        for _ in range(10):
            leased = await acks.lease(self._instance, seconds=self._lease_seconds, limit=20)
            for number, ack in enumerate(leased):
                note, stop = await self._handle(ack)
                notes.append(note)
                if stop:
                    # the relay is away or refuses us: the others go back untried, not each after a timeout
                    await acks.release([a.id for a in leased[number + 1:]], self._instance)
                    return notes
            if not leased:
                break
        return notes

    async def _handle(self, ack: AcknowledgementRecord) -> tuple[str, bool]:
        """Skip, send or fail one leased row: its note, and whether the relay failed (not this email)."""
        acks, now = self._store.acknowledgements, self._clock()
        lead = await self._store.leads.get(ack.lead_id)
        reason = skip_reason(lead, ack.kind, now, self._settings)
        rep: str | None = None
        try:
            if reason is None and ack.kind == CLAIMED:
                assert lead is not None and lead.owner is not None
                rep = await self._names(lead.owner)
                reason = None if rep else f"no name known for {lead.owner} ([acknowledgement] rep_names)"
            if reason is None:
                assert lead is not None
                template, message = compose(lead, ack, self._settings, now=now, rep_name=rep)
                await self._transport(message)
        except Exception as exc:  # the relay (or Slack, for the rep's name) failed: try again later
            return await self._failed(ack, lead, exc), relay_failed(exc)
        if reason is not None:
            await acks.skipped(ack, self._instance, reason)
            return f"lead {ack.lead_id}: {ack.kind} not sent: {reason}", False
        data = {"template": template, **({"rep": lead.owner} if rep is not None and lead else {})}
        await acks.sent(ack, self._instance, message_id=str(message["Message-ID"]), data=data)
        return f"lead {ack.lead_id}: {ack.kind} sent", False

    async def _failed(self, ack: AcknowledgementRecord, lead: LeadRecord | None, exc: Exception) -> str:
        """Record a failed try: due again after the next wait of ``retry_seconds``, or given up."""
        delays = self._settings.retry_seconds
        give_up = permanent(exc) or ack.attempts >= len(delays)
        retry_in = None if give_up else timedelta(seconds=delays[ack.attempts])
        error = f"{type(exc).__name__}: {exc}"
        address = ((lead.value("email") if lead else None) or "").strip()
        if address:
            # a refusal quotes the address: the stored error (and event) must not keep personal data
            error = error.replace(address, "<the prospect's address>")
        await self._store.acknowledgements.failed(ack, self._instance, error, retry_in=retry_in)
        log.warning("acknowledgement %s of lead %d failed (%s)%s", ack.kind, ack.lead_id, error,
                    "; given up" if give_up else f"; next try in {retry_in}")
        return f"lead {ack.lead_id}: {ack.kind} failed: {error}"

    async def tick(self) -> list[str]:
        await self.follow()
        notes = await self.send_due()
        for note in notes:
            log.info("acknowledgement: %s", note)
        return notes

    async def run(self) -> None:
        """Tick until cancelled; a failing tick (the database away) is logged and tried again."""
        while True:
            try:
                await self.tick()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("acknowledgements: check failed; trying again in %s s", self._settings.check_seconds)
            await asyncio.sleep(self._settings.check_seconds)
