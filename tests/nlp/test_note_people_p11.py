"""People in Slack and chat notes, eleventh pass (``nlp.name_parts``, ``nlp.note_blocks``, ``nlp.note_heads``,
``nlp.note_people``, the gazetteer): a surname in capitals before a properly written first name is surname first; the
writer's signature under a closing phrase is ours though it runs to a title and a phone; a colleague's internal
forward pasted into a note, and the author of a message a note passes on, name no lead; short first names ("Jen")
are first names; a referrer, a colleague at our front desk and the second-named of a couple are not the lead."""

from __future__ import annotations

from functools import cache

import pytest

from nlp.extractor import Extractor
from nlp.lexicon import is_first_name
from nlp.name_parts import inverted_names
from nlp.note_blocks import without_reps_signoff
from nlp.note_heads import without_forward_author
from parsers.lead import RawMessage

_READER = cache(Extractor)


def _leads(note: str) -> list[dict[str, str | None]]:
    """The leads a note gives, read as chat intake reads it (one reader for the module)."""
    read = _READER().extract(RawMessage(raw=note.encode("utf-8"), channel="slack"))
    return [lead.plain() for lead in read.leads]


@pytest.mark.parametrize(
    ("note", "name"),
    [
        ("HARLOW, Bettina 555-0118 wants a fence quote", "Bettina Harlow"),  # Harlow is a first name too
        ("OYELARAN, Temitope | 555-0131 | water heater", "Temitope Oyelaran"),  # no gazetteer knows Temitope
        ("VAN DER WAAL, Femke - 06 12345678", "Femke van der Waal"),
    ],
)
def test_a_surname_in_capitals_before_a_first_name_is_surname_first(note: str, name: str) -> None:
    assert [found for found, _ in inverted_names(note, 0, len(note))] == [name]


@pytest.mark.parametrize(
    "note",
    [
        "PLANO, Texas 555-0118 wants a fence quote",  # a place and its state
        "URGENT, Please 555-0118",  # a note word, not a first name
        "TOBIAS, ANNA 555-0101",  # both in capitals: the gazetteers decide, and they say two first names
    ],
)
def test_capitals_before_a_word_that_is_no_name_give_no_person(note: str) -> None:
    assert inverted_names(note, 0, len(note)) == []


def test_the_surname_first_reading_is_the_lead_in_a_note() -> None:
    (lead,) = _leads("HARLOW, Bettina 555-0118 - wants 2 quotes for a fence, corner lot\nfollow up tomorrow\n")
    assert (lead["first_name"], lead["last_name"]) == ("Bettina", "Harlow")


SIGNED_NOTE = (
    "Quick one for whoever is on today:\n\n"
    "Augustina Pereira reached out through the website, 555-0152, augustina.pereira@gmail.com, asking about a "
    "standby generator.\n\nThanks,\nDerek Holloway\nInside Sales Representative\n555-0100 ext 4\n"
)


def test_a_writers_signature_with_title_and_phone_below_a_closing_is_ours() -> None:
    assert without_reps_signoff(SIGNED_NOTE).endswith("asking about a standby generator.")
    (lead,) = _leads(SIGNED_NOTE)
    assert (lead["full_name"], lead["phone"]) == ("Augustina Pereira", "555-0152")


def test_a_colleagues_work_address_in_the_signature_does_not_keep_it() -> None:
    note = ("Hi all — Oskar Brandt, 555-0138, wants a new front door.\n\nBest,\nLena Fischer\n"
            "Inside Sales | Brightway Doors\nlena.fischer@brightwaydoors.com\n")
    (lead,) = _leads(note)
    assert (lead["full_name"], lead["phone"], lead["email"]) == ("Oskar Brandt", "555-0138", None)


def test_the_prospect_signing_again_keeps_their_signature() -> None:
    note = ("Gideon Marsh wrote in, 555-0140, wants a carport.\n\nThanks,\nGideon Marsh\nOwner, Marsh Farms\n"
            "555-0140\n")
    assert without_reps_signoff(note) == note


def test_a_prospects_mail_pasted_into_a_note_keeps_its_sender() -> None:
    note = ("From: Kwame Mensah <kwame.mensah@gmail.com>\nTo: sales@northfieldglass.com\nSubject: quote\n\n"
            "hi, i need a fence for my backyard. call me 555-0172\nKwame\n")
    (lead,) = _leads(note)
    assert (lead["full_name"], lead["email"]) == ("Kwame Mensah", "kwame.mensah@gmail.com")


@pytest.mark.parametrize("short", ["Jen", "steph", "Kev", "Stu"])
def test_short_first_names_from_the_nicknames_package_are_first_names(short: str) -> None:
    assert is_first_name(short)


@pytest.mark.parametrize("word", ["fall", "court", "hub", "win"])
def test_nicknames_that_are_words_in_a_note_are_no_first_names(word: str) -> None:
    assert not is_first_name(word)


def test_a_lower_case_note_with_a_short_first_name_names_its_lead() -> None:
    (lead,) = _leads("jen okoro 555 0158 wants gutters cleaned + guards, 2 story colonial\n")
    assert (lead["first_name"], lead["last_name"]) == ("Jen", "Okoro")


def test_the_person_whose_referral_it_was_is_no_lead() -> None:
    (lead,) = _leads("Anika Das (555-0156) wants solar. She found us through Jordan Blake's referral.\n")
    assert lead["full_name"] == "Anika Das"


@pytest.mark.parametrize(
    "note",
    [
        "Tomasz Nowak 555-0145 wants a quote. Spoke with Linda Hart at the front desk first.",
        "Tomasz Nowak 555-0145 wants a quote. Spoke with Linda Hart at reception first.",
    ],
)
def test_a_colleague_at_our_front_desk_is_no_lead(note: str) -> None:
    (lead,) = _leads(note)
    assert lead["full_name"] == "Tomasz Nowak"


@pytest.mark.parametrize(
    "note",
    [
        "Forwarded message\nFrom: Greg Patel\nMei Lin, 555-0133, asking about a 2BR condo on Elm",
        "Message from Greg Patel:\nMei Lin came by, 555-0133, wants a condo tour",
        "Greg Patel wrote:\n> Mei Lin came by, 555-0133, wants a condo tour",
        "Nachricht von Greg Patel:\nFrau Mei Lin war im Laden, 0171 2233445, möchte eine Besichtigung",
    ],
)
def test_the_author_of_a_passed_on_message_is_no_lead(note: str) -> None:
    assert "Greg Patel" not in without_forward_author(note)
    (lead,) = _leads(note)
    assert lead["full_name"] == "Mei Lin"


@pytest.mark.parametrize(
    "note",
    [
        "Message from Mei Lin:\nhi, I'd like a condo tour, call me 555-0133",  # the author is the prospect
        "From: Mei Lin\nHi, this is Mei Lin, 555-0133, a condo tour please",  # the message names the author again
    ],
)
def test_an_author_who_writes_about_themselves_stays(note: str) -> None:
    assert without_forward_author(note) == note
    (lead,) = _leads(note)
    assert lead["full_name"] == "Mei Lin"


@pytest.mark.parametrize(
    "note",
    [
        "Tom & Ana Ruiz stopped by the booth. 555-0105. Looking at a sunroom addition.",
        "Tom and Ana Ruiz, 555-0105, sunroom addition",
    ],
)
def test_a_couple_is_named_by_the_first_named_partner(note: str) -> None:
    (lead,) = _leads(note)
    assert lead["full_name"] == "Tom Ruiz"
