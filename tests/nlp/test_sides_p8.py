"""Whose values they are (issue 10, "the wrong side of the transaction"): a writer acting for a relative, a
neighbour or a friend; the lead's own house against a listing; "Contact person" and tenant labels; a landlord's
firm; call-tracking caller-ID names; a referrer's object in a payload."""

from __future__ import annotations

import json

import pytest

from nlp.extractor import Extractor
from parsers.lead import ExtractedLead, RawMessage


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _mail(sender: str, body: str, subject: str = "Request") -> bytes:
    return (f"From: {sender}\nTo: office@roofright.example\nSubject: {subject}\n"
            "Content-Type: text/plain; charset=utf-8\n\n" + body).encode("utf-8")


def _one(extractor: Extractor, raw: bytes, hint: str | None = None) -> ExtractedLead:
    found = extractor.extract(RawMessage(raw, "file", name_hint=hint))
    assert len(found.leads) == 1
    return found.leads[0]


@pytest.mark.parametrize(("sender", "body", "lead"), [
    ("Noor Haddad <noor.haddad@gmail.com>",
     "Hello, I am writing on behalf of my father, Karim Haddad, who needs a stair lift. Call him on 614-555-0129.\n"
     "Noor", "Karim Haddad"),
    ("Sven Ohlsen <sven.ohlsen@gmx.de>",
     "Guten Tag, ich schreibe im Auftrag meiner Großmutter, Frau Hedwig Ohlsen. Sie braucht ein neues Bad. "
     "Telefon 040 5553 2189.\nSven", "Hedwig Ohlsen"),
    ("Rocío Pardo <rocio.pardo@gmail.com>",
     "Hola, les escribo de parte de mi abuelo, Ernesto Pardo, que quiere cambiar la caldera. Teléfono 644 918 207.",
     "Ernesto Pardo"),
    ("Lise Caron <lise.caron@orange.fr>",
     "Bonjour, je vous contacte pour ma tante, Odile Caron, qui souhaite isoler ses combles. Tél. 06 41 22 87 13.",
     "Odile Caron"),
    ("Pia Galli <pia.galli@libero.it>",
     "Buongiorno, scrivo per conto di mia madre, Rosa Galli, che vuole un preventivo. Telefono 333 918 2044.",
     "Rosa Galli"),
    ("Bram Smit <bram.smit@gmail.com>",
     "Hoi, ik mail namens mijn buurvrouw, Greet Mulder. Zij wil een nieuwe dakgoot. Bel haar op 06-41882093.",
     "Greet Mulder"),
    ("Wes Carter <wes.carter@outlook.com>",
     "quick one - my buddy Anton Ferreira is looking for a used van, call him at (971) 555-0152. Wes",
     "Anton Ferreira"),
])
def test_a_writer_acting_for_someone_else_is_not_the_lead(extractor: Extractor, sender: str, body: str,
                                                         lead: str) -> None:
    found = _one(extractor, _mail(sender, body))
    assert found.value("full_name") == lead
    writer = sender.split("<")[1].rstrip(">")
    assert found.value("email") is None  # the writer's own address is a partner's
    assert any(o.field == "email" and o.value == writer and o.role == "partner" for o in found.others)


def test_a_friend_who_recommended_the_firm_does_not_make_the_writer_a_partner(extractor: Extractor) -> None:
    body = ("Hi, my friend Laura Simmons recommended you. I need my deck stained this spring. 503-555-0164\n"
            "Craig Dunmore")
    found = _one(extractor, _mail("Craig Dunmore <craig.dunmore@gmail.com>", body))
    assert found.value("full_name") == "Craig Dunmore"
    assert found.value("email") == "craig.dunmore@gmail.com"


def test_the_lead_s_own_house_is_their_address_and_a_listing_is_not(extractor: Extractor) -> None:
    own = _one(extractor, _mail("Tess Moreno <tess.moreno@gmail.com>",
                                "Hi, the water heater at my house on 418 Juniper Ct, Boise, ID 83702 is leaking. "
                                "Please call 208-555-0193.\nTess Moreno"))
    assert (own.value("street"), own.value("city"), own.value("postal_code")) == ("418 Juniper Ct", "Boise", "83702")
    listing = _one(extractor, _mail("Tess Moreno <tess.moreno@gmail.com>",
                                    "Hi, is the house at 77 Quarry Rd, Boise, ID 83706 still for sale? "
                                    "Please call 208-555-0193.\nTess Moreno"))
    assert listing.value("street") is None


