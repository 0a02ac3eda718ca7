"""Re-scoring past leads with today's rules and learned rates (pure): what `leadbot rescore` shows and stores."""

from __future__ import annotations

from dataclasses import dataclass

from bot.assess.assessor import Assessor
from bot.assess.learning import LearnedRates
from parsers.lead import ExtractedLead
from store.records import LeadRecord


@dataclass(frozen=True, slots=True)
class Rescored:
    lead: LeadRecord
    score: int
    grade: str
    reasons: tuple[str, ...]
    channel_before: str | None
    channel_after: str | None

    @property
    def changed(self) -> bool:
        return self.grade != self.lead.grade or self.channel_before != self.channel_after


def rescore(leads: list[LeadRecord], assessor: Assessor, learned: LearnedRates | None) -> list[Rescored]:
    """Today's rules over past leads (pure): each lead's new score, grade and channel.

    Recency is kept as it was judged at intake (a lead that earned "fresh" points keeps them), so only
    rule and learning changes move a grade.
    """
    out = []
    for lead in leads:
        extracted = ExtractedLead.from_stored(lead.fields, lead.provenance)
        was_fresh = any(" fresh (" in reason for reason in lead.reasons)
        scored = assessor.score(extracted, lead.vendor, learned=learned,
                                received_at=lead.created_at if was_fresh else None, now=lead.created_at)
        before = assessor.channel_for(extracted, lead.vendor, lead.grade)
        after = assessor.channel_for(extracted, lead.vendor, scored.grade)
        out.append(Rescored(lead, scored.score, scored.grade, scored.reasons, before, after))
    return out
