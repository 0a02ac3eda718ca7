"""Digests that repeat one form's labels block after block: one lead per block, and only then."""

from __future__ import annotations

import pytest

from tests.parsers.helpers import structured

HEAD = "From: Daily Leads <digest@leadhub.example>\nSubject: Your daily lead summary\n\n"
ANA = "ana.p@gmail.example", "617-555-0101"
BORIS = "bklein@outlook.example", "617-555-0102"

DIGESTS = {
    "separator lines": (
        "Here are today's leads.\n\nName: Ana Pereira\nEmail: ana.p@gmail.example\nPhone: 617-555-0101\n"
        "Interest: Solar panels\n\n----------------------------------------\n\n"
        "Name: Boris Klein\nEmail: bklein@outlook.example\nPhone: 617-555-0102\nInterest: Battery storage\n"),
    "blank lines": ("Name: Ana Pereira\nEmail: ana.p@gmail.example\nPhone: 617-555-0101\n\n"
                    "Name: Boris Klein\nEmail: bklein@outlook.example\nPhone: 617-555-0102\n"),
    "name in the heading": ("New lead - Ana Pereira\nEmail: ana.p@gmail.example\nPhone: 617-555-0101\n\n"
                            "New lead - Boris Klein\nEmail: bklein@outlook.example\nPhone: 617-555-0102\n"),
    "numbered items": ("1) Ana Pereira\n   Email: ana.p@gmail.example\n   Phone: 617-555-0101\n"
                       "2) Boris Klein\n   Email: bklein@outlook.example\n   Phone: 617-555-0102\n"),
}


@pytest.mark.parametrize("kind", list(DIGESTS))
def test_one_lead_per_block(kind: str) -> None:
    _vendor, leads = structured(HEAD + DIGESTS[kind])
    got = [(lead.value("full_name"), lead.value("email"), lead.value("phone")) for lead in leads]
    assert got == [("Ana Pereira", *ANA), ("Boris Klein", *BORIS)]


def test_the_blocks_keep_their_own_interest() -> None:
    _vendor, leads = structured(HEAD + DIGESTS["separator lines"])
    assert [lead.value("interest") for lead in leads] == ["Solar panels", "Battery storage"]


def test_one_lead_in_paragraphs_stays_one() -> None:
    text = ("Name: Ana Pereira\nEmail: ana.p@gmail.example\n\nPhone: 617-555-0101\nMobile: 617-555-0109\n\n"
            "Name: Ana Pereira\nEmail: ana.p@gmail.example\n")
    _vendor, leads = structured(HEAD + text)
    assert len(leads) == 1 and leads[0].value("email") == "ana.p@gmail.example"


def test_a_second_block_of_another_kind_is_no_second_lead() -> None:
    text = ("Name: Ana Pereira\nEmail: ana.p@gmail.example\nPhone: 617-555-0101\n\n"
            "Phone: 617-555-0177\nEmail: office@pereira-family.example\n")
    _vendor, leads = structured(HEAD + text)
    assert len(leads) == 1


def test_labels_repeated_with_no_line_between_the_leads() -> None:
    text = ("Name: Ana Pereira\nEmail: ana.p@gmail.example\nPhone: 617-555-0101\n"
            "Name: Boris Klein\nEmail: bklein@outlook.example\nPhone: 617-555-0102\n")
    _vendor, leads = structured(HEAD + text)
    assert [(lead.value("full_name"), lead.value("email"), lead.value("phone")) for lead in leads] == [
        ("Ana Pereira", *ANA), ("Boris Klein", *BORIS)]


def test_a_second_address_of_one_lead_does_not_cut_it() -> None:
    text = "Email: ana.p@gmail.example\nPhone: 617-555-0101\nEmail: ana.work@corp.example\nName: Ana Pereira\n"
    _vendor, leads = structured(HEAD + text)
    assert [lead.value("full_name") for lead in leads] == ["Ana Pereira"]
