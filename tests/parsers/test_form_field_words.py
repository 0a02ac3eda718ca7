"""Company, city and interest fields under the words real forms use, in the seven languages."""

from __future__ import annotations

import pytest

from parsers.address import parse_address, parse_locality
from parsers.labels.lookup import lookup_label
from tests.parsers.helpers import one

_HEAD = "From: Forms <forms@site.example>\nTo: team@site.example\nSubject: Contact\n\n"
_PERSON = "Name: Ilse Marquardt\nEmail: ilse@marquardt.example\n"


@pytest.mark.parametrize("label", ["Business name", "Trading name", "Firm", "Arbeitgeber", "Organisation",
                                   "Nombre comercial", "Organización", "Nome fantasia", "Organização", "Structure",
                                   "Nom de l'entreprise", "Impresa", "Nome dell'azienda", "Onderneming",
                                   "Organisatienaam", "La tua azienda", "Nom de votre entreprise",
                                   "Nombre de tu empresa", "Nome da sua empresa", "Naam van je bedrijf"])
def test_company_labels(label: str) -> None:
    lead = one(_HEAD + _PERSON + f"{label}: Marquardt Feinmechanik GmbH\n")
    assert lead["company"] == "Marquardt Feinmechanik GmbH"


@pytest.mark.parametrize("label", ["Suburb", "Town/City", "Gemeinde", "Ortschaft", "Ciudad o localidad",
                                   "Cidade de residência", "Commune", "Comune di residenza", "Gemeente"])
def test_city_labels(label: str) -> None:
    lead = one(_HEAD + _PERSON + f"{label}: Wendlingen\n")
    assert lead["city"] == "Wendlingen"


@pytest.mark.parametrize(("label", "value", "postal", "city"), [
    ("PLZ / Ort", "79098 / Freiburg im Breisgau", "79098", "Freiburg im Breisgau"),
    ("CP - Ciudad", "46001 - Valencia", "46001", "Valencia"),
    ("CEP / Cidade", "01310-100 / São Paulo", "01310-100", "São Paulo"),
    ("Código postal / Localidade", "4000-123 Porto", "4000-123", "Porto"),
    ("Code postal / Ville", "Lyon - 69003", "69003", "Lyon"),
])
def test_combined_postcode_and_place_fields_split_at_their_separator(label: str, value: str, postal: str,
                                                                     city: str) -> None:
    lead = one(_HEAD + _PERSON + f"{label}: {value}\n")
    assert (lead["postal_code"], lead["city"]) == (postal, city)


def test_a_separator_belongs_to_neither_part() -> None:
    assert parse_locality("46001 - Valencia") == {"postal": "46001", "city": "Valencia"}
    assert parse_locality("São Paulo - SP, 01310-100") == {"city": "São Paulo", "region": "SP",
                                                           "postal": "01310-100"}


@pytest.mark.parametrize(("label", "value"), [
    ("Service required", "Loft conversion"), ("What can we help you with?", "Website redesign"),
    ("Ich interessiere mich für", "Zahnreinigung"), ("Art der Anfrage", "Wartung Heizung"),
    ("Servicio requerido", "Placas solares"), ("Motivo de la consulta", "Mantenimiento de jardines"),
    ("Motivo do contato", "Orçamento de forno"), ("Objet de la demande", "Rénovation de bureaux"),
    ("Type de demande", "Devis déménagement"), ("Tipo di richiesta", "Preventivo finestre"),
    ("Soort aanvraag", "Dakreparatie"), ("Loan Purpose", "Refinance"), ("Tipo de préstamo", "Hipoteca fija"),
    ("Versicherungsart", "Hausratversicherung"), ("Type d'assurance", "Habitation"),
])
def test_interest_labels(label: str, value: str) -> None:
    assert one(_HEAD + _PERSON + f"{label}: {value}\n")["interest"] == value


@pytest.mark.parametrize(("year", "make", "model"), [("Année", "Marque", "Modèle"), ("Anno", "Marca", "Modello"),
                                                     ("Bouwjaar", "Merk", "Model"), ("Ano", "Marca", "Modelo")])
def test_vehicle_parts_make_the_interest(year: str, make: str, model: str) -> None:
    lead = one(_HEAD + _PERSON + f"{year}: 2022\n{make}: Peugeot\n{model}: 3008 GT\n")
    assert lead["interest"] == "2022 Peugeot 3008 GT"


def test_a_request_kind_yields_to_the_field_that_names_what_is_asked_about() -> None:
    lead = one(_HEAD + _PERSON + "Inquiry Type: Request more information\nProperty: 18 Quarry Lane, Salem, OR 97301\n")
    assert lead["interest"] == "18 Quarry Lane, Salem, OR 97301"
    assert one(_HEAD + _PERSON + "Type de demande: Devis déménagement\n")["interest"] == "Devis déménagement"


