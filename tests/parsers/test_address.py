"""Postal formats in one place: parsing a known address and finding addresses in free text."""

from __future__ import annotations

import pytest

from parsers.address import find_addresses, parse_address, parse_locality, street_country
from tests.parsers.helpers import one


@pytest.mark.parametrize(("text", "want"), [
    ("Springfield, IL 62704", {"city": "Springfield", "region": "IL", "postal": "62704"}),
    ("10115 Berlin", {"postal": "10115", "city": "Berlin"}),
    ("3581 AB Utrecht", {"postal": "3581 AB", "city": "Utrecht"}),
    ("1100-053 Lisboa", {"postal": "1100-053", "city": "Lisboa"}),
    ("Curitiba - PR, 80010-000", {"city": "Curitiba", "region": "PR", "postal": "80010-000"}),
    ("Leeds LS1 4DY", {"city": "Leeds", "postal": "LS1 4DY"}),
    ("Halifax, NS B3H 1A1", {"city": "Halifax", "region": "NS", "postal": "B3H 1A1"}),
])
def test_localities_of_every_format(text: str, want: dict[str, str]) -> None:
    assert parse_locality(text) == want


def test_multi_line_and_comma_addresses() -> None:
    assert parse_address("Keizersgracht 18\n1015 CR Amsterdam\nNederland") == {
        "country": "Nederland", "postal": "1015 CR", "city": "Amsterdam", "street": "Keizersgracht 18"}
    assert parse_address("Rua do Carmo 40, 1200-093 Lisboa") == {
        "postal": "1200-093", "city": "Lisboa", "street": "Rua do Carmo 40"}


@pytest.mark.parametrize(("text", "street", "city", "postal", "country"), [
    ("We're at 71 Cedar Hollow Rd, Asheville NC 28803 if that helps", "71 Cedar Hollow Rd", "Asheville", "28803",
     "US"),
    ("Wohne in der Kastanienallee 9, 10435 Berlin.", "Kastanienallee 9", "Berlin", "10435", "DE"),
    ("Vivo en Calle de Toledo 44, 28005 Madrid", "Calle de Toledo 44", "Madrid", "28005", "ES"),
    ("J'habite 9 rue des Tanneurs, 67000 Strasbourg.", "9 rue des Tanneurs", "Strasbourg", "67000", "FR"),
    ("Moro em Rua Sá da Bandeira 210, 4000-427 Porto", "Rua Sá da Bandeira 210", "Porto", "4000-427", "PT"),
    ("Ons adres: Oudegracht 231, 3511 NK Utrecht", "Oudegracht 231", "Utrecht", "3511 NK", "NL"),
    ("Endereço: Rua Harmonia 85, São Paulo - SP, 05435-000", "Rua Harmonia 85", "São Paulo", "05435-000", "BR"),
])
def test_addresses_in_prose(text: str, street: str, city: str, postal: str, country: str) -> None:
    found = find_addresses(text)
    assert len(found) == 1
    parts = found[0].parts
    assert (parts.get("street"), parts.get("city"), parts.get("postal_code")) == (street, city, postal)
    assert found[0].country == country


def test_bare_postcodes_need_a_street_or_the_language() -> None:
    assert find_addresses("Order 55555 Items shipped") == []
    assert find_addresses("Ich wohne in 80331 München", lang="de")[0].parts == {"city": "München",
                                                                                "postal_code": "80331"}


def test_street_forms_imply_a_country() -> None:
    assert street_country("Calle Mayor 5") == "ES"
    assert street_country("12 avenue Jean Jaurès") == "FR"
    assert street_country("Piazza Navona 3") == "IT"
    assert street_country("742 Evergreen Terrace") is None


def test_labelled_address_stops_at_an_unknown_label() -> None:
    fields = one("Kunde: Frau Ines Harder\nAnschrift: Ulmenweg 3, 24103 Kiel\nRückrufnummer: 0431 5558841\n"
                 "Anliegen des Kunden: Heizung fällt nachts aus.\n")
    assert (fields["street"], fields["postal_code"], fields["city"]) == ("Ulmenweg 3", "24103", "Kiel")
    assert fields["phone"] == "0431 5558841"
    assert fields["message"] == "Heizung fällt nachts aus."


def test_my_address_in_a_french_mail() -> None:
    fields = one("Nom : Aubert\nPrénom : Élise\nCourriel : elise.aubert@example.fr\n"
                 "Mon adresse : 5 impasse des Lilas, 31000 Toulouse\n")
    assert (fields["street"], fields["postal_code"], fields["city"]) == ("5 impasse des Lilas", "31000", "Toulouse")


@pytest.mark.parametrize(("text", "parts"), [
    ("Beaverton, Oregon", {"city": "Beaverton", "region": "Oregon"}),
    ("Passau (Bayern)", {"city": "Passau", "region": "Bayern"}),
    ("Torino (TO)", {"city": "Torino", "region": "TO"}),
    ("Kent, Ohio", {"city": "Kent", "region": "Ohio"}),
    ("23 Millbrook Close, Tonbridge, Kent, TN10 4QS",
     {"street": "23 Millbrook Close", "city": "Tonbridge", "region": "Kent", "postal_code": "TN10 4QS"}),
    ("4 Quarry Lane, Stroud, Gloucestershire, GL5 1AA",
     {"street": "4 Quarry Lane", "city": "Stroud", "region": "Gloucestershire", "postal_code": "GL5 1AA"}),
    ("12 High St, Leeds, LS1 4AB", {"street": "12 High St", "city": "Leeds", "postal_code": "LS1 4AB"}),
])
def test_a_region_written_out_after_the_town(text: str, parts: dict[str, str]) -> None:
    got = parse_address(text)
    got["postal_code"] = got.pop("postal", "")
    assert {k: v for k, v in got.items() if v} == parts


def test_a_street_after_the_phone_and_email_of_a_note() -> None:
    line = "Got a call from Ann Roe, 0131 496 0000, ann.roe@example.com - 9 Warrender Park Rd, Edinburgh EH9 1EF."
    [found] = find_addresses(line)
    assert found.parts == {"street": "9 Warrender Park Rd", "city": "Edinburgh", "postal_code": "EH9 1EF"}
    [us] = find_addresses("Voicemail from Joe Pike 414-555-0100; 80 W Mill St, Madison, WI 53703; gutters")
    assert us.parts["street"] == "80 W Mill St"
