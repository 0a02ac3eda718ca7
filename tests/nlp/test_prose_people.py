"""People and firms in running text: cue words in seven languages, case, particles, email agreement, roles."""

from __future__ import annotations

import pytest

from nlp.email_names import agrees_with_email
from nlp.extractor import Extractor
from nlp.names import name_from_email, relay_sender
from nlp.prose import prose_names, read_name_at
from parsers.lead import RawMessage


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _chat(extractor: Extractor, text: str) -> dict[str, str | None]:
    leads = extractor.extract(RawMessage(raw=text.encode("utf-8"), channel="slack")).leads
    assert leads, text
    return leads[0].plain()


@pytest.mark.parametrize(
    ("note", "name"),
    [
        ("Just hung up with Odalys Ferreira-Quint, COO at Bramble Freight. 415-555-0136", "Odalys Ferreira-Quint"),
        ("spoke with theo vandermeer about the camper, 503-555-0190", "Theo Vandermeer"),
        ("WALK IN: GRETCHEN OYELOWO WANTS THE RED ONE 720-555-0161", "Gretchen Oyelowo"),
        ("met Ruth Abernethy at the expo, 312-555-0108", "Ruth Abernethy"),
        ("Lead from Cassius Merriweather, cassius.m@gmail.com", "Cassius Merriweather"),
        ("Dr. Ilse Nakashima called about the suite on Hale St, 206-555-0177", "Ilse Nakashima"),
        ("Anruf von Frau Wiebke van der Linden, Tel. 040 5559 2871, möchte ein Angebot", "Wiebke van der Linden"),
        ("Gespräch mit Herrn Dr. Korbinian Aust, 089 5550 1134", "Korbinian Aust"),
        ("Llamó la Sra. Remedios Aguilar Toledo, 612 550 198, quiere visitar el piso", "Remedios Aguilar Toledo"),
        ("habló con nosotros Sr. Fermín Ochoa, 655 501 234", "Fermín Ochoa"),
        ("falei com a Dona Benedita dos Santos, (21) 95555-0142", "Benedita dos Santos"),
        ("Appel de Mme Maëlle Tissier-Roux, 06 55 50 12 34, pour une cuisine", "Maëlle Tissier-Roux"),
        ("Ho parlato con la Sig.ra Ornella Bassi, 333 555 0172", "Ornella Bassi"),
        ("Gesprek gehad met Joost de Vries, 06 5555 0123, wil een offerte", "Joost de Vries"),
        ("Walk-in: Anne-Marie Delacroix, 503-555-0185", "Anne-Marie Delacroix"),
    ],
)
def test_names_after_cues(extractor: Extractor, note: str, name: str) -> None:
    assert _chat(extractor, note)["full_name"] == name


@pytest.mark.parametrize(
    ("text", "lower", "name"),
    [
        ("Krüger von der Krüger & Söhne GmbH", False, "Krüger"),
        ("Ximena García Márquez de Inmobiliaria Solaz", False, "Ximena García Márquez"),
        ("Pieter-Jan de Wit van Bakkerij Oosterhout BV", False, "Pieter-Jan de Wit"),
        ("Henrike van der Berg (Krüger & Söhne)", False, "Henrike van der Berg"),
        ("marcus oyelaran re: the f-150", True, "Marcus Oyelaran"),
        ("DELPHINE ARCHAMBAULT, WANTS", False, "Delphine Archambault"),
        ("Denise & Ray Holloway 331-555-0146", False, "Denise Holloway"),
        ("wants a quote", True, None),
        ("Linden Ave on Tuesday", False, None),
    ],
)
def test_read_name_at(text: str, lower: bool, name: str | None) -> None:
    found = read_name_at(text, 0, lower=lower)
    assert (found[0] if found else None) == name


@pytest.mark.parametrize(
    ("name", "address", "agrees"),
    [
        ("Priya Raman", "priya.raman@castellan-logistics.com", True),
        ("John Doe", "jdoe@doe-hvac.example", True),
        ("Pieter-Jan de Wit", "pj.dewit@bakkerij.nl", True),
        ("Ximena García Márquez", "xgarcia@solaz-inmo.es", True),
        ("Jake Tillman", "samantha.oduya@yahoo.com", False),
        ("Ana Lopes", "sales@lopes.example", False),
    ],
)
def test_email_agreement(name: str, address: str, agrees: bool) -> None:
    assert agrees_with_email(name, address) is agrees


