"""Second looks at a person read from a chat note (``nlp.note_people``, ``nlp.our_side``, ``nlp.note_blocks``): a city
and its region is where the lead is, a quoted nickname does not cut the name, a caller-ID in capitals is surname
first, "ask for X", "Familie X" and "can you call X" name the lead; a colleague who acts on the lead, shares the
post or speaks before each line is no lead; a clock time or a place read as a firm is none."""

from __future__ import annotations

from functools import cache

import pytest

from nlp.extractor import Extractor
from nlp.note_blocks import without_speaker_prefixes
from nlp.note_people import (
    contact_follows,
    first_names_of_firms,
    gazetteer_order,
    nickname_surname,
    place_not_person,
    place_or_time_run,
    possessor,
    without_shouted_head,
)
from nlp.our_side import works_on_lead
from parsers.lead import RawMessage


@cache
def _reader() -> Extractor:
    return Extractor()


def _lead(note: str) -> dict[str, str | None]:
    """The one lead a note gives, read as chat intake reads it."""
    (lead,) = _reader().extract(RawMessage(raw=note.encode("utf-8"), channel="slack")).leads
    return lead.plain()


@pytest.mark.parametrize(
    ("note", "name"),
    [
        # a city and its state before the person: the place, then the lead
        ("Omaha NE - Delphine Warrick - 402-555-0163 - sump pump", "Delphine Warrick"),
        ("Lead from Spokane, WA: Ignatius Moreau, 509-555-0108, wants a mini split", "Ignatius Moreau"),
        (":round_pushpin: Savannah GA :bust_in_silhouette: Cordelia Banks 912-555-0135 porch screens",
         "Cordelia Banks"),
        # a nickname in quotes or brackets inside the name
        ('Talked w/ Bartholomew "Bart" Lindqvist about a carport, 555-0176', "Bartholomew Lindqvist"),
        ("Spoke to Theodora (Teddy) Vasquez today, wants a pergola, 555-0149", "Theodora Vasquez"),
        # a caller-ID in capitals, surname first
        ("Caller ID: GALLAGHER FIONA\nwants the gutters cleaned, 555-0192", "Fiona Gallagher"),
        # only a first name, after "ask for"
        ("inbound 555-0171, ask for Philippa, she wants a quote on a shed", "Philippa"),
        ("Rückruf unter 0172 5550199, bitte fragen nach Frau Lindhorst wegen Markise", "Lindhorst"),
        # a family named by its surname
        ("Bitte Familie Hohenstein zurückrufen, 0341 5550 1177, Wintergarten", "Hohenstein"),
        ("Llamó la familia Arrieta, quieren presupuesto de persianas, 633 555 108", "Arrieta"),
        # a first name alone before the firm they are from
        ("Rosalie from Copper Kettle (the diner by the mill) wants a grease trap cleaned, 555-0131", "Rosalie"),
        ("Norbert from Lakeview Realty sent over his client Imelda Sousa, 555-0140", "Imelda Sousa"),
        ("Greta from sales took a call: Horatio Blum, 555-0177, wants a carport", "Horatio Blum"),
        # a colleague who acts on the lead, or who shared the post, is not the lead
        ("Wilhelmina Ashby - carport - 555-0133 - Desmond Reilly to call", "Wilhelmina Ashby"),
        ("Shared a message from Desmond Reilly in #leads:\nWilhelmina Ashby 555-0133 wants a carport",
         "Wilhelmina Ashby"),
        # a name shaped pair with the contact right after it, the first name unknown to the gazetteers
        ("from the fair - Oyelaran Adebisi 555-0133 wants a carport", "Oyelaran Adebisi"),
        # a colleague asked to call the lead: the one to call is the lead, even inside the greeting line
        ("Hi Desmond, can you call Wilhelmina Ashby at 555-0133? She wants a carport. Thanks", "Wilhelmina Ashby"),
        # a copied chat with its speaker before each line
        ("Desmond Reilly: new one from the phones\nDesmond Reilly: Wilhelmina Ashby, 555-0133\n"
         "Desmond Reilly: wants a carport", "Wilhelmina Ashby"),
        # a firm's legal form is no initials of a name; a firm named after the titled person is not his full name
        ("Hablé con el Sr. Ibarguren de Talleres Ibarguren S.L., 943 555 120, quiere dos elevadores", "Ibarguren"),
        ("Herr Kowalczyk (Autohaus Kowalczyk) bittet um Rückruf, 0201 555 12 34", "Kowalczyk"),
        # a possessive: the owner is named; a colleague's territory or client is our side
        ("Wilhelmina Ashby's kitchen needs new cabinets, 555-0133", "Wilhelmina Ashby"),
        ("Carport lead (Desmond Reilly's territory): Wilhelmina Ashby 555-0133", "Wilhelmina Ashby"),
        # a known first name typed in lower case after a cue in a capitalised note
        ("Spoke to wilhelmina ashby today. She wants a carport. 555-0133", "Wilhelmina Ashby"),
        # a tag in capitals before the name (its emoji dropped); a word after the name in the email's local part
        (":rotating_light: URGENT :rotating_light: Cosima Albrecht 555-0190 burst pipe", "Cosima Albrecht"),
        ("got a mail from lena.hartmann.design@gmail.com about fitted wardrobes", "Lena Hartmann"),
    ],
)
def test_notes_name_the_lead(note: str, name: str) -> None:
    assert _lead(note)["full_name"] == name