def test_a_home_bought_or_written_for_is_the_lead_s(extractor: Extractor) -> None:
    bought = _one(extractor, _mail("Ola Berg <ola@bergmortgage.example>",
                                   "Passing along a client of mine, Jonah Weiss. He just bought a house at "
                                   "63 Fenwick Rd, Ames, IA 50010 and wants a fence. 515-555-0107.\nOla Berg"))
    assert (bought.value("full_name"), bought.value("street")) == ("Jonah Weiss", "63 Fenwick Rd")
    theirs = _one(extractor, _mail("Marta Vidal <marta.vidal@gmail.com>",
                                   "Hola, escribo en nombre de mi madre, Pilar Vidal, que quiere pintar su piso de "
                                   "la Calle Olmo 9, 46002 Valencia. Teléfono 611 204 339."))
    assert (theirs.value("street"), theirs.value("postal_code")) == ("Calle Olmo 9", "46002")


def test_an_address_in_the_listing_s_sentence_is_not_the_prospect_s(extractor: Extractor) -> None:
    body = ("Zu Ihrem Objekt \"Altbauwohnung in Leipzig-Gohlis, Ahornstraße 31, 04155 Leipzig\" gibt es eine "
            "Anfrage.\n\nE-Mail: b.kessler@t-online.de\nTelefon: 0341 5554 8812\nAdresse:\nGartenweg 7\n"
            "04109 Leipzig\n")
    found = _one(extractor, _mail("Portal <noreply@immoportal.example>", body, "Neue Anfrage"))
    assert (found.value("street"), found.value("postal_code")) == ("Gartenweg 7", "04109")


def test_contact_person_labels_name_the_lead(extractor: Extractor) -> None:
    for label, name in (("Contact person", "Ruth Okonjo"), ("Ansprechpartner", "Jens Albers"),
                        ("Persona de contacto", "Inés Robles")):
        body = f"Company: Valdor Foods Ltd\n{label}: {name}\nEmail: orders@valdorfoods.example\nPhone: 0161 555 0173\n"
        found = _one(extractor, _mail("Web Form <noreply@valdorsite.example>", body, "Quote request"))
        assert found.value("full_name") == name, label


def test_tenant_labels_are_the_lead_and_a_landlord_is_not(extractor: Extractor) -> None:
    body = ("Property: 12 Birch Row #2, Hoboken, NJ 07030\nLandlord: Marlow Holdings LLC\nTenant name: Ada Quist\n"
            "Tenant phone: 201-555-0186\nTenant email: ada.quist@gmail.com\n")
    found = _one(extractor, _mail("Rentals <noreply@rentboard.example>", body, "Rental inquiry"))
    assert (found.value("full_name"), found.value("phone")) == ("Ada Quist", "201-555-0186")
    assert found.value("company") is None


def _payload(extractor: Extractor, data: object) -> ExtractedLead:
    return _one(extractor, json.dumps(data).encode("utf-8"), "call.json")


def test_a_caller_id_string_is_the_caller_s_name_but_initials_are_not(extractor: Extractor) -> None:
    found = _payload(extractor, {"agent": {"name": "Tina Ross", "number": "+16175550102"},
                                 "caller": {"number": "+16175550188", "caller_id": "MORALES LUIS"},
                                 "tracking_line": "+16175550100"})
    assert (found.value("full_name"), found.value("phone")) == ("Luis Morales", "+16175550188")
    initials = _payload(extractor, {"caller": {"number": "+16175550188", "caller_id": "MORALES L"},
                                    "tracking_line": "+16175550100"})
    assert initials.value("full_name") is None


def test_a_referrer_s_object_is_not_the_lead(extractor: Extractor) -> None:
    found = _payload(extractor, {"referrer": {"name": "Hal Brandt", "company": "Brandt Insurance",
                                              "phone": "775-555-0100"},
                                 "referral": {"name": "Mia Torres", "phone": "775-555-0133",
                                              "email": "mia.torres@gmail.com"}})
    assert (found.value("full_name"), found.value("phone")) == ("Mia Torres", "775-555-0133")
    assert found.value("company") is None