@pytest.mark.parametrize(
    ("address", "name"),
    [
        ("priya.raman@castellan-logistics.com", "Priya Raman"),
        ("hannah@gmail.com", "Hannah"),
        ("first.last@gmail.com", None),
        ("sales.team@acme.example", None),
        ("x7.q@gmail.com", None),
    ],
)
def test_name_from_email(address: str, name: str | None) -> None:
    assert name_from_email(address) == name


def test_email_spells_the_name_when_the_note_names_nobody(extractor: Extractor) -> None:
    lead = _chat(extractor, "follow up: priya.raman@castellan-logistics.com asked about the 3-bed, no phone")
    assert lead["full_name"] == "Priya Raman"


@pytest.mark.parametrize("placeholder", ["first", "Name", "Unknown", "N/A"])
def test_placeholders_are_never_names(extractor: Extractor, placeholder: str) -> None:
    lead = _chat(extractor, f"Name: {placeholder}\nEmail: quill.fenwick@gmail.com\nPhone: 503-555-0182")
    assert lead["full_name"] in (None, "Quill Fenwick")


def test_partner_passing_a_client_on_is_not_the_lead(extractor: Extractor) -> None:
    lead = _chat(extractor, "our partner Jake Tillman at Summit Realty sent over his client Samantha Oduya, "
                            "samantha.oduya@yahoo.com / 404-555-0170")
    assert lead["full_name"] == "Samantha Oduya"
    assert lead["company"] is None


def test_partners_own_phone_is_set_apart(extractor: Extractor) -> None:
    lead = _chat(extractor, "os paso un contacto de nuestro colaborador Ignacio Ferrer (Ferrer Seguros, "
                            "655 100 200). Su cliente, la Sra. Marina Castells, móvil 679 338 412.")
    assert (lead["full_name"], lead["phone"], lead["company"]) == ("Marina Castells", "679 338 412", None)


def test_roles_are_read_with_the_names() -> None:
    text = "our partner Jake Tillman sent over his client Samantha Oduya"
    roles = {p.name: p.role for p in prose_names(text, 0, len(text))}
    assert roles == {"Jake Tillman": "partner", "Samantha Oduya": None}


@pytest.mark.parametrize(
    ("note", "company"),
    [
        ("Just got off a call with Priya Raman, VP Ops at Castellan Logistics. priya.raman@castellan-logistics.com",
         "Castellan Logistics"),
        ("Met the owner at the expo, Benedikt Aurelius, 555-0177. Mendoza Builders LLC needs 12 skid steers",
         "Mendoza Builders LLC"),
        ("Herr Krüger von der Krüger & Söhne GmbH hat angerufen, Rückruf unter 089 5550 2210",
         "Krüger & Söhne GmbH"),
        ("Talked w/ Imogen Fairweather @ Quarrystone Partners, imogen@quarrystone.com", "Quarrystone Partners"),
        ("Llamó la Sra. Ximena García de Inmobiliaria Solaz (Valencia), 612 555 019", "Inmobiliaria Solaz"),
        ("SPOKE TO DWAYNE FITZ AT FITZ HAULING LLC, 214-555-0109", "FITZ HAULING LLC"),
        ("call with Wren Holt, wren.holt@gmail.com, wants a demo", None),
    ],
)
def test_organisations_in_prose(extractor: Extractor, note: str, company: str | None) -> None:
    assert _chat(extractor, note)["company"] == company


def test_city_in_brackets_after_the_firm(extractor: Extractor) -> None:
    lead = _chat(extractor, "Llamó la Sra. Ximena García de Inmobiliaria Solaz (Valencia), 612 555 019")
    assert lead["city"] == "Valencia"


