"""The label/value reader on plain text: English, German, Spanish; sections that are not the lead."""

from __future__ import annotations

import pytest

from parsers.labels import heading_kind, read_labels
from parsers.labels.lookup import lookup_label
from tests.parsers.helpers import one


def test_colon_labels_with_provenance() -> None:
    read = read_labels("Name: Mira Holloway\nE-mail: mira.h@example.com\nTel.: 555-010-3344\n")
    lead = read.fields.build()
    assert lead.value("full_name") == "Mira Holloway"
    assert lead.value("email") == "mira.h@example.com"
    assert lead.value("phone") == "555-010-3344"
    assert lead.fields["phone"].source == "reader:labels:Tel."


def test_labels_without_colon_when_the_value_fits() -> None:
    fields = one("Inquiry from the website\nName Theo Marchetti\nPhone 555 012 9087\nEmail theo.m@example.org\n")
    assert fields["full_name"] == "Theo Marchetti"
    assert fields["phone"] == "555 012 9087"
    assert fields["email"] == "theo.m@example.org"


def test_value_on_the_next_line() -> None:
    fields = one("First name\nGreta\nLast name\nOyelowo\nEmail address\ngreta.o@example.net\n")
    assert (fields["first_name"], fields["last_name"]) == ("Greta", "Oyelowo")
    assert fields["email"] == "greta.o@example.net"


def test_multi_line_address_is_split() -> None:
    fields = one(
        "Name: Colm Brannigan\nEmail: colm@example.com\nAddress:\n1742 Juniper Court\nBoise, ID 83702\n\n"
        "Comments: Need a quote for a fence.\n"
    )
    assert fields["street"] == "1742 Juniper Court"
    assert (fields["city"], fields["region"], fields["postal_code"]) == ("Boise", "ID", "83702")
    assert fields["message"] == "Need a quote for a fence."


def test_one_line_address_and_multi_line_message() -> None:
    fields = one(
        "Full name: Anouk de Vries\nPhone: (555) 017-4410\nAddress: 88 Harbor View Dr, Portland, ME 04101\n"
        "Message: We would like two quotes.\nOne for the roof and one for the gutters.\n\nLead ID: 5521\n"
    )
    assert fields["street"] == "88 Harbor View Dr"
    assert fields["city"] == "Portland"
    assert fields["postal_code"] == "04101"
    assert fields["message"] == "We would like two quotes.\nOne for the roof and one for the gutters."


def test_dealer_section_is_not_the_lead() -> None:
    text = (
        "DEALER INFORMATION\nName: Lakeside Motors\nPhone: 555-010-9999\nEmail: sales@lakeside.example\n"
        "\nCUSTOMER INFORMATION\nName: Ivo Petrak\nPhone: 555-010-1212\nEmail: ivo.p@example.com\n"
    )
    fields = one(text)
    assert fields["full_name"] == "Ivo Petrak"
    assert fields["phone"] == "555-010-1212"
    assert fields["email"] == "ivo.p@example.com"


def test_trade_in_vehicle_is_not_the_interest() -> None:
    text = (
        "Name: Rosa Lindgren\nEmail: rosa@example.com\n\nVehicle of interest\nYear: 2023\nMake: Mazda\n"
        "Model: CX-5\n\nTrade-in\nYear: 2012\nMake: Honda\nModel: Fit\n"
    )
    fields = one(text)
    assert fields["interest"] == "2023 Mazda CX-5"


@pytest.mark.parametrize("label", ["Trade-in vehicle", "Trade in", "Inzahlungnahme Fahrzeug", "Véhicule de reprise"])
def test_a_trade_in_label_on_its_own_line_is_not_the_interest(label: str) -> None:
    fields = one(f"Name: Jonas Ekdahl\nEmail: jonas.ekdahl@example.com\n{label}: 2014 Subaru Outback, 140k km\n")
    assert fields.get("interest") is None


def test_german_form() -> None:
    fields = one(
        "Vorname: Henrike\nNachname: Albrecht\nE-Mail: h.albrecht@example.de\nHandy: 0170 5550123\n"
        "Straße: Gartenweg 7\nPLZ/Ort: 80331 München\nNachricht: Bitte rufen Sie mich zurück.\n"
    )
    assert (fields["first_name"], fields["last_name"]) == ("Henrike", "Albrecht")
    assert fields["phone"] == "0170 5550123"
    assert fields["street"] == "Gartenweg 7"
    assert (fields["postal_code"], fields["city"]) == ("80331", "München")
    assert fields["message"] == "Bitte rufen Sie mich zurück."


def test_spanish_form() -> None:
    fields = one(
        "Nombre: Inés\nApellidos: Carvajal Rey\nCorreo electrónico: ines.cr@example.es\nTeléfono: 655 12 34 56\n"
        "Ciudad: Sevilla\nCódigo postal: 41001\nPresupuesto: 15.000 €\nPlazo: este mes\n"
        "Mensaje: ¿Tienen disponibilidad para una visita?\n"
    )
    assert fields["first_name"] == "Inés"
    assert fields["last_name"] == "Carvajal Rey"
    assert fields["email"] == "ines.cr@example.es"
    assert fields["city"] == "Sevilla"
    assert fields["postal_code"] == "41001"
    assert fields["budget"] == "15.000 €"
    assert fields["timeline"] == "este mes"


def test_unlabelled_prose_becomes_the_message_of_a_form() -> None:
    fields = one("Hi there,\nName: Bo Lindqvist\nEmail: bo@example.com\nI would like a test drive on Friday.\n")
    assert fields["message"] == "I would like a test drive on Friday."


@pytest.mark.parametrize(
    ("label", "slot"),
    [("Telefonnummer", "phone"), ("Correo", "email"), ("Zip/Postal code", "postal_code"), ("ContactEmail", "email"),
     ("primaryPhone", "phone"), ("stateProvince", "region"), ("Bundesland", "region"), ("Empresa", "company"),
     ("Lead source", "skip"), ("Stock #", "stock")],
)
def test_label_dictionary(label: str, slot: str) -> None:
    found = lookup_label(label)
    assert found is not None and found[0] == slot


@pytest.mark.parametrize(
    ("line", "kind"),
    [("Listing Agent:", "skip"), ("--- Your contact ---", "skip"), ("Datos del anunciante", "skip"),
     ("Kontaktdaten", "lead"), ("Trade-In Vehicle", "trade"), ("I am the seller of a house, call me.", None)],
)
def test_headings(line: str, kind: str | None) -> None:
    assert heading_kind(line) == kind