@pytest.mark.parametrize(("line", "lang", "street", "city", "postal"), [
    ("Mi madre vive en la Calle Pez 18, 3º B, 28004 Madrid.", "es", "Calle Pez 18, 3º B", "Madrid", "28004"),
    ("Morada: Rua de Cedofeita 90, 1º Dto, 4050-174 Porto", "pt", "Rua de Cedofeita 90, 1º Dto", "Porto", "4050-174"),
    ("Via Po 33, scala B, int. 9, 10124 Torino", "it", "Via Po 33, scala B, int. 9", "Torino", "10124"),
    ("Dresdener Straße 4, Hinterhaus, 10999 Berlin", "de", "Dresdener Straße 4, Hinterhaus", "Berlin", "10999"),
    ("12 rue Sainte-Catherine, Bât. C, 33000 Bordeaux", "fr", "12 rue Sainte-Catherine, Bât. C", "Bordeaux", "33000"),
])
def test_a_unit_after_the_street_stays_on_the_street_line(line: str, lang: str, street: str, city: str,
                                                          postal: str) -> None:
    from parsers.address import find_in_line

    found = find_in_line(line, 0, None, lang)
    assert len(found) == 1
    assert (found[0].parts["street"], found[0].parts["city"], found[0].parts["postal_code"]) == (street, city, postal)


@pytest.mark.parametrize(("text", "parts"), [
    ("880 Howe St., Suite 9, Vancouver, British Columbia V6Z 2C7",
     {"street": "880 Howe St., Suite 9", "city": "Vancouver", "region": "British Columbia", "postal": "V6Z 2C7"}),
    ("Lychener Straße 8, Vorderhaus, 10437 Berlin",
     {"street": "Lychener Straße 8, Vorderhaus", "city": "Berlin", "postal": "10437"}),
    ("23 Millbrook Close, Tonbridge, Kent, TN10 4QS",
     {"street": "23 Millbrook Close", "city": "Tonbridge", "region": "Kent", "postal": "TN10 4QS"}),
])
def test_a_province_written_out_and_a_land_named_like_its_city(text: str, parts: dict[str, str]) -> None:
    from parsers.address import parse_address

    assert parse_address(text) == parts


def test_a_city_field_with_its_state_and_a_postcode_field_with_its_city(extractor: Extractor) -> None:
    body = "Name: Lina Vogel\nTelefon: 0821 555 3170\nOrt: Augsburg, Bayern\n"
    found = _one(extractor, _mail("Formular <noreply@formular.example>", body, "Anfrage"))
    assert (found.value("city"), found.value("region")) == ("Augsburg", "Bayern")
    body = "Nome: Rui Lobo\nTelemóvel: 912 555 804\nCódigo Postal: 1250-146 Lisboa\n"
    found = _one(extractor, _mail("Formulario <noreply@formulario.example>", body, "Pedido"))
    assert (found.value("postal_code"), found.value("city")) == ("1250-146", "Lisboa")
    body = "Naam: Joris Bos\nTel: 06-12345678\nPostcode: 3511 AZ\nPlaats: Utrecht\n"
    found = _one(extractor, _mail("Formulier <noreply@formulier.example>", body, "Aanvraag"))
    assert found.value("postal_code") == "3511 AZ"


@pytest.mark.parametrize(("body", "street", "city", "region"), [
    ("Hi, we live at 31 Cobble Hill Rd in Essex, Vermont and need a new furnace. 802-555-0140\nRay Dunn",
     "31 Cobble Hill Rd", "Essex", "Vermont"),
    ("Hallo, ich wohne in der Brunnenstraße 4 in Leipzig und brauche neue Fenster. 0341 555 2231\nRay Dunn",
     "Brunnenstraße 4", "Leipzig", None),
])
def test_a_street_the_prospect_lives_at_without_a_postcode(extractor: Extractor, body: str, street: str, city: str,
                                                          region: str | None) -> None:
    found = _one(extractor, _mail("Ray Dunn <ray.dunn@gmail.com>", body))
    assert (found.value("street"), found.value("city"), found.value("region")) == (street, city, region)


def test_a_listing_located_at_a_street_is_not_where_the_prospect_lives(extractor: Extractor) -> None:
    body = "Hi, the condo is located at 90 Larch Ave, Boulder and I'd like to see it. 303-555-0177\nRay Dunn"
    assert _one(extractor, _mail("Ray Dunn <ray.dunn@gmail.com>", body)).value("street") is None