@pytest.mark.parametrize(
    ("display", "address", "relay"),
    [
        ("Portal AutoBrasil", "avisos@autobrasil-portal.example", True),
        ("ImmoFinder Kontakt", "kontakt@immofinder.example", True),
        ("Harbor Realty Group", "dana@harbor.example", True),
        ("Jamie Driver", "jamie@example.com", False),
        ("Jamie Driver", "info@driver-family.example", True),
        ("Ana Lopes", "ana.lopes@gmail.com", False),
    ],
)
def test_relay_sender_display_names(display: str, address: str, relay: bool) -> None:
    assert relay_sender(display, address) is relay


def test_referral_mail_names_the_client_not_the_writer(extractor: Extractor) -> None:
    mail = (
        b"From: Jake Morrow <jake@morrowinsure.example>\r\nTo: leads@bank.example\r\nSubject: referral\r\n\r\n"
        b"Hey team,\r\n\r\nPassing along a client of mine, Samantha Greer. She wants to refinance. "
        b"Her email is sam.greer@yahoo.com and cell 860-555-0193.\r\n\r\n"
        b"She said: \"We'd like to keep the payment low.\"\r\n\r\nThanks!\r\nJake Morrow\r\n"
        b"Morrow Insurance Group\r\n860-555-0100\r\n"
    )
    lead = extractor.extract(RawMessage(raw=mail, channel="smtp")).leads[0].plain()
    assert (lead["full_name"], lead["email"], lead["phone"]) == ("Samantha Greer", "sam.greer@yahoo.com",
                                                                  "860-555-0193")
    assert lead["company"] is None
    assert lead["message"] == "We'd like to keep the payment low."


@pytest.mark.parametrize(
    ("note", "city"),
    [
        ("walk-in: tom okafor, 404-555-0168, lives in decatur", "Decatur"),
        ("call with Elena Voss, 617-555-0132, new lab in Cambridge, proposal by Dec 15", "Cambridge"),
        ("Sra. Pilar Rey, 981 57 66 12, clínica en A Coruña", "A Coruña"),
        ("call with Elena Voss, 617-555-0132, wants it in March", None),
        ("Tobias Brandt, 0221 5550 3471, wohnt in Köln-Ehrenfeld", "Köln-Ehrenfeld"),
    ],
)
def test_city_in_prose(extractor: Extractor, note: str, city: str | None) -> None:
    assert _chat(extractor, note)["city"] == city


def test_the_partners_values_are_kept_with_their_role(extractor: Extractor) -> None:
    text = ("os paso un contacto de nuestro colaborador Ignacio Ferrer (Ferrer Seguros, 655 100 200). "
            "Su cliente, la Sra. Marina Castells, móvil 679 338 412.")
    (lead,) = extractor.extract(RawMessage(raw=text.encode("utf-8"), channel="slack")).leads
    partner = {(o.field, o.value) for o in lead.role_values("partner")}
    assert {("full_name", "Ignacio Ferrer"), ("phone", "655 100 200")} <= partner
    assert lead.value("phone") == "679 338 412"


@pytest.mark.parametrize(
    ("note", "name", "company"),
    [
        # a lower-case name opening a clause after a colon, the firm after "runs" / "owns"
        ("walk-in just now, kim at reception sent her over: tilde okonkwo-brandt, runs brandt bike repair "
         "on 3rd. 317-555-0124", "Tilde Okonkwo-Brandt", "Brandt Bike Repair"),
        ("talked to esperanza vallejo-ruiz, she owns vallejo bakery on main. 505-555-0172",
         "Esperanza Vallejo-Ruiz", "Vallejo Bakery"),
        # "caller was", "his name is": the name after the copula
        ("caller was wendelin haas, 0171 5550 3321, wants a carport", "Wendelin Haas", None),
        ("New one, his name is Caspian Oduya, 312-555-0193, fleet of 6 vans", "Caspian Oduya", None),
        # a particle then a surname that is also a street word ("Laan", "Calle")
        ("Call with Maarten van der Laan (maarten@laanfreight.example), COO at Laan Freight.",
         "Maarten van der Laan", "Laan Freight"),
    ],
)
def test_names_and_firms_in_quick_notes(extractor: Extractor, note: str, name: str, company: str | None) -> None:
    lead = _chat(extractor, note)
    assert lead.get("full_name") == name
    assert lead.get("company") == company