@pytest.mark.parametrize(
    ("note", "company"),
    [
        ("Omaha NE - Delphine Warrick - 402-555-0163 - sump pump", None),
        ("at 4pm Gideon Sorensen called about a new furnace, 555-0117", None),
        ("got a call from Wilhelmina Pratt of Pratt Orchards, wants irrigation, 555-0128", "Pratt Orchards"),
        # a first name alone before the firm they are from; a partner's firm is not the lead's
        ("Rosalie from Copper Kettle (the diner by the mill) wants a grease trap cleaned, 555-0131", "Copper Kettle"),
        ("Norbert from Lakeview Realty sent over his client Imelda Sousa, 555-0140", None),
    ],
)
def test_a_place_or_a_time_is_no_firm(note: str, company: str | None) -> None:
    assert _lead(note)["company"] == company


def test_place_not_person_needs_a_city_and_a_region() -> None:
    text = "Austin TX - Jo Lee / Austin Moore called / Denver, CO: Al Poe / Denver, Jo"
    assert place_not_person(text, "Austin Tx", 0, 9)
    at = text.index("Austin Moore")
    assert not place_not_person(text, "Austin Moore", at, at + 12)
    at = text.index("Denver, CO")
    assert place_not_person(text, "Denver", at, at + 6)
    at = text.index("Denver, Jo")
    assert not place_not_person(text, "Denver", at, at + 6)
    # a state code counts only written in capitals
    assert not place_not_person("Phoenix Az", "Phoenix Az", 0, 10)


def test_nickname_surname_reads_past_the_quotes() -> None:
    text = 'Robert "Bobby" Kowalski wants a deck'
    assert nickname_surname(text, len("Robert")) == ("Kowalski", len('Robert "Bobby" Kowalski'))
    assert nickname_surname("Robert wants a deck", len("Robert")) is None
    assert nickname_surname('Robert "Bobby" wants a deck', len("Robert")) is None


def test_gazetteer_order_only_for_capitals_the_gazetteers_turn() -> None:
    assert gazetteer_order("Walsh Brendan", "WALSH BRENDAN", 0, 13) == "Brendan Walsh"
    assert gazetteer_order("Walsh Brendan", "Walsh Brendan", 0, 13) is None  # mixed case: as written
    assert gazetteer_order("Vanessa Okonjo", "VANESSA OKONJO", 0, 14) is None  # already first name first
    assert gazetteer_order("Nguyen Thi Hoa", "NGUYEN THI HOA", 0, 14) is None  # three words: as written


