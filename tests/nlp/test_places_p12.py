"""Whose place a message names, session 12: a property word without a sale, sentences that are only a town,
streets that stop at a sentence, and what a lead only wishes for."""

from __future__ import annotations

import pytest

from nlp.city_text import region_after
from nlp.extractor import Extractor
from nlp.places import names_a_deal
from parsers.lead import RawMessage


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _lead(extractor: Extractor, note: str, channel: str = "slack") -> dict[str, str | None]:
    (lead,) = [ld.plain() for ld in extractor.extract(RawMessage(raw=note.encode(), channel=channel)).leads]
    return lead


def test_a_message_about_a_sale_or_a_rental_names_a_deal() -> None:
    assert names_a_deal("Is the cottage at 9 Wren Rd still for sale?")
    assert names_a_deal("Wir würden die Wohnung gern besichtigen")
    assert names_a_deal("Queremos alquilar el piso de la calle Sol")
    assert not names_a_deal("The gutters on the house are sagging, can you quote a replacement?")


@pytest.mark.parametrize(
    ("note", "street", "city"),
    [
        ("Talked to Orla Quinlan 651-555-0182, furnace is short cycling. House is at 318 Bramble Way, "
         "Stillwater MN 55082", "318 Bramble Way", "Stillwater"),
        ("Orla Quinlan 651-555-0182 wants the deck re-stained; home is 318 Bramble Way, Stillwater, MN 55082",
         "318 Bramble Way", "Stillwater"),
    ],
)
def test_a_property_word_with_no_sale_in_sight_is_the_leads_own_place(extractor: Extractor, note: str, street: str,
                                                                      city: str) -> None:
    lead = _lead(extractor, note)
    assert (lead["street"], lead["city"]) == (street, city)


def test_a_property_word_in_a_note_about_a_sale_is_still_the_listing(extractor: Extractor) -> None:
    lead = _lead(extractor, "Orla Quinlan 651-555-0182 wants a showing, the house is at 318 Bramble Way, "
                            "Stillwater MN 55082")
    assert lead["street"] is None


@pytest.mark.parametrize(
    ("note", "city"),
    [
        ("Walk-in today: Bea Holloway 509-555-0148, wants the winter tire package. Spokane.", "Spokane"),
        ("Bea Holloway 509-555-0148 asked about a chimney sweep, mornings only. Coeur d'Alene", "Coeur d'Alene"),
        ("Bea Holloway 509-555-0148 wants a quote. Thanks.", None),  # a one-word sentence that is no town
    ],
)
def test_a_sentence_that_is_only_a_known_town_is_the_leads_town(extractor: Extractor, note: str,
                                                                 city: str | None) -> None:
    assert _lead(extractor, note)["city"] == city


def test_a_flat_on_sale_and_its_town_are_the_listings_not_the_buyers(extractor: Extractor) -> None:
    note = ("Neuer Kaufinteressent für das Haus Lindenweg 12 in Potsdam: Frau Greta Ilves, Tel. 0171 5550 2291, "
            "braucht noch eine Finanzierung.")
    lead = _lead(extractor, note)
    assert (lead["full_name"], lead["street"], lead["city"]) == ("Greta Ilves", None, None)


def test_a_property_noun_before_a_german_street_is_no_part_of_it(extractor: Extractor) -> None:
    lead = _lead(extractor, "Anruf Herr Tomas Brandt, 0171 5550 2291, seine Wohnung Ahornweg 4, Jena, Heizung defekt")
    assert (lead["street"], lead["city"]) == ("Ahornweg 4", "Jena")


@pytest.mark.parametrize(
    ("note", "street"),
    [
        ("Loan file for Ezra Moyo 919-555-0175: in escrow, under contract on 41 Larch Bend Dr, Apex, closing "
         "in March.", None),  # the home being bought
        ("Loan file for Ezra Moyo 919-555-0175: buyer who lives at 41 Larch Bend Dr, Apex, needs a "
         "pre-approval.", "41 Larch Bend Dr"),  # a buyer's own home, said so
    ],
)
def test_a_street_in_a_sentence_about_buying_is_the_one_bought(extractor: Extractor, note: str,
                                                               street: str | None) -> None:
    assert _lead(extractor, note)["street"] == street


