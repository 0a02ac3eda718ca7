"""Who the lead is when a message names several people or places: Reply-To, notifications, digests."""

from __future__ import annotations

import pytest

from nlp.extractor import Extractor
from parsers.lead import RawMessage


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _extract(extractor: Extractor, raw: str) -> list[dict[str, str | None]]:
    msg = RawMessage(raw=raw.replace("\n", "\r\n").encode("utf-8"), channel="smtp")
    return [lead.plain() for lead in extractor.extract(msg).leads]


def test_reply_to_names_the_lead_of_a_portal_mail(extractor: Extractor) -> None:
    [lead] = _extract(extractor, (
        "From: Homefront Premier <agent-leads@homefront.example>\nReply-To: Dana Whitfield <dana.w@gmail.com>\n"
        "Subject: Dana Whitfield is requesting information about 482 Larkspur Ln, Boise, ID 83702\n\n"
        "Dana Whitfield says:\nI'd love to tour this home.\n\n482 Larkspur Ln, Boise, ID 83702\n"))
    assert lead["full_name"] == "Dana Whitfield"
    assert lead["email"] == "dana.w@gmail.com"
    assert lead["street"] is None and lead["city"] is None  # the listing, not the lead's home


def test_a_portal_sender_is_not_the_lead(extractor: Extractor) -> None:
    [lead] = _extract(extractor, (
        "From: QuoteTack <pros@quotetack.example>\nSubject: Colleen wants a quote\n\n"
        "Hi Mark,\n\nCustomer: Colleen Farraday\nPhone: (630) 555-0144\n"))
    assert lead["full_name"] == "Colleen Farraday"
    assert lead["email"] is None


def test_notification_line_names_the_lead(extractor: Extractor) -> None:
    [lead] = _extract(extractor, (
        "From: LocalReview <no-reply@localreview.example>\nSubject: New request\n\n"
        "Raúl Benítez sent you a new request\nService: Water heater\nPhone number: (415) 555-0158\n"))
    assert lead["full_name"] == "Raúl Benítez"


def test_signature_line_spelling_the_mail_domain_is_the_company(extractor: Extractor) -> None:
    [lead] = _extract(extractor, (
        "From: Helen Moore <hm@crestlinedental.com>\nSubject: Copier lease\n\n"
        "Hello,\n\nWe would like a quote for a copier lease.\n\nThanks,\n\nHelen Moore\nOffice Manager\n"
        "Crestline Dental Group\n(253) 555-0163\n"))
    assert lead["company"] == "Crestline Dental Group"
    assert lead["budget"] is None


def test_a_digest_of_numbered_leads_gives_several_leads(extractor: Extractor) -> None:
    leads = _extract(extractor, (
        "From: Digest <digest@portal.example>\nSubject: Daily digest\n\n"
        "Lead 1\nName: Orla Brennan\nEmail: orla@b.example\n\nLead 2\nName: Victor Haddad\nEmail: vh@h.example\n"))
    assert [lead["email"] for lead in leads] == ["orla@b.example", "vh@h.example"]


def test_affiliation_needs_a_name_not_a_journey(extractor: Extractor) -> None:
    [lead] = _extract(extractor, (
        "From: Sam Reed <sam.reed@gmail.com>\nSubject: Tour\n\n"
        "I'm relocating from Portland in the spring. We're at 61 Quarry Hill Rd for now.\n\nSam\n"))
    assert lead["company"] is None