def test_a_name_above_its_address_lines_and_phone_is_the_contact_block_s(extractor: Extractor) -> None:
    body = ("Zu Ihrem Objekt Nr. 4471 liegt eine neue Anfrage vor.\n\nKontaktdaten des Interessenten:\n"
            "Frau Greta Lindqvist\nMeisenweg 3\n79098 Freiburg\nTelefon: 0761 5552 9034\n")
    found = _one(extractor, _mail("Portal <noreply@immoportal.example>", body, "Neue Anfrage"))
    assert (found.value("full_name"), found.value("street")) == ("Greta Lindqvist", "Meisenweg 3")


@pytest.mark.parametrize(("label", "value", "street", "city"), [
    ("Installation address", "61 Alder Way, Boise, ID 83702", "61 Alder Way", "Boise"),
    ("Adresse des travaux", "8 rue des Forges, 21000 Dijon", "8 rue des Forges", "Dijon"),
    ("Einsatzort", "Lerchenweg 5, 79100 Freiburg", "Lerchenweg 5", "Freiburg"),
    ("Dirección de la obra", "Calle Luna 7, 18001 Granada", "Calle Luna 7", "Granada"),
])
def test_a_job_site_label_is_the_lead_s_address(extractor: Extractor, label: str, value: str, street: str,
                                                city: str) -> None:
    body = f"Name: Ida Brandt\nPhone: 208-555-0131\n{label}: {value}\n"
    found = _one(extractor, _mail("Jobs <noreply@jobboard.example>", body, "New job"))
    assert (found.value("street"), found.value("city")) == (street, city)


@pytest.mark.parametrize("cnam", ["WIRELESS CALLER", "UNAVAILABLE", "CELL PHONE", "CHICAGO IL"])
def test_a_carrier_s_filler_or_the_line_s_place_names_no_caller(extractor: Extractor, cnam: str) -> None:
    found = _payload(extractor, {"call": {"from": {"number": "+13125550177", "name": cnam},
                                          "to": {"number": "+13125550100", "name": "Main Line"}}})
    assert (found.value("full_name"), found.value("phone")) == (None, "+13125550177")


def test_a_caller_id_number_key_is_the_caller_s_phone(extractor: Extractor) -> None:
    found = _payload(extractor, {"event": "call_completed",
                                 "data": {"caller_id_name": "NGUYEN, THAO", "caller_id_number": "+14085550133",
                                          "called_number": "+14085550100"}})
    assert (found.value("full_name"), found.value("phone")) == ("Thao Nguyen", "+14085550133")


def test_the_person_in_brackets_after_a_partner_s_firm_is_the_partner_s(extractor: Extractor) -> None:
    note = ("Lead from our partner Kestrel Advisory (Ruben Falk sent it, ruben@kestreladvisory.example).\n"
            "Contact person: Oona Virtanen, Facilities Manager at Nordvik Cold Storage\n"
            "oona.virtanen@nordvik.example / +44 113 496 0188\n")
    found = _one(extractor, note.encode("utf-8"), "note.txt")
    assert (found.value("full_name"), found.value("email")) == ("Oona Virtanen", "oona.virtanen@nordvik.example")
    assert any(o.field == "full_name" and o.value == "Ruben Falk" and o.role == "partner" for o in found.others)


def test_an_agent_with_a_client_and_where_the_client_lives(extractor: Extractor) -> None:
    body = ("Boa tarde,\ntenho um cliente, o Sr. Abel Quintas, interessado no apartamento da Rua do Carmo 12, em "
            "Lisboa. Ele mora em Setúbal. Contacto: 912 555 478.\nCumprimentos,\nIvone Sá\nSá Imóveis\n213 555 010\n")
    found = _one(extractor, _mail("Ivone Sá <ivone@saimoveis.example>", body, "Cliente interessado"))
    assert (found.value("full_name"), found.value("phone"), found.value("city")) == (
        "Abel Quintas", "912 555 478", "Setúbal")
    assert found.value("company") is None


def test_an_owner_label_names_a_seller_lead(extractor: Extractor) -> None:
    body = "Neue Eigentümer-Anfrage\n\nEigentümer: Herr Jost Harms\nTelefon: 0511 555 2398\nE-Mail: j.harms@gmx.de\n"
    found = _one(extractor, _mail("Portal <info@maklerportal.example>", body, "Verkäuferanfrage"))
    assert found.value("full_name") == "Jost Harms"


