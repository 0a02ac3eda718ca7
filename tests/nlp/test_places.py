"""Cities from the gazetteer: known place names after a place cue or standing alone in a note."""

from __future__ import annotations

import pytest
from spacy.language import Language

from nlp.extractor import Extractor
from nlp.freetext import read_free_text
from nlp.places import city_at, is_city
from parsers.lead import RawMessage


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def test_gazetteer_knows_cities_in_their_own_spelling_but_not_function_words() -> None:
    assert all(is_city(c) for c in ("Spokane", "new albany", "Lisboa", "München", "Niterói", "A Coruña"))
    assert not any(is_city(w) for w in ("the", "more", "her", "Quarry"))


def test_longest_known_name_wins() -> None:
    text = "moving to Salt Lake City soon"
    assert city_at(text, text.index("Salt"), len(text)) == ("Salt Lake City", text.index(" soon"))
    assert city_at("Quarry Hill", 0, 11) is None


@pytest.mark.parametrize(
    ("text", "city"),
    [
        ("We haul produce with 18 reefer trucks out of Boise and need a fleet quote.", "Boise"),
        ("hi, the garage roof leaks, it is a 1990 build in spokane. call 509-555-0143 after 5.", "Spokane"),
        ("Somos una ferretería familiar en Albacete y queremos precio para 3 básculas.", "Albacete"),
        ("Wir sind ein kleiner Betrieb bei Bielefeld und brauchen zwei Transporter.", "Bielefeld"),
        ("the house is a 1960s ranch in boise, can someone check the furnace?", "Boise"),  # their own house
        ("Hi, we have a leak in the basement. I live in austin, call 512-555-0128.", "Austin"),  # a living verb
    ],
)
def test_known_city_after_a_place_cue(nlp: Language, text: str, city: str) -> None:
    assert read_free_text(nlp, text).value("city") == city


@pytest.mark.parametrize(
    "text",
    [
        "We bought from Phoenix Logistics last year and need a quote.",  # a firm, not a city
        "Our office is on Tacoma Avenue and we need a quote.",  # a street
        "Please call me back in May about the quote.",  # a month
        "We are interested in the listing in Austin, can we see it Friday?",  # the property's place
        "Ich interessiere mich für das Reihenhaus in Bielefeld-Sennestadt.",  # what they ask about
        "Please quote painting the fence in green, about 120 ft.",  # a colour in a capitalised sentence
        "Hello, I want the bedroom in orange and the hallway in white.",
    ],
)
def test_known_name_that_is_not_where_the_lead_is(nlp: Language, text: str) -> None:
    assert read_free_text(nlp, text).value("city") is None


def test_city_alone_between_separators_in_a_note(extractor: Extractor) -> None:
    note = "1. Ines Forsberg - 208-555-0177 - wants a quote on a carport, Pocatello"
    (lead,) = [ld.plain() for ld in extractor.extract(RawMessage(raw=note.encode(), channel="slack")).leads]
    assert (lead["full_name"], lead["city"]) == ("Ines Forsberg", "Pocatello")


def test_lowercase_note_city_with_two_words(extractor: Extractor) -> None:
    note = "walk-in, mara quist, runs quist tile on 3rd st in grand junction. 970-555-0119"
    (lead,) = [ld.plain() for ld in extractor.extract(RawMessage(raw=note.encode(), channel="slack")).leads]
    assert lead["city"] == "Grand Junction"


def test_a_note_names_an_unknown_place_only_after_a_home_cue(extractor: Extractor) -> None:
    def city(note: str) -> str | None:
        (lead,) = [ld.plain() for ld in extractor.extract(RawMessage(raw=note.encode(), channel="slack")).leads]
        return lead["city"]

    assert city("Spoke with Dana Whitcombe in Purchasing today, she wants 12 laptops. 503-555-0188") is None
    assert city("call with Ray Olin, lives in Gransby, wants a quote for solar. 503-555-0188") == "Gransby"


@pytest.mark.parametrize(
    ("text", "city", "region"),
    [
        ("We haul produce with 18 reefer trucks out of Boise, Idaho and need a fleet quote.", "Boise", "Idaho"),
        ("Somos uma padaria em Ribeirão Preto/SP e queremos um orçamento de fornos.", "Ribeirão Preto", "SP"),
    ],
)
def test_region_written_after_the_city(nlp: Language, text: str, city: str, region: str) -> None:
    lead = read_free_text(nlp, text)
    assert (lead.value("city"), lead.value("region")) == (city, region)


def test_a_sign_off_word_is_no_city_though_a_town_is_named_so(extractor: Extractor) -> None:
    note = ("Hi team, forwarding this one.\n\n> Hi, I need a quote for a new driveway. Call 614-555-0191.\n"
            "> Best,\n> Paula Green")
    (lead,) = [ld.plain() for ld in extractor.extract(RawMessage(raw=note.encode(), channel="slack")).leads]
    assert lead["full_name"] == "Paula Green"
    assert lead["city"] is None


def test_a_capitalised_noun_after_aus_is_no_city_unless_the_gazetteer_knows_it(extractor: Extractor) -> None:
    def city(note: str) -> str | None:
        (lead,) = [ld.plain() for ld in extractor.extract(RawMessage(raw=note.encode(), channel="slack")).leads]
        return lead["city"]

    assert city("Anruf: Herr Jens Albrecht, Tel 0162 5550477, will ein Carport aus Holz, 6x6 m") is None
    assert city("Anruf: Herr Jens Albrecht aus Bielefeld, Tel 0162 5550477, will ein Carport") == "Bielefeld"


def test_a_mail_writer_who_moved_to_a_city(nlp: Language) -> None:
    text = "Hello,\n\nI just moved to Fort Collins with my dog and would like to book a checkup.\n\nAnna Lee"
    assert read_free_text(nlp, text).value("city") == "Fort Collins"


def test_a_firm_and_its_known_place_in_brackets(extractor: Extractor) -> None:
    note = "ho sentito la sig.ra Giulia Russo (Russo Ceramiche, Lecce), cell 333 765 4321: vuole un preventivo"
    (lead,) = [ld.plain() for ld in extractor.extract(RawMessage(raw=note.encode(), channel="slack")).leads]
    assert lead["city"] == "Lecce"


@pytest.mark.parametrize(
    ("note", "city"),
    [
        ("Tim Cho 303-555-0145 works in Boulder but lives in Golden, needs a roof", "Golden"),  # home cue first
        ("spoke w/ jake re: his client Amy Ruiz 303-555-0149, moving to Castle Rock", "Castle Rock"),
        ("I'll be in Denver tomorrow, can swing by. Lead: Nora Fitch 303-555-0143, basement finish", None),  # rep
        ("Llamó Lucía Vega, 611 222 444, de Sevilla (Andalucía), quiere toldos", "Sevilla"),  # the region bracketed
    ],
)
def test_which_place_in_a_note_is_the_leads(extractor: Extractor, note: str, city: str | None) -> None:
    (lead,) = [ld.plain() for ld in extractor.extract(RawMessage(raw=note.encode(), channel="slack")).leads]
    assert lead["city"] == city
