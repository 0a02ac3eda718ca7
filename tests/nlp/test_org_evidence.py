"""Whose firm is it: the prospect's signature, their mail domain, the recipient's firm, a partner's firm."""

from __future__ import annotations

import pytest
from spacy.language import Language

from nlp.assemble import assemble
from nlp.candidates import Candidate
from nlp.freetext import read_free_text
from nlp.org_sides import agrees_domain as _agrees_domain
from nlp.org_sides import domain_cores as _domain_cores


@pytest.mark.parametrize(
    ("body", "email", "expected"),
    [
        # a job title and the firm joined by "|", with "&" in the firm's name
        ("Please quote a conveyor oven.\n\nBest,\nRosa Tillery\nFacilities Coordinator | Brightwater Tool & Die\n",
         "rtillery@brightwatertool.example", "Brightwater Tool & Die"),
        # joined by a comma
        ("Our dock needs new decking.\n\nThanks\nDevon Ashcroft\nPurchasing Lead, Kestrel Outdoor & Marine\n",
         "d.ashcroft@kestrelmarine.example", "Kestrel Outdoor & Marine"),
        # name, title and firm on one line
        ("Count us in for the campus walkthrough.\n\nThanks,\nDana Osei | Director of Facilities & Operations | "
         "Larkspur Charter Schools\n", "dosei@larkspurcharter.example", "Larkspur Charter Schools"),
        # joined by a dash, accents the domain cannot write
        ("Merci pour le devis.\n\nCordialement,\nÉlodie Rivière\nGérante – Boulangerie Rivière\n",
         "contact@boulangerie-riviere.example", "Boulangerie Rivière"),
    ],
)
def test_firm_beside_a_job_title_in_the_signature(nlp: Language, body: str, email: str, expected: str) -> None:
    assert read_free_text(nlp, body, sender_email=email).value("company") == expected


def test_firm_below_a_job_title_line_without_a_company_domain(nlp: Language) -> None:
    body = ("Hi, we need pallet racking for our new warehouse.\n\nRegards\nTomasz Wierzbicki\nOperations Manager\n"
            "Sierra Cold Storage\n")
    lead = read_free_text(nlp, body, sender_name="Tomasz Wierzbicki", sender_email="tomasz.w@gmail.com")
    assert lead.value("company") == "Sierra Cold Storage"


def test_a_job_title_alone_below_the_name_is_no_firm(nlp: Language) -> None:
    body = "Hi, please call me about a new roof.\n\nThanks\nMarta Lindqvist\nHead of Facilities\n"
    lead = read_free_text(nlp, body, sender_name="Marta Lindqvist", sender_email="marta.l@gmail.com")
    assert lead.value("company") is None


def test_domain_agrees_with_words_left_out_or_a_different_ending() -> None:
    assert _agrees_domain("Ames Family Orchards", _domain_cores(["w@amesorchards.example"]))
    assert _agrees_domain("Kline Family Dentistry", _domain_cores(["b@klinefamilydental.example"]))
    assert _agrees_domain("Castellví Ceràmica", _domain_cores(["x@castellviceramica.es"]))
    # a shared first word is not enough, nor a short common start
    assert not _agrees_domain("Ames Hardware Supply", _domain_cores(["w@amesorchards.example"]))
    assert not _agrees_domain("Northwest Plumbing", _domain_cores(["a@northwind-traders.com"]))
    # free mail spells no firm
    assert not _agrees_domain("Gmail", _domain_cores(["a@gmail.com"]))


@pytest.mark.parametrize(
    "text",
    [
        "Hi, I found your company, Bayside Roofing LLC, through a neighbour. Our roof leaks. Call 415-555-0191.",
        "Guten Tag, ich habe Ihre Firma, die Sonnendach Solar GmbH, im Internet gefunden. Wir möchten eine PV-Anlage.",
        "Hola, me recomendaron su empresa, Reformas Altamira S.L., para la cocina. Mi teléfono es 612 345 678.",
        "Bonjour, votre société Isolation Dupuis SARL m'a été recommandée pour les combles.",
    ],
)
def test_the_recipients_firm_is_not_the_prospects(nlp: Language, text: str) -> None:
    lead = read_free_text(nlp, text)
    assert lead.value("company") is None
    assert [o.role for o in lead.others if o.field == "company"] == ["recipient"]


def test_the_prospects_own_firm_beside_the_recipients(nlp: Language) -> None:
    text = ("Hello, your company Bayside Roofing LLC was recommended to us. We are Tidewater Marine Supply Inc. "
            "and need a quote for the warehouse roof.")
    assert read_free_text(nlp, text).value("company") == "Tidewater Marine Supply Inc."


def test_a_partners_firm_is_no_fallback_for_the_leads() -> None:
    partner = Candidate("company", "Summit Realty", 0.3, "nlp:orgs.prose", 40, flags=("role:partner",))
    lead = assemble([partner, Candidate("person", "Samantha Greer", 0.8, "nlp:names", 80)])
    assert lead.value("company") is None
    assert [(o.field, o.value, o.role) for o in lead.others] == [("company", "Summit Realty", "partner")]
    own = Candidate("company", "Greer Bakery", 0.6, "nlp:orgs.prose", 120)
    assert assemble([partner, own]).value("company") == "Greer Bakery"


def test_a_firm_named_right_after_a_partner_cue_is_the_partners(nlp: Language) -> None:
    text = "kam über unseren Partner Elektro Hansen: Emil Brückner, privat, Reinbek, mobil 0176 555 0142"
    lead = read_free_text(nlp, text, chat=True)
    assert lead.value("company") is None


def test_a_cooperative_keeps_its_legal_form(nlp: Language) -> None:
    text = "Frau Henrike ter Beek, Leiterin Objektverwaltung bei der Nordlicht Wohnbau eG (Hamburg-Barmbek)"
    lead = read_free_text(nlp, text, chat=True)
    assert (lead.value("company"), lead.value("city")) == ("Nordlicht Wohnbau eG", "Hamburg-Barmbek")


@pytest.mark.parametrize(
    "text",
    [
        "You have a new lead!\nBright Line Electric LLC, a homeowner near you needs help.\nJOB: EV charger\n"
        "Reggie Thibodeaux\n(337) 555-0126",
        "New request for a quote.\nCustomer: Reggie Thibodeaux, (337) 555-0126\n"
        "Bright Line Electric LLC | Pro ID 20339 | (337) 555-0100",
        "Customer: Odette Farrow, 719-555-0175. This lead was sent to: Marcus Delgado, Front Range Realty LLC.",
    ],
)
def test_the_firm_a_portal_sends_the_lead_to_is_not_the_prospects(nlp: Language, text: str) -> None:
    lead = read_free_text(nlp, text)
    assert lead.value("company") is None
    assert "recipient" in {o.role for o in lead.others if o.field == "company"}


def test_a_firm_opening_a_line_without_addressing_anyone_stays_the_prospects(nlp: Language) -> None:
    lead = read_free_text(nlp, "Hello,\nTidewater Marine Supply Inc., a boat parts wholesaler, needs a new roof.")
    assert lead.value("company") == "Tidewater Marine Supply Inc."
