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
