"""A heading that is also a label ("Customer") ends the other side's section; bold markup is no value."""

from __future__ import annotations

from tests.parsers.helpers import one

HEAD = "From: Portal <noreply@portal.example>\nSubject: New lead\nContent-Type: text/plain; charset=utf-8\n\n"
LEAD = "Name: Ana Pereira\nEmail: ana.p@gmail.example\nPhone: 617-555-0101\n"


def test_customer_heading_after_the_pros_block_is_the_leads_section() -> None:
    lead = one(HEAD + "Your business\nQuickDrain Plumbing LLC\n480-555-0100\n\nCustomer\n" + LEAD)
    assert (lead["full_name"], lead["phone"]) == ("Ana Pereira", "617-555-0101")


def test_customer_label_with_its_value_below_is_still_a_name() -> None:
    lead = one(HEAD + "Customer\nAna Pereira\nEmail: ana.p@gmail.example\n")
    assert lead["full_name"] == "Ana Pereira"


def test_markdown_bold_labels() -> None:
    lead = one(HEAD + "**Name:** Ana Pereira\n**Email:** ana.p@gmail.example\n__Phone:__ 617-555-0101\n")
    assert (lead["full_name"], lead["email"], lead["phone"]) == ("Ana Pereira", "ana.p@gmail.example", "617-555-0101")
