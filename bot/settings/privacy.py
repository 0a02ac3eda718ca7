"""`[privacy]`: masking and who may read what."""

from __future__ import annotations

from pydantic import Field, field_validator

from bot.settings.base import Section
from bot.settings.slack import MEMBER_ID


class PrivacySettings(Section):
    """`[privacy]`: who sees a lead's personal data in Slack (issue 13)."""

    #: cards show first name, city or region, interest, score and reasons, but no email, phone, street or
    #: surname; the owner gets the full card by DM, managers unmask with "Show details"
    mask_unclaimed: bool = True
    #: besides the owner and managers, who may open "View original" and see contact details
    #: (user IDs U…/W… or user-group IDs S…)
    original_roles: tuple[str, ...] = ()
    #: retention (0 = keep for ever): raw messages are deleted this many days after processing (their leads stay)
    raw_message_days: int = Field(default=0, ge=0)
    #: closed-lost and disqualified leads are anonymised this many days after closing
    closed_lead_days: int = Field(default=0, ge=0)
    #: grade C leads (not claimed) are anonymised this many days after arriving
    grade_c_days: int = Field(default=0, ge=0)

    @field_validator("original_roles")
    @classmethod
    def _member_ids(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        bad = [member for member in value if not MEMBER_ID.fullmatch(member)]
        if bad:
            raise ValueError(f"{bad[0]!r} is not a user ID (U…, W…) or user-group ID (S…)")
        return value