@pytest.mark.parametrize(
    ("note", "parts"),
    [
        ("Cal Duarte 952-555-0190 wants gutter guards, 880 Linden Hills Blvd NE, Minneapolis 55410",
         ("880 Linden Hills Blvd NE", "Minneapolis", None, "55410")),  # a ZIP with no state before it
        ("Cal Duarte 952-555-0190 wants gutter guards, 880 Linden Hills Blvd, Edina, MN 55424 - call after 4",
         ("880 Linden Hills Blvd", "Edina", "MN", "55424")),
    ],
)
def test_a_note_street_its_town_and_the_zip_after_them(extractor: Extractor, note: str,
                                                       parts: tuple[str, str, str | None, str]) -> None:
    lead = _lead(extractor, note)
    assert (lead["street"], lead["city"], lead["region"], lead["postal_code"]) == parts


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("they live in plano tx with two dogs", "TX"),  # a code no word spells, after a known town
        ("they live in plano id like a call back", None),  # "id" is a sloppy "I'd" as often as Idaho
    ],
)
def test_a_lower_case_state_code_after_a_known_town(text: str, region: str | None) -> None:
    assert region_after(text, text.index(" ", text.index("plano")), True) == region


@pytest.mark.parametrize(
    ("note", "city"),
    [
        ("Rang: Tobias Reyes 503-555-0166 asked about financing a condo in Bend, wants rates.", None),
        ("Llamó Inés Peral, 622 100 300, pregunta por un seguro para su piso en Cádiz", "Cádiz"),  # her own flat
    ],
)
def test_a_town_after_a_property_the_lead_asks_about_is_not_their_town(extractor: Extractor, note: str,
                                                                       city: str | None) -> None:
    assert _lead(extractor, note)["city"] == city


@pytest.mark.parametrize(
    ("note", "postal"),
    [
        ("Llamó Rosa Vidal, 622 333 444, vive en Sevilla (41004), quiere un toldo", "41004"),
        ("Call from Ed Nash 555-0199, lives in Leeds (LS6 2AB), wants a quote", "LS6 2AB"),
        ("Call from Ed Nash 555-0199, moved to Denver (2021), wants a quote", None),  # a year, not a postcode
    ],
)
def test_a_postcode_in_brackets_after_the_leads_town(extractor: Extractor, note: str, postal: str | None) -> None:
    assert _lead(extractor, note)["postal_code"] == postal


def test_a_known_town_whose_name_holds_a_month_is_read_whole(extractor: Extractor) -> None:
    lead = _lead(extractor, "Ligou o Sr. Caio Lima, (21) 98555-4321, mora no Rio de Janeiro - RJ - quer um orçamento")
    assert (lead["city"], lead["region"]) == ("Rio de Janeiro", "RJ")


def test_a_lower_case_word_like_state_code_ends_its_clause_with_a_full_stop() -> None:
    text = "spoke to bo reyes 330-555-0123, out of akron oh. needs a new furnace"
    assert region_after(text, text.index(" oh"), True) == "OH"


@pytest.mark.parametrize(
    ("note", "country"),
    [
        ("Appel de Mme Alice Roux, 06 55 44 33 22, habite à Liège en Belgique, veut un devis", "BE"),
        ("Chiamata: Sig.ra Paola Riva, 347 555 0101, abita a Locarno, Svizzera, vuole un preventivo", "CH"),
        ("Belde: Piet Jansen uit Antwerpen, België, 0470 55 01 01, wil een offerte", "BE"),
        ("Ligou Rui Matos, 912 555 010, mora em Lyon, França, quer um orçamento", "FR"),
    ],
)
def test_a_country_named_in_the_notes_own_language(extractor: Extractor, note: str, country: str) -> None:
    assert _lead(extractor, note)["country"] == country


def test_the_country_names_file_is_what_its_generator_writes_from_pycountry() -> None:
    import json
    from pathlib import Path

    from nlp.patterns.make_countries import names

    written = Path(__file__).parents[2] / "nlp" / "patterns" / "countries.jsonl"
    rows = {(r["pattern"], r["id"]) for r in map(json.loads, written.read_text(encoding="utf-8").splitlines())}
    assert rows == set(names().items())


@pytest.mark.parametrize(
    ("note", "city"),
    [
        ("Rückruf: Frau Ute Kranz, 50667 Köln-Altstadt, Tel 0221 5550123, will eine Wallbox", "Köln"),
        ("Rückruf: Frau Ute Kranz, Ringstr. 9, 82467 Garmisch-Partenkirchen, Tel 08821 55501",
         "Garmisch-Partenkirchen"),  # a hyphenated town of its own
    ],
)
def test_a_district_joined_to_a_postcodes_town_by_a_hyphen_is_dropped(extractor: Extractor, note: str,
                                                                      city: str) -> None:
    assert _lead(extractor, note)["city"] == city


@pytest.mark.parametrize(
    ("note", "city"),
    [
        ("Following up on Priya Raman from Tacoma - 253-555-0142 - wants a heat pump", "Tacoma"),
        ("Following up on Priya Raman from Tacoma Screw Products - 253-555-0142 - wants a heat pump", None),
    ],
)
def test_a_person_from_a_town_that_ends_its_part(extractor: Extractor, note: str, city: str | None) -> None:
    assert _lead(extractor, note)["city"] == city


