"""`[scoring]`: points, penalties, grades and learning from outcomes."""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator, model_validator

from bot.settings.base import Section

#: the point and penalty keys `[scoring.points]` / `[scoring.penalties]` understand (a typo stops the start)
SCORING_POINT_KEYS = frozenset({
    "email", "business_email", "phone", "name", "company", "address", "interest", "message", "intent",
    "budget", "timeline", "near_timeline", "recent",
})


SCORING_PENALTY_KEYS = frozenset({
    "invalid_email", "disposable_email", "invalid_phone", "test_lead", "gibberish_name", "placeholder", "spam",
    "no_contact",
})


class LearningSettings(Section):
    """`[scoring.learning]`: win rates learned from recorded outcomes become a score component."""

    enabled: bool = True
    #: strength of the Beta prior, in pseudo-outcomes centred on the overall win rate (more: slower to move)
    prior_strength: float = Field(default=10.0, gt=0)
    #: a source or feature needs this many closed leads before its rate counts
    min_outcomes: int = Field(default=5, ge=1)
    #: points per unit of win-rate difference from the overall rate (100: +1 point per percentage point)
    weight: float = Field(default=100.0, ge=0)
    #: the learned component never moves a score by more than this, either way
    max_points: int = Field(default=15, ge=0, le=100)
    #: how often the running service re-reads outcomes from the store
    refresh_seconds: float = Field(default=300.0, ge=0)


class ScoringSettings(Section):
    """`[scoring]`: points per signal; the sum (clamped to 0–100) decides the grade."""

    grade_a: int = Field(default=60, ge=0, le=100)
    grade_b: int = Field(default=30, ge=0, le=100)
    #: points for a present (and, for email/phone, valid) field
    points: dict[str, int] = {
        "email": 20,
        "business_email": 5,
        "phone": 20,
        "name": 10,
        "company": 5,
        "address": 5,
        "interest": 15,
        "message": 10,
        "intent": 10,
        "budget": 10,
        "timeline": 10,
        "near_timeline": 5,
        "recent": 5,
    }
    #: penalties (negative points) for signals of scrap
    penalties: dict[str, int] = {
        "invalid_email": -25,
        "disposable_email": -40,
        "invalid_phone": -15,
        "test_lead": -60,
        "gibberish_name": -40,
        "placeholder": -30,
        "spam": -80,
        "no_contact": -100,
    }
    #: extra points by vendor name (e.g. a provider whose leads close well)
    vendor_weights: dict[str, int] = {}
    #: words and phrases that ask for the next step (a quote, a demo, a test drive, a showing)
    intent_phrases: tuple[str, ...] = (
        "quote", "price", "pricing", "estimate", "demo", "test drive", "test-drive", "showing", "viewing",
        "tour", "appointment", "book", "schedule", "available", "availability", "call me", "probefahrt",
        "besichtigung", "angebot", "termin", "presupuesto", "prueba", "visita", "cita",
    )
    #: timeline words that mean soon
    near_timeline_phrases: tuple[str, ...] = (
        "today", "tomorrow", "asap", "as soon as possible", "this week", "next week", "this weekend", "now",
        "urgent", "immediately", "within days", "heute", "morgen", "sofort", "diese woche", "hoy", "mañana",
        "esta semana", "urgente",
    )
    #: a lead scored within this many minutes of arriving earns the "recent" points
    recent_minutes: int = Field(default=60, ge=0)
    #: values vendors put where the prospect left a field empty (compared case-insensitively, digits-only
    #: for phones)
    placeholder_values: tuple[str, ...] = (
        "noemail@noemail.com", "none@none.com", "no@email.com", "noreply@noreply.com", "na@na.com",
        "email@email.com", "0000000000", "1111111111", "1234567890", "5555555555", "9999999999",
    )
    #: phrases of obvious spam (SEO offers, crypto, pharmacy) in the message
    spam_phrases: tuple[str, ...] = (
        "seo services", "backlinks", "rank your website", "first page of google", "guest post", "crypto",
        "bitcoin", "casino", "viagra", "cialis", "web design services", "increase your traffic", "loan offer",
    )
    #: a message with at least this many links is spam
    spam_links: int = Field(default=3, ge=1)
    learning: LearningSettings = LearningSettings()

    @field_validator("points", "penalties")
    @classmethod
    def _known_keys(cls, value: dict[str, int], info: Any) -> dict[str, int]:
        known = SCORING_POINT_KEYS if info.field_name == "points" else SCORING_PENALTY_KEYS
        unknown = sorted(set(value) - known)
        if unknown:
            raise ValueError(f"unknown {info.field_name} key(s) {unknown}; known: {sorted(known)}")
        if info.field_name == "penalties" and any(v > 0 for v in value.values()):
            raise ValueError("penalties must be zero or negative")
        return value

    @model_validator(mode="after")
    def _thresholds_ordered(self) -> ScoringSettings:
        if self.grade_b > self.grade_a:
            raise ValueError(f"grade_b ({self.grade_b}) must not be above grade_a ({self.grade_a})")
        return self