def test_a_self_introduction_after_the_greeting_word_is_not_the_greeting(extractor: Extractor) -> None:
    leads = extractor.extract(RawMessage(
        raw=b"Hi this is Rosalind Achebe, I need the gutters cleaned, 404-555-0117", channel="file")).leads
    assert leads[0].value("full_name") == "Rosalind Achebe"


@pytest.mark.parametrize(
    ("note", "name", "company"),
    [
        # a title names the surname alone, the note spells the whole name later
        ("MR AND MRS OYELOWO STOPPED BY. FUNMI OYELOWO 720-555-0139 WANTS A DINING SET", "Funmi Oyelowo", None),
        # particles in a note in capitals; a Catalan "i" between two surnames
        ("CALL W/ MARIE-CLAIRE DE LA ROCHE, 514-555-0172, WANTS 2 VANS", "Marie-Claire de la Roche", None),
        ("Visita de la Sra. Núria Casals i Ferrer, 93 555 02 31, busca oficina", "Núria Casals i Ferrer", None),
        # "X from Y called": Y is X's firm, not the caller
        ("Mr. Tobiah Mensah-Oduro from Harmattan Solar called re inverters, tobiah@harmattansolar.example",
         "Tobiah Mensah-Oduro", "Harmattan Solar"),
        # a pasted mail's signature: the firm on the line below the prospect's name
        ("pasting what came in:\n\nHello, we need 40 folding chairs for a wedding on 3 May.\n\nKind regards,\n"
         "Liesbeth Overmars\nOvermars Events\n+31 6 5555 0142", "Liesbeth Overmars", "Overmars Events"),
    ],
)
def test_names_and_firms_in_notes_of_every_shape(extractor: Extractor, note: str, name: str,
                                                  company: str | None) -> None:
    lead = _chat(extractor, note)
    assert lead.get("full_name") == name
    assert lead.get("company") == company


def test_a_referring_writers_signature_firm_is_not_the_leads(extractor: Extractor) -> None:
    mail = ("From: Bram Ostendorf <bram@ostendorfbouw.example>\nTo: partners@zonpaneel.example\nSubject: Referral\n\n"
            "Hi team,\n\nSending one of my clients your way.\n\nClient: Gerrit Lammers\n06 5555 0183\n\n"
            "Thanks,\nBram Ostendorf\nOstendorf Bouw\n")
    lead = extractor.extract(RawMessage(raw=mail.encode(), channel="smtp")).leads[0]
    assert lead.value("full_name") == "Gerrit Lammers"
    assert lead.value("company") != "Ostendorf Bouw"


@pytest.mark.parametrize(
    ("note", "name", "company"),
    [
        # a cue verb opening the note is not part of the name
        ("Habló Iker Olabarria, de Carpintería Olabarria (Eibar), necesita puertas. 943 555 021",
         "Iker Olabarria", "Carpintería Olabarria"),
        # "X da/de <firm> ligou": the person before the connector called, the firm is theirs
        ("Renata Moura da Construtora Moura ligou, quer orçamento de andaimes, (41) 95555-0171",
         "Renata Moura", "Construtora Moura"),
        # a lower-case accented word ("à") ends a firm's name
        ("Mme Apolline Rivière, gérante de la Boulangerie Rivière à Blois, veut un four. 02 54 55 50 13",
         "Apolline Rivière", "Boulangerie Rivière"),
    ],
)
def test_cue_verbs_connectors_and_accents(extractor: Extractor, note: str, name: str, company: str) -> None:
    lead = _chat(extractor, note)
    assert lead.get("full_name") == name
    assert lead.get("company") == company


@pytest.mark.parametrize(
    ("note", "city"),
    [
        ("Spoke to Ansgar Pohl, they run 18 reefer trucks out of Boise, ansgar.pohl@gmail.com", "Boise"),
        ("Call with Rhiannon Tate, ops lead at Larkspur Living (Racine campus), 262-555-0174", "Racine"),
    ],
)
def test_city_after_out_of_and_in_a_campus_bracket(extractor: Extractor, note: str, city: str) -> None:
    assert _chat(extractor, note).get("city") == city
