"""Where the prospect is: cities after a firm, in brackets, between separators, after place cues; postcodes of
four digits; the second address in a line; a seller's own home."""

from __future__ import annotations

import pytest
from spacy.language import Language

from nlp.extractor import Extractor
from nlp.freetext import read_free_text
from parsers.address import find_in_line
from parsers.lead import RawMessage


def _chat_city(text: str) -> str | None:
    extraction = Extractor().extract(RawMessage(raw=text.encode(), channel="slack"), kind="chat")
    return extraction.leads[0].value("city") if extraction.leads else None


@pytest.mark.parametrize(
    ("note", "city"),
    [
        ("Spoke to Anneke de Vries (Utrecht) about solar panels, 06 12345678", "Utrecht"),
        ("Jessica Tran (Round Rock, TX) 512-555-0177 wants a fence", "Round Rock"),
        ("New lead Jessica Tran, based out of Round Rock TX, 512-555-0177", "Round Rock"),
        ("Lead: Bruno Costa — Porto — 912 345 678 — quer painéis solares", "Porto"),
        ("Llamó Sra. Carmen Ruiz de Sevilla, 654 321 987, quiere presupuesto de cocina", "Sevilla"),
        ("just off the phone w/ dana okafor from okafor dental (tempe), cell 480-555-0119, "
         "email dana@okafordental.example", "Tempe"),
    ],
)
def test_city_in_a_chat_note(note: str, city: str) -> None:
    assert _chat_city(note) == city


def test_a_month_in_brackets_is_no_city() -> None:
    assert _chat_city("Pat Moreau, 555-0143, wants it live before spring planting (March)") is None


def test_city_after_a_firm_with_a_place_word(nlp: Language) -> None:
    text = "Te paso a Joaquín Ibáñez, gerente de Transportes Ibáñez Hermanos S.L., de Zaragoza. Quiere dos furgonetas."
    lead = read_free_text(nlp, text)
    assert (lead.value("company"), lead.value("city")) == ("Transportes Ibáñez Hermanos S.L.", "Zaragoza")


def test_signature_city_with_a_state_written_out(nlp: Language) -> None:
    lead = read_free_text(nlp, "Please send a brochure.\n\nBest regards,\nMaya Lin\nDenver, Colorado\n",
                          sender_name="Maya Lin")
    assert (lead.value("city"), lead.value("region")) == ("Denver", "Colorado")


@pytest.mark.parametrize(
    ("line", "street", "city", "postal"),
    [
        ("Lindengasse 14, 1070 Wien", "Lindengasse 14", "Wien", "1070"),
        ("Kerkstraat 21, 2000 Antwerpen", "Kerkstraat 21", "Antwerpen", "2000"),
        ("Rue du Marché 8, 1204 Genève", "Rue du Marché 8", "Genève", "1204"),
    ],
)
def test_four_digit_postcode_after_a_street(line: str, street: str, city: str, postal: str) -> None:
    (found,) = find_in_line(line)
    assert (found.parts["street"], found.parts["city"], found.parts["postal_code"]) == (street, city, postal)


def test_four_digits_without_a_street_are_no_address() -> None:
    assert find_in_line("Wir haben 1500 Euro mehr als geplant") == []
    assert find_in_line("Suite 2000 Denver office") == []


def test_second_address_in_a_line_has_its_own_street() -> None:
    line = ("I'd like to see the house at 42 Elm St, Portland, OR 97201 this weekend. "
            "I rent at 9 Birch Ln, Salem, OR 97301.")
    streets = [f.parts.get("street") for f in find_in_line(line)]
    assert streets == ["42 Elm St", "9 Birch Ln"]


def test_a_seller_leads_property_lines_are_their_home() -> None:
    mail = ("From: Valuations <leads@homevalue.example>\nTo: agent@realty.example\nSubject: Seller lead\n\n"
            "A homeowner requested a home value estimate.\n\nHOMEOWNER\n  Name: Odette Farrow\n"
            "  Phone: 719-555-0175\n\nPROPERTY TO SELL\n  2210 Lantern Hill Dr\n  Pueblo, CO 81005\n"
            "  3 bd / 2 ba\n")
    lead = Extractor().extract(RawMessage(raw=mail.encode(), channel="smtp")).leads[0]
    assert (lead.value("street"), lead.value("city"), lead.value("postal_code")) == (
        "2210 Lantern Hill Dr", "Pueblo", "81005")