def test_an_agent_referring_their_buyer(extractor: Extractor) -> None:
    body = ("Hi Kim,\n\nReferring my buyer Odette Lamar to you for homeowners insurance. She closes Dec 18. Her cell: "
            "512-555-0161.\n\nJake Miller\nSummit Realty\n512-555-0101\n")
    found = _one(extractor, _mail("Jake Miller <jake@summitrealty.example>", body, "Referral"))
    assert (found.value("full_name"), found.value("phone"), found.value("email")) == (
        "Odette Lamar", "512-555-0161", None)


@pytest.mark.parametrize(("subject", "body", "street"), [
    ("Solicitud de valoración", "Nombre: Pilar Soto\nTeléfono: 611 555 219\n"
     "Dirección del inmueble: Calle Luna 8, 29001 Málaga\n", "Calle Luna 8"),
    ("Wertermittlung", "Name: Sabine Koch\nTelefon: 0221 555 7812\nObjektadresse: Rosenweg 3, 50667 Köln\n",
     "Rosenweg 3"),
])
def test_a_seller_s_property_is_their_own_address(extractor: Extractor, subject: str, body: str, street: str) -> None:
    found = _one(extractor, _mail("Portal <info@valuationportal.example>", body, subject))
    assert found.value("street") == street


def test_a_caller_id_with_two_surnames_before_the_comma(extractor: Extractor) -> None:
    call = {"numero_origen": "+34 612 555 123", "nombre_llamante": "GARCIA LOPEZ, MARIA",
            "numero_destino": "+34 910 555 000"}
    found = _payload(extractor, {"llamada": call})
    assert (found.value("full_name"), found.value("phone")) == ("Maria Garcia Lopez", "+34 612 555 123")


@pytest.mark.parametrize(("body", "lead"), [
    ("Hola Nuria,\n\nTe paso un contacto que nos ha llegado y que encaja más con vosotros:\n\nRamiro Ortega Saez, "
     "gerente de Hormigones Ortega S.L. Su móvil es el 676 555 231.\n\nUn saludo,\nBelén Ruiz\nCrédito Norte\n",
     "Ramiro Ortega Saez"),
    ("Hi Dan,\n\nSending you a lead we can't serve:\nPriyanka Das, 312-555-0166, wants a basement waterproofed.\n\n"
     "Cheers,\nBelén Ruiz\nNorthside Plumbing\n312-555-0100\n", "Priyanka Das"),
])
def test_a_contact_handed_over_after_a_colon(extractor: Extractor, body: str, lead: str) -> None:
    found = _one(extractor, _mail("Belén Ruiz <belen@creditonorte.example>", body, "Contacto"))
    assert found.value("full_name") == lead
    assert found.value("email") is None


def test_numbered_street_keys_and_a_floor_label(extractor: Extractor) -> None:
    found = _payload(extractor, {"name": "Ada Quist", "phone": "919-555-0143", "street_1": "12 Oak St",
                                 "street_2": "Unit 7", "city": "Raleigh", "state": "NC"})
    assert found.value("street") == "12 Oak St, Unit 7"
    body = "Nombre: Luis Paz\nTeléfono: 612 345 678\nCalle: Calle Mayor 5\nPiso y puerta: 3º B\nCP: 28013\n"
    found = _one(extractor, _mail("Web <noreply@reformas.example>", body, "Solicitud"))
    assert found.value("street") == "Calle Mayor 5, 3º B"


def test_a_street_word_ends_the_street_before_the_city_in_a_note_line() -> None:
    from parsers.address import find_in_line

    found = find_in_line("homeowner Gail Stone, 720-555-0161, 18 Aspen Ct Lakewood CO 80226, wants solar", 0, None,
                         "en")
    assert found[0].parts == {"street": "18 Aspen Ct", "city": "Lakewood", "region": "CO", "postal_code": "80226"}


def test_a_us_address_typed_without_capitals() -> None:
    from parsers.address import find_in_line

    found = find_in_line("cust at 12 oak st apt 4 in raleigh nc 27601, wants quote", 0, None, "en")
    assert found[0].parts == {"street": "12 oak st apt 4", "city": "Raleigh", "region": "NC", "postal_code": "27601"}
