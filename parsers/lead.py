"""The domain types that flow through Leadbot, from raw bytes to extracted lead fields.

Data flows one way: ``RawMessage`` (what arrived, stored before it is acknowledged) →
``Extraction`` (the leads read from it, every field with its provenance) → scored and stored
elsewhere. These types are plain frozen values so every stage can be a pure function.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Literal

from parsers.errors import InputError

#: the longest vendor (source) name kept: a longer one is not a name
MAX_VENDOR_NAME = 80

#: The public lead fields, in the order `leadbot parse --json` prints them.
FIELD_NAMES: tuple[str, ...] = (
    "first_name",
    "last_name",
    "full_name",
    "email",
    "phone",
    "company",
    "street",
    "city",
    "region",
    "postal_code",
    "country",
    "interest",
    "budget",
    "timeline",
    "message",
)

#: The fields that identify and reach a person (as opposed to what they want).
CONTACT_FIELDS: frozenset[str] = frozenset(FIELD_NAMES[:11])

Channel = Literal["smtp", "slack", "http", "file"]


@dataclass(frozen=True, slots=True)
class RawMessage:
    """Bytes as received on one channel, before any interpretation."""

    raw: bytes
    channel: Channel
    sender: str | None = None
    recipients: tuple[str, ...] = ()
    received_at: datetime | None = None
    #: a file name or other hint of the payload kind (".eml", ".json"…); None for mail
    name_hint: str | None = None
    #: the SMTP session's peer address and HELO/EHLO name (sender authentication needs them); None elsewhere
    client_ip: str | None = None
    helo: str | None = None


@dataclass(frozen=True, slots=True)
class FieldValue:
    """One extracted value and where it came from.

    ``source`` names the rule that produced it: ``template:<vendor>:<rule>``, ``reader:<reader>:<path>``
    or ``nlp:<component>``. ``flags`` mark a value that failed verification (kept, never dropped),
    e.g. ``invalid_phone``. ``alternatives`` keeps conflicting values that lost to this one.
    ``normalized`` is a canonical form when verification produced one (E.164 for a phone, the
    normalised address for an email); ``value`` stays as the sender wrote it.
    """

    value: str
    source: str
    confidence: float = 1.0
    flags: tuple[str, ...] = ()
    alternatives: tuple[str, ...] = ()
    normalized: str | None = None

    def with_alternative(self, other: str) -> FieldValue:
        if other == self.value or other in self.alternatives:
            return self
        return replace(self, alternatives=(*self.alternatives, other))

    def with_flag(self, flag: str) -> FieldValue:
        if flag in self.flags:
            return self
        return replace(self, flags=(*self.flags, flag))

    def provenance(self) -> dict[str, object]:
        """Where the value came from and how sure we are, as JSON (everything but the value itself).

        The one serialisation of a field's provenance: stored with a lead or a chat draft, printed by
        ``leadbot parse --explain``, read back by ``FieldValue.from_json``.
        """
        out: dict[str, object] = {"source": self.source, "confidence": round(self.confidence, 3)}
        if self.flags:
            out["flags"] = list(self.flags)
        if self.alternatives:
            out["alternatives"] = list(self.alternatives)
        if self.normalized:
            out["normalized"] = self.normalized
        return out

    def to_json(self) -> dict[str, object]:
        """The value with its provenance, as JSON."""
        return {"value": self.value, **self.provenance()}

    @classmethod
    def from_json(cls, data: Mapping[str, object], *, value: str | None = None, source: str = "stored") -> FieldValue:
        """The inverse of ``to_json`` (or of ``provenance`` with the value given apart), tolerant of old rows."""
        raw_value = data.get("value", value)
        confidence = data.get("confidence", 1.0)
        normalized = data.get("normalized")
        return cls(
            value="" if raw_value is None else str(raw_value),
            source=str(data.get("source") or source),
            confidence=float(confidence) if isinstance(confidence, int | float) else 1.0,
            flags=_strings(data.get("flags")),
            alternatives=_strings(data.get("alternatives")),
            normalized=str(normalized) if normalized else None,
        )


def _strings(items: object) -> tuple[str, ...]:
    return tuple(str(item) for item in items) if isinstance(items, list | tuple) else ()


#: whose a value is when it is not the prospect's: the roles readers tell apart
ROLES: tuple[str, ...] = ("agent", "dealer", "seller", "vendor", "provider", "partner", "property", "trade_in",
                          "sender", "forwarder", "recipient")


@dataclass(frozen=True, slots=True)
class RoleValue:
    """A value the message holds that belongs to someone or something other than the prospect: the listing
    agent's phone, the dealer's name, the property's address, a relay's sender name. Kept, never used as
    the lead's, so `leadbot parse --explain` can show what was set aside and why."""

    field: str
    value: str
    role: str
    source: str


@dataclass(frozen=True, slots=True)
class ExtractedLead:
    """The fields read for one prospect. Absent fields are simply not in ``fields``.

    ``others`` are the values of the other side of the transaction (see ``RoleValue``), in reading order.
    """

    fields: Mapping[str, FieldValue] = field(default_factory=dict)
    others: tuple[RoleValue, ...] = ()

    def value(self, name: str) -> str | None:
        found = self.fields.get(name)
        return found.value if found else None

    def plain(self) -> dict[str, str | None]:
        """Every public field, None where nothing was found (the `parse --json` shape)."""
        return {name: self.value(name) for name in FIELD_NAMES}

    @property
    def display_name(self) -> str | None:
        full = self.value("full_name")
        if full:
            return full
        parts = [p for p in (self.value("first_name"), self.value("last_name")) if p]
        return " ".join(parts) or None

    def is_empty(self) -> bool:
        return not any(name in self.fields for name in CONTACT_FIELDS)

    def with_fields(self, fields: Mapping[str, FieldValue]) -> ExtractedLead:
        """The same lead (and its set-aside ``others``) with other fields."""
        return ExtractedLead(fields, self.others)

    def role_values(self, role: str | None = None) -> tuple[RoleValue, ...]:
        return tuple(o for o in self.others if role is None or o.role == role)

    def provenance(self) -> dict[str, dict[str, object]]:
        """Every field's provenance by name (``FieldValue.provenance``), as stored beside the values."""
        return {name: value.provenance() for name, value in self.fields.items()}

    @classmethod
    def from_stored(
        cls, values: Mapping[str, str], provenance: Mapping[str, Mapping[str, object]], *, source: str = "stored"
    ) -> ExtractedLead:
        """A lead rebuilt from stored values and their provenance (the inverse of ``provenance``)."""
        return cls({
            name: FieldValue.from_json(provenance.get(name) or {}, value=value, source=source)
            for name, value in values.items()
        })


@dataclass(frozen=True, slots=True)
class Extraction:
    """What one message yielded: the vendor that sent it (if recognised), its leads, and notes."""

    vendor: str | None
    leads: tuple[ExtractedLead, ...]
    #: the readable text of the message (for cards' "View original" and the nlp stage)
    text: str = ""
    subject: str | None = None
    warnings: tuple[str, ...] = ()

    @staticmethod
    def of(vendor: str | None, leads: Iterable[ExtractedLead], **kw: object) -> Extraction:
        return Extraction(vendor, tuple(leads), **kw)  # type: ignore[arg-type]


class ExtractionError(InputError, ValueError):
    """The input cannot be read as a lead message (the sender's fault, not ours)."""


class RefusedInput(ExtractionError):
    """The input looks hostile (an XML entity-expansion bomb…) and was refused unread."""