def test_first_names_of_firms_reads_known_first_names_only() -> None:
    text = "Mateo from Blue Heron wants a quote\nLead: Jenna @ Sunrise Living\nWants from Home Depot"
    assert [f[0] for f in first_names_of_firms(text, 0, len(text))] == ["Mateo", "Jenna"]


def test_without_shouted_head() -> None:
    text = "VIP Reginald Ashford wants"
    assert without_shouted_head(text, "Vip Reginald Ashford", 0, 20) == ("Reginald Ashford", 4)
    assert without_shouted_head("JOHN PAUL JONES", "John Paul Jones", 0, 15) is None  # a name in capitals
    assert without_shouted_head("MARY Ann Jones", "Mary Ann Jones", 0, 14) is None  # a first name


def test_a_colleague_taking_the_call_leaves_the_number_to_the_lead() -> None:
    lead = _lead("Desmond Reilly took the call: 555-0133, wants a carport, no name given")
    assert lead["full_name"] is None
    assert lead["phone"] == "555-0133"


def test_works_on_lead_and_contact_follows() -> None:
    text = "Desmond Reilly to call / Tom will call her / Jill Moore will call back"
    assert works_on_lead(text, len("Desmond Reilly"))
    assert works_on_lead(text, text.index(" will call her"))
    assert not works_on_lead(text, text.index(" will call back"))  # the lead may say that of themselves
    assert not works_on_lead("Marta Ibáñez to call us back", len("Marta Ibáñez"))
    text = "- Oyelaran Adebisi 555-0133 / from Riverbend HOA, 555-0170"
    assert contact_follows(text, 2, 18)
    at = text.index("Riverbend")
    assert not contact_follows(text, at, at + len("Riverbend HOA"))


@pytest.mark.parametrize(
    ("note", "email"),
    [
        ("New lead: Philippa Crane, 555-0190, wants a heat pump. Questions to me: desmond.reilly@ourhvac.example",
         None),
        ("Lead: Philippa Crane, philippa.crane@gmail.com. Routing to desmond.reilly@ourhvac.example",
         "philippa.crane@gmail.com"),
        # the rep's own chat note that hands over the lead: the words "sent him back to me" name no colleague
        ("tom at the desk sent him back to me: philippa crane, philippa.crane@gmail.com", "philippa.crane@gmail.com"),
    ],
)
def test_an_email_the_note_routes_to_is_a_colleagues(note: str, email: str | None) -> None:
    assert _lead(note)["email"] == email


def test_possessor() -> None:
    text = "Greg Lin's territory"
    assert possessor(text, "Greg Lin's", 10) == ("Greg Lin", 8, "staff")
    assert possessor("Jill Moore's house", "Jill Moore's", 12) == ("Jill Moore", 10, None)
    assert possessor("Jordan Blake's referral", "Jordan Blake's", 14) == ("Jordan Blake", 12, "partner")
    assert possessor("Jill Moore wants", "Jill Moore", 10) is None


def test_without_speaker_prefixes_keeps_labels() -> None:
    chat = "Ana Ruiz: got one\nAna Ruiz: Tel: 555-0101\nName: Bo Li\nName: Cy Wu"
    assert without_speaker_prefixes(chat) == "got one\nTel: 555-0101\nName: Bo Li\nName: Cy Wu"
    assert without_speaker_prefixes("Ana Ruiz: got one") == "Ana Ruiz: got one"  # said once: no speaker


def test_place_or_time_run() -> None:
    assert place_or_time_run("Reno NV")
    assert place_or_time_run("10:30 Jonas Weber")
    assert not place_or_time_run("Acme Roofing")
    assert not place_or_time_run("Reno Glass Works")