@pytest.mark.parametrize(("text", "street", "city", "region", "postal"), [
    ("Via Roma 10, 20121 Milano MI", "Via Roma 10", "Milano", "MI", "20121"),
    ("Avda. de la Constitución 21, 41004 Sevilla (Sevilla)", "Avda. de la Constitución 21", "Sevilla", "Sevilla",
     "41004"),
    ("12 Smith St, Fitzroy VIC 3065", "12 Smith St", "Fitzroy", "VIC", "3065"),
    ("Av. Paulista, 1000, Bela Vista, São Paulo/SP, CEP 01310-100", "Av. Paulista, 1000, Bela Vista", "São Paulo",
     "SP", "01310-100"),
    ("Via Garibaldi 7 - 10122 Torino (TO)", "Via Garibaldi 7", "Torino", "TO", "10122"),
    ("9 Rue Victor Hugo 69002 Lyon", "9 Rue Victor Hugo", "Lyon", None, "69002"),
    ("Kerkstraat 12 1017 GC Amsterdam", "Kerkstraat 12", "Amsterdam", None, "1017 GC"),
])
def test_addresses_in_one_field(text: str, street: str, city: str, region: str | None, postal: str) -> None:
    parts = parse_address(text)
    assert (parts.get("street"), parts.get("city"), parts.get("region"), parts.get("postal")) == (
        street, city, region, postal)


def test_a_us_house_number_is_no_postcode() -> None:
    assert parse_address("Apt 5 12345 Main St") == {"street": "Apt 5 12345 Main St"}


@pytest.mark.parametrize(("key", "slot"), [
    ("address_city", "city"), ("MailingCity", "city"), ("billing_state", "region"), ("addressLocality", "city"),
    ("addressRegion", "region"), ("address_country", "country"), ("endereco_cidade", "city"),
    ("direccion_ciudad", "city"), ("mailing_street", "street"),
])
def test_flat_keys_name_an_address_part_under_the_address(key: str, slot: str) -> None:
    found = lookup_label(key)
    assert found is not None and found[0] == slot


def test_a_flat_payload_with_address_keys() -> None:
    lead = one('{"contact": {"full_name": "Ilse Marquardt", "email": "ilse@marquardt.example", '
               '"address_street": "Via Roma 10", "address_city": "Bologna", "address_zip": "40121"}}',
               name_hint="lead.json")
    assert (lead["street"], lead["city"], lead["postal_code"]) == ("Via Roma 10", "Bologna", "40121")


@pytest.mark.parametrize(("line", "city", "region", "country"), [
    ("City/State: Austin/TX", "Austin", "TX", None),
    ("Localidad: Alcobendas, Madrid", "Alcobendas", None, None),
    ("Town/City: Leeds, West Yorkshire", "Leeds", None, None),
    ("Localização: Braga, Portugal", "Braga", None, "Portugal"),
    ("Plaats: Amsterdam-Noord", "Amsterdam-Noord", None, None),
])
def test_a_city_field_holding_more_than_the_place(line: str, city: str, region: str | None,
                                                  country: str | None) -> None:
    lead = one(_HEAD + _PERSON + line + "\n")
    assert (lead["city"], lead["region"], lead["country"]) == (city, region, country)


@pytest.mark.parametrize("registered", ["03/2022", "2022-03", "2022"])
def test_a_registration_date_gives_the_vehicles_year(registered: str) -> None:
    lead = one(_HEAD + _PERSON + f"Marke: Volkswagen\nModell: Golf GTI\nErstzulassung: {registered}\n")
    assert lead["interest"] == "2022 Volkswagen Golf GTI"


@pytest.mark.parametrize(("line", "field", "value"), [
    ("Company (optional): Marquardt Feinmechanik GmbH", "company", "Marquardt Feinmechanik GmbH"),
    ("Empresa (opcional): Talleres Romero", "company", "Talleres Romero"),
    ("Organisation (falls vorhanden): Praxis Dr. Lenz", "company", "Praxis Dr. Lenz"),
    ("Société (facultatif): Cabinet Dupont", "company", "Cabinet Dupont"),
    ("Cidade (opcional): Campinas", "city", "Campinas"),
    ("Name of company: Hale Joinery Ltd", "company", "Hale Joinery Ltd"),
])
def test_a_note_that_a_field_is_optional_is_no_part_of_its_label(line: str, field: str, value: str) -> None:
    assert one(_HEAD + _PERSON + line + "\n")[field] == value
