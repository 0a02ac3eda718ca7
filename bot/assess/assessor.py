"""The one assessor: an extracted lead → a scored, routed lead ready to store, with its claim clock.

Score (with the win rates learned from outcomes), grade, decide the card's channel, start the claim SLA:
every way in — the mail pipeline, replay, chat drafts, webhooks and forms, spreadsheet import, rescore —
calls this, built once in the composition root, so the same lead gets the same grade and reasons
whichever way it came. The learned rates are read from the store (cached); everything else is pure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime

from bot.assess.learning import LearnedRates, LearnedRatesCache
from bot.assess.routing import decide_route
from bot.assess.scoring import ScoredLead, score_lead
from bot.assess.sla import claim_due
from bot.settings import RoutingSettings, ScoringSettings, SlackChannels
from bot.slack.notes import repeat_notice
from bot.slack.trust import OTHER_SIDE
from parsers.lead import ExtractedLead
from parsers.verify import contact_phone
from store.clock import utcnow
from store.records import NewLead

#: the pseudo-channel for cards when Slack is not configured: the outbox prints them instead
CONSOLE = "console"
def other_side(lead: ExtractedLead) -> dict[str, str]:
    """The organisation the message names for each role of the other side (a company, never a person),
    stored under `OTHER_SIDE` in the lead's provenance: whom the lead is for (an ADF lead's dealer)."""
    found: dict[str, str] = {}
    for other in lead.role_values():
        if other.field == "company":
            found.setdefault(other.role, other.value)
    return found


@dataclass(frozen=True, slots=True)
class Routing:
    channels: SlackChannels
    slack_enabled: bool
    default_region: str = "US"
    #: `[routing]`: rules by vendor/interest/region/language and the SLA clocks
    settings: RoutingSettings = field(default_factory=RoutingSettings)


def new_lead(scored: ScoredLead, channel: str, routing: Routing, *, now: datetime | None = None) -> NewLead:
    """What the store keeps of a scored lead, where its card goes and when its claim SLA runs out (pure)."""
    fields = scored.lead.fields
    decision = decide_route(scored.lead, scored.vendor, scored.grade, routing.channels, routing.settings)
    post_to = decision.channel if routing.slack_enabled else CONSOLE
    email = scored.lead.value("email")
    phone = fields.get("phone")
    return NewLead(
        vendor=scored.vendor,
        channel=channel,
        fields={name: value.value for name, value in fields.items()},
        provenance={**scored.lead.provenance(), **({OTHER_SIDE: side} if (side := other_side(scored.lead)) else {})},
        score=scored.score,
        grade=scored.grade,
        reasons=scored.reasons,
        post_to=post_to,
        contact_email=email.strip().lower() if email else None,
        contact_phone=(phone.normalized if phone is not None and phone.normalized else None)
        or contact_phone(scored.lead.value("phone"), routing.default_region),
        claim_due_at=claim_due(now, routing.settings) if now and post_to and routing.slack_enabled else None,
        notice=repeat_notice(scored.lead, scored.vendor),
        invalid=scored.invalid,
    )


class Assessor:
    """Scores, grades and routes leads; one per process, shared by every way in."""

    def __init__(
        self,
        scoring: ScoringSettings,
        routing: Routing,
        *,
        learning: LearnedRatesCache | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.scoring = scoring
        self.routing = routing
        self._learning = learning
        self._clock = clock

    def quiet(self) -> Assessor:
        """The same scoring and learned rates, routing no card anywhere: leads kept but never pinging a rep."""
        silent = Routing(channels=SlackChannels(), slack_enabled=True, default_region=self.routing.default_region)
        return Assessor(self.scoring, silent, learning=self._learning, clock=self._clock)

    @property
    def default_region(self) -> str:
        return self.routing.default_region

    def now(self) -> datetime:
        return self._clock()

    async def rates(self) -> LearnedRates | None:
        """The learned win rates as they are now (cached), or None without learning."""
        return await self._learning.current() if self._learning is not None else None

    async def refresh_rates(self) -> LearnedRates | None:
        """The learned win rates re-read from the store now (rescore wants the latest)."""
        return await self._learning.refresh() if self._learning is not None else None

    def score(
        self,
        lead: ExtractedLead,
        vendor: str | None,
        *,
        learned: LearnedRates | None,
        received_at: datetime | None = None,
        now: datetime | None = None,
    ) -> ScoredLead:
        """Score and grade one lead (pure, given the learned rates)."""
        return score_lead(lead, vendor, self.scoring, learned=learned, received_at=received_at, now=now)

    def channel_for(self, lead: ExtractedLead, vendor: str | None, grade: str) -> str | None:
        """The channel a lead of this grade is routed to (pure)."""
        return decide_route(lead, vendor, grade, self.routing.channels, self.routing.settings).channel

    def assess_with(
        self,
        leads: Iterable[ExtractedLead],
        vendor: str | None,
        *,
        channel: str,
        learned: LearnedRates | None,
        received_at: datetime | None = None,
        now: datetime | None = None,
        post: bool = True,
        review: str | None = None,
    ) -> list[NewLead]:
        """Leads → what the store keeps (pure, given the learned rates and the time).

        ``review``: why the message needs a human (e.g. its sender is not authenticated, issue 13): every
        lead is graded C, routed as such, with ``review: <why>`` among its reasons.
        """
        out = []
        for lead in leads:
            scored = self.score(lead, vendor, learned=learned, received_at=received_at, now=now)
            if review is not None:
                scored = replace(scored, grade="C", reasons=(*scored.reasons, f"review: {review}"))
            stored = new_lead(scored, channel, self.routing, now=now)
            out.append(stored if post else replace(stored, post_to=None, claim_due_at=None))
        return out

    async def assess(
        self,
        leads: Iterable[ExtractedLead],
        vendor: str | None,
        *,
        channel: str,
        received_at: datetime | None = None,
        post: bool = True,
        review: str | None = None,
    ) -> list[NewLead]:
        """Leads → what the store keeps, with the current learned rates, at the current time."""
        learned = await self.rates()
        return self.assess_with(
            leads, vendor, channel=channel, learned=learned, received_at=received_at, now=self._clock(), post=post,
            review=review,
        )