@pytest.mark.parametrize("pin", ["📍", ":round_pushpin: "])
def test_a_pin_marks_the_leads_town(extractor: Extractor, pin: str) -> None:
    lead = _lead(extractor, f"walk-in {pin}Boise ID - Wren Castillo 208-555-0160 - wants a hot tub")
    assert (lead["city"], lead["region"]) == ("Boise", "ID")


@pytest.mark.parametrize(
    ("note", "city"),
    [
        ("Ada Lutz, ada@lutzgrain.example: they want conveyor belts for a new warehouse in Omaha.", "Omaha"),
        ("Herr Olaf Beck, Tel 0171 5550123, sucht ein Reihenhaus in Köln", None),  # a German compound still counts
    ],
)
def test_a_property_word_is_a_whole_word_or_a_german_compounds_end(extractor: Extractor, note: str,
                                                                   city: str | None) -> None:
    assert _lead(extractor, note)["city"] == city


@pytest.mark.parametrize(
    ("note", "city"),
    [
        ("Ligação: Caio Nunes, (81) 98555-0101, Santa Cruz do Capibaribe, quer orçamento", "Santa Cruz do Capibaribe"),
        ("Ligação: Caio Nunes, (31) 98555-0101, Belo Horizonte, quer orçamento", "Belo Horizonte"),
    ],
)
def test_a_known_town_of_two_words_that_opens_with_a_first_name(extractor: Extractor, note: str,
                                                                  city: str | None) -> None:
    assert _lead(extractor, note)["city"] == city


def test_a_town_named_like_a_country_before_a_state_code_is_no_country(extractor: Extractor) -> None:
    lead = _lead(extractor, "Dora Fenn 573-555-0108, runs a bakery in Mexico, MO - wants a walk-in cooler")
    assert (lead["city"], lead["region"], lead["country"]) == ("Mexico", "MO", None)


def test_a_wished_flat_described_at_length_before_its_town(extractor: Extractor) -> None:
    note = "Llamó Sr. Abel Cano, 611 555 010. Busca un piso de dos dormitorios con trastero en Leganés."
    assert _lead(extractor, note)["city"] is None


def test_buying_a_product_is_no_deal_on_a_property() -> None:
    assert not names_a_deal("She wants to buy a new heat pump before winter")
    assert names_a_deal("She wants to buy a small house near the lake")
    assert names_a_deal("Sie möchten eine Wohnung in Potsdam kaufen")


def test_a_house_named_beside_a_product_purchase_is_the_leads(extractor: Extractor) -> None:
    lead = _lead(extractor, "Nia Cole 503-555-0177 wants to purchase a water softener. Home is 61 Birch Ct, "
                            "Salem OR 97302")
    assert (lead["street"], lead["postal_code"]) == ("61 Birch Ct", "97302")


@pytest.mark.parametrize(
    "body",
    [
        "Hi, I'm interested in the cottage at 8 Fern Rd, Eugene, OR 97401. Could I see it on Sunday? 541-555-0190",
        "Hola, me interesa el piso de la Calle Luna 7, 41003 Sevilla. ¿Se podría ver el jueves? 622 555 019",
        "Guten Tag, ich interessiere mich für die Wohnung in der Talstraße 4, 79102 Freiburg. Tel 0170 5550191",
    ],
)
def test_a_mail_asking_about_a_property_keeps_its_address_as_the_listing(extractor: Extractor, body: str) -> None:
    mail = f"From: Kim Vale <kim.vale@gmail.com>\nTo: info@homes.example\nSubject: inquiry\n\n{body}\n"
    assert _lead(extractor, mail, channel="email")["street"] is None


@pytest.mark.parametrize(
    "note",
    [
        "Trulia lead: Gus Hale 555-0142 asked about the home at 9 Alder Ct, Bend, OR 97701",
        "Gus Hale 541-555-0142 wants info on the condo at 20 Wall St Unit 2, Bend, OR 97701",
        "Llamó Rosa Gil 611 222 333 por el piso de Calle Sol 3, 41001 Sevilla",
    ],
)
def test_a_note_about_a_property_at_an_address_keeps_it_the_listings(extractor: Extractor, note: str) -> None:
    assert _lead(extractor, note)["street"] is None


def test_a_tenant_at_an_address_lives_there(extractor: Extractor) -> None:
    lead = _lead(extractor, "Jo Park 541-555-0150, tenant at 12 Pine Ct, Bend, OR 97701, reports a leak")
    assert lead["street"] == "12 Pine Ct"
