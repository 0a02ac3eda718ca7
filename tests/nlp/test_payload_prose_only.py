"""A payload no key of which names the lead — a chat tool's {"text": …}, a messenger's message list, a bare
list of strings — is read through its strings as one note, not dropped; a payload with no contact anywhere
still gives no lead."""

from __future__ import annotations

import json

import pytest

from nlp.extractor import NO_LEAD, Extractor
from parsers.lead import RawMessage


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def read(extractor: Extractor, payload: object) -> list[dict[str, str | None]]:
    raw = json.dumps(payload).encode()
    return [lead.plain() for lead in extractor.extract(RawMessage(raw, "file", name_hint="hook.json")).leads]


def test_a_chat_tools_text_is_read_as_a_note(extractor: Extractor) -> None:
    (lead,) = read(extractor, {"text": "New lead from the site: Ingrid Solberg, ingrid.solberg@example.no, "
                                       "+47 922 55 018, wants a quote for a sauna"})
    assert (lead["full_name"], lead["email"], lead["phone"]) == (
        "Ingrid Solberg", "ingrid.solberg@example.no", "+47 922 55 018")


def test_a_message_list_is_read_as_one_lead(extractor: Extractor) -> None:
    payload = {"conversation": "c7", "messages": [
        {"author": "visitor", "text": "Hi, I'm Ingrid Solberg and I need a sauna quote"},
        {"author": "visitor", "text": "ingrid.solberg@example.no"},
        {"author": "visitor", "text": "+47 922 55 018"}]}
    (lead,) = read(extractor, payload)
    assert (lead["email"], lead["phone"]) == ("ingrid.solberg@example.no", "+47 922 55 018")


def test_a_list_of_strings(extractor: Extractor) -> None:
    (lead,) = read(extractor, ["Ingrid Solberg", "ingrid.solberg@example.no", "+47 922 55 018"])
    assert (lead["full_name"], lead["email"]) == ("Ingrid Solberg", "ingrid.solberg@example.no")


def test_a_payload_without_contact_stays_without_a_lead(extractor: Extractor) -> None:
    raw = json.dumps({"eventId": 4, "subscriptionType": "contact.creation", "note": "Created by the import job"})
    result = extractor.extract(RawMessage(raw.encode(), "file", name_hint="hook.json"))
    assert result.leads == ()
    assert NO_LEAD in result.warnings


@pytest.mark.parametrize("key", ["leadgen_id", "formId", "page_id", "uuid", "created_time"])
def test_an_identifiers_digits_are_no_phone(extractor: Extractor, key: str) -> None:
    """A page webhook that only announces a lead by its id (fetched separately) gives no lead of its own."""
    notice = {"object": "page", "entry": [{"id": "98765", "changes": [
        {"field": "leadgen", "value": {key: "444555666777888", "ad_id": "0"}}]}]}
    assert read(extractor, notice) == []
