"""Verification: phones, emails, placeholders, misplaced emails, names."""

from __future__ import annotations

import pytest

from parsers.lead import ExtractedLead, FieldValue
from parsers.verify import finalize, is_placeholder


def _lead(**values: str) -> ExtractedLead:
    return ExtractedLead({k: FieldValue(v, "test") for k, v in values.items()})


def test_valid_phone_gets_e164_and_keeps_its_writing() -> None:
    fv = finalize(_lead(phone="(804) 555-0143"), default_region="US").fields["phone"]
    assert (fv.value, fv.normalized, fv.flags) == ("(804) 555-0143", "+18045550143", ())


def test_region_of_phone_comes_from_settings() -> None:
    fv = finalize(_lead(phone="030 5550 1234"), default_region="DE").fields["phone"]
    assert fv.normalized == "+493055501234"


def test_invalid_phone_is_kept_and_flagged() -> None:
    fv = finalize(_lead(phone="11111111")).fields["phone"]
    assert fv.value == "11111111"
    assert fv.flags == ("invalid_phone",)


def test_email_checks() -> None:
    good = finalize(_lead(email="mailto:Ana.Ruiz@Example.COM")).fields["email"]
    assert good.value == "Ana.Ruiz@Example.COM"
    assert good.normalized == "Ana.Ruiz@example.com"
    bad = finalize(_lead(email="ana@@example")).fields["email"]
    assert "invalid_email" in bad.flags


@pytest.mark.parametrize("value", ["Unknown", "N/A", "FirstName LastName", "[email\u00a0protected]", "-", "Name"])
def test_placeholders_are_not_values(value: str) -> None:
    assert is_placeholder(value)
    assert finalize(_lead(full_name=value, email="x@example.com")).value("full_name") is None


def test_real_names_are_not_placeholders() -> None:
    assert not is_placeholder("Nancy First")
    assert not is_placeholder("Test")


def test_email_typed_into_the_name_field() -> None:
    lead = finalize(_lead(full_name="olu.ade@example.com"))
    assert lead.value("email") == "olu.ade@example.com"
    assert lead.value("full_name") is None


def test_full_name_split_and_joined() -> None:
    split = finalize(_lead(full_name="Dr. Harriet Vane"))
    assert (split.value("first_name"), split.value("last_name")) == ("Harriet", "Vane")
    joined = finalize(_lead(first_name="Peter", last_name="Wimsey"))
    assert joined.value("full_name") == "Peter Wimsey"


def test_explicit_names_win_and_conflicts_are_recorded() -> None:
    lead = finalize(_lead(full_name="Sunny Day", first_name="Marguerite", last_name="Olsen"))
    assert (lead.value("first_name"), lead.value("last_name"), lead.value("full_name")) == (
        "Marguerite", "Olsen", "Sunny Day")
    assert lead.fields["full_name"].flags == ("name_conflict",)
    assert lead.fields["first_name"].alternatives == ("Sunny Day",)


def test_company_written_as_the_name() -> None:
    lead = finalize(_lead(full_name="Kiln & Co LLC", email="hello@kiln.example"))
    assert lead.value("company") == "Kiln & Co LLC"
    assert lead.value("full_name") is None


@pytest.mark.parametrize(
    ("full", "first", "expected"),
    [
        ("LE GOFF", "Anne-Sophie", "Anne-Sophie LE GOFF"),  # a form's "Nom" in capitals beside "Prénom"
        ("de Vries", "Anke", "Anke de Vries"),
        ("Dupont", "Claire", "Claire Dupont"),
        ("Claire Dupont", "Claire", "Claire Dupont"),  # the full name already holds the first name
    ],
)
def test_surname_under_a_name_label_beside_a_first_name(full: str, first: str, expected: str) -> None:
    lead = finalize(_lead(full_name=full, first_name=first))
    assert lead.value("full_name") == expected


@pytest.mark.parametrize(
    ("full", "last", "expected"),
    [
        ("Gabriel José", "García Márquez", ("Gabriel José", "García Márquez", "Gabriel José García Márquez")),
        ("Inés", "Carvajal Rey", ("Inés", "Carvajal Rey", "Inés Carvajal Rey")),
    ],
)
def test_given_names_under_a_name_label_beside_a_last_name(full: str, last: str, expected: tuple[str, ...]) -> None:
    lead = finalize(_lead(full_name=full, last_name=last))
    assert (lead.value("first_name"), lead.value("last_name"), lead.value("full_name")) == expected


def test_a_full_name_holding_the_last_name_is_not_joined_again() -> None:
    assert finalize(_lead(full_name="Ana Lima", last_name="Lima")).value("full_name") == "Ana Lima"


def test_a_name_field_running_on_into_a_phone_number() -> None:
    lead = finalize(_lead(full_name="Gareth Pryce (512) 555-0123"), default_region="US")
    assert (lead.value("full_name"), lead.value("phone")) == ("Gareth Pryce", "(512) 555-0123")
    kept = finalize(_lead(full_name="Gareth Pryce - 512-555-0123", phone="512-555-0199"), default_region="US")
    assert (kept.value("full_name"), kept.value("phone")) == ("Gareth Pryce", "512-555-0199")


@pytest.mark.parametrize("answer", ["Yes (0:41)", "No", "ja", "Sí (1:05)"])
def test_a_checkbox_answer_is_no_message(answer: str) -> None:
    assert "message" not in finalize(_lead(message=answer)).fields


def test_a_message_that_says_nothing_yields_to_the_words_read_beside_it() -> None:
    words = "Hello, do you still have Saturday slots for a deep clean? Thanks"
    lead = ExtractedLead({"message": FieldValue("Yes (0:41)", "test", alternatives=(words,))})
    message = finalize(lead).fields["message"]
    assert message.value == words
    assert message.alternatives == ()


@pytest.mark.parametrize("leftover",
                         ["Comment or Message\n---", "Your message", "Ihre Nachricht\n* * *", "Comentarios"])
def test_a_message_fields_label_left_alone_is_no_message(leftover: str) -> None:
    assert "message" not in finalize(_lead(message=leftover)).fields


def test_a_rule_between_the_prospects_lines_goes() -> None:
    message = finalize(_lead(message="Need two rooms painted.\n-----\nWeekends only please.")).fields["message"]
    assert message.value == "Need two rooms painted.\nWeekends only please."
