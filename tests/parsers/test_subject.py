"""``parsers.subject.interest_of_subject``: the object a notification's subject states after its own words."""

from __future__ import annotations

import pytest

from parsers.subject import interest_of_subject

STATED = [
    ("Contact form: Leaking shower valve", "Leaking shower valve"),
    ("Quote: 500 letterpress business cards", "500 letterpress business cards"),
    ("New HandyHub request: Gutter cleaning", "Gutter cleaning"),
    ("Fwd: Website inquiry: Bathroom tiling", "Bathroom tiling"),
    ("Neue Anfrage #HX-2291: Gartenzaun aus Lärche", "Gartenzaun aus Lärche"),
    ("Nueva solicitud de presupuesto: reforma de cocina", "reforma de cocina"),
    ("Novo pedido de orçamento: pintura da fachada", "pintura da fachada"),
    ("Nouvelle demande de devis : pergola bioclimatique", "pergola bioclimatique"),
    ("Nuova richiesta di preventivo: infissi in PVC", "infissi in PVC"),
    ("Nieuwe offerteaanvraag: Zonnepanelen plaatsen", "Zonnepanelen plaatsen"),
    ("New job for Vasquez Roofing LLC: Skylight leak", "Skylight leak"),
    ("[webform] Contact us: Pool heater repair", "Pool heater repair"),
]

NOT_STATED = [
    "Group kayak tour for 12 in June",         # a person's own headline: not read (too often off the mark)
    "New lead",                                # only the notification's words
    "Nuevo contacto desde la web",
    "Tageszusammenfassung: 3 neue Anfragen",   # a digest's heading is no notice word
    "New buyer lead: Rosa Gutierrez",          # the lead's own name
    "Quote request: #RM-5512093",              # a reference number only
    "Meeting notes: budget review with the board and the auditors",  # "meeting notes" is no notice
    "",
]


@pytest.mark.parametrize(("subject", "expected"), STATED)
def test_stated_object(subject: str, expected: str) -> None:
    assert interest_of_subject(subject, names=["Rosa Gutierrez"]) == expected


@pytest.mark.parametrize("subject", NOT_STATED)
def test_no_object(subject: str) -> None:
    assert interest_of_subject(subject, names=["Rosa Gutierrez"]) is None


def test_a_stated_subject_beats_a_prose_guess_and_portal_wording_is_no_message() -> None:
    from nlp.extractor import Extractor
    from parsers.lead import RawMessage

    mail = (
        "From: Reformas Ya <avisos@reformasya.example>\nTo: info@beltran.example\n"
        "Subject: Nueva solicitud de presupuesto: Reforma de baño\nContent-Type: text/plain; charset=utf-8\n\n"
        "Vous avez reçu une nouvelle demande.\nUn cliente ha solicitado presupuesto para su proyecto.\n\n"
        "Nombre: Jorge Salcedo\nTeléfono: 655 501 234\nCorreo electrónico: jsalcedo@correo.example\n"
    )
    [lead] = Extractor().extract(RawMessage(mail.encode(), "smtp")).leads
    interest = lead.fields["interest"]
    assert (interest.value, interest.source) == ("Reforma de baño", "reader:mime:subject")
    assert "message" not in lead.fields


@pytest.mark.parametrize("subject", ["New submission: Solar Quote Request", "New form entry: Contact Us - Landscaping",
                                     "Website inquiry: Free Estimate Request Form"])
def test_a_forms_title_is_no_object(subject: str) -> None:
    assert interest_of_subject(subject) is None


def test_the_vendors_name_is_no_object() -> None:
    assert interest_of_subject("Contact form: Zillow Premier Agent", vendor="zillow") is None
    assert interest_of_subject("Quote request: kitchen remodel", vendor="kitchenco") == "kitchen remodel"


@pytest.mark.parametrize("subject", ["New lead from Facebook: Spring Roofing Campaign", "Lead Alert: Hot Lead!",
                                     "New Lead: Priority", "New request: Other", "New lead: Facebook Lead Ad",
                                     "New message: Hi, is this available?", "New lead: Mon, Nov 30 2026",
                                     "New lead: Tier 1", "Website inquiry: Contact Us Page"])
def test_the_vendors_words_a_greeting_or_a_date_are_no_object(subject: str) -> None:
    assert interest_of_subject(subject) is None


def test_a_service_with_its_kind_stays() -> None:
    assert interest_of_subject("New request: Solar - Residential") == "Solar - Residential"
