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


def test_the_street_before_in_and_the_city_after_it() -> None:
    [found] = find_addresses("She lives at 604 Wren Ct in Cary, NC 27513 and wants a porch.")
    assert found.parts == {"street": "604 Wren Ct", "city": "Cary", "region": "NC", "postal_code": "27513"}
    [joined] = find_addresses("we are at 55 Elm Rd in Round Rock TX 78664")
    assert (joined.parts["street"], joined.parts["city"]) == ("55 Elm Rd", "Round Rock")


def test_a_postcodes_city_ends_with_its_sentence() -> None:
    [found] = find_addresses("Vivo en Calle Alcalá 215, 28028 Madrid. Quiero reformar el baño.")
    assert (found.parts["city"], found.parts["postal_code"]) == ("Madrid", "28028")


def test_the_last_part_holds_the_street_when_earlier_parts_are_contact_details() -> None:
    [found] = find_addresses("Lead, 212-555-0100, hf@example.net. Address is 450 W 33rd St Apt 12C New York NY 10001")
    assert found.parts == {"street": "450 W 33rd St Apt 12C", "city": "New York", "region": "NY",
                           "postal_code": "10001"}


def test_a_brazilian_neighbourhood_is_no_part_of_the_street() -> None:
    parts = parse_address("Av. Brigadeiro Faria Lima, 2232 - Jardim Paulistano, São Paulo - SP, 01452-000")
    assert parts == {"street": "Av. Brigadeiro Faria Lima, 2232", "city": "São Paulo", "region": "SP",
                     "postal": "01452-000"}
    assert parse_address("Rua Harmonia, 455 - apto 72, São Paulo - SP, 05435-000")["street"] == \
        "Rua Harmonia, 455 - apto 72"


def test_a_street_label_that_holds_the_whole_address() -> None:
    fields = one("Nome: João Carvalho\nTelemóvel: 912 443 000\nMorada: Rua de Santa Catarina 455, 4000-447 Porto\n")
    assert (fields["street"], fields["postal_code"], fields["city"]) == ("Rua de Santa Catarina 455", "4000-447",
                                                                        "Porto")


def test_an_address_label_with_separators_is_no_imprint() -> None:
    fields = one("Nome completo: Larissa Fontes\nTelefone: (11) 97123-0000\n"
                 "Endereço: Av. Brigadeiro Faria Lima, 2232 - Jardim Paulistano, São Paulo - SP, 01452-000\n")
    assert (fields["street"], fields["city"], fields["region"], fields["postal_code"]) == (
        "Av. Brigadeiro Faria Lima, 2232", "São Paulo", "SP", "01452-000")


@pytest.mark.parametrize("label", ["Moving from", "Origin address", "Adresse de départ", "Dirección de origen",
                                   "Auszugsadresse", "Vertrekadres"])
def test_where_a_move_starts_is_where_the_lead_lives(label: str) -> None:
    fields = one(f"Name: Ana Roe\nPhone: 555-0100\n{label}: 14 rue des Tanneurs, 67000 Strasbourg\n")
    assert (fields["street"], fields["postal_code"], fields["city"]) == ("14 rue des Tanneurs", "67000", "Strasbourg")


@pytest.mark.parametrize(("line", "region"), [
    ("Via Roma 18, 37121 Verona (VR)", "VR"),
    ("Calle Sierpes 4, 41004 Sevilla (Sevilla)", "Sevilla"),
    ("Wohne in der Kastanienallee 9, 80331 München, Bayern.", "Bayern"),
    ("Hauptstraße 5, 10115 Berlin, Deutschland", None),
    ("Schillerstr. 3, 70173 Stuttgart, Tel. 0711 123", None),
])
def test_the_region_after_a_postcodes_city(line: str, region: str | None) -> None:
    [found] = find_addresses(line)
    assert found.parts.get("region") == region
