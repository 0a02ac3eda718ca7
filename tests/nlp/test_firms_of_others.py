"""A firm is the lead's only when the lead is with it: the firm of a writer who passes someone else on, of a
partner signing below, or spelled by a partner's email stays out of the lead (``company_evidence.firms_of_others``,
``referrals`` "Her name is …", a role word compounded in German). Texts written for these tests, none taken from
an evaluation set."""

from __future__ import annotations

from functools import cache

import pytest

from nlp.extractor import Extractor
from nlp.referrals import owned_spans, passed_on
from parsers.lead import ExtractedLead, RawMessage


@cache
def _reader() -> Extractor:
    return Extractor()


def _leads(text: str, channel: str = "slack") -> tuple[ExtractedLead, ...]:
    return _reader().extract(RawMessage(raw=text.encode("utf-8"), channel=channel)).leads


@pytest.mark.parametrize(
    ("note", "lead"),
    [
        ("Morning team, it's Teodor from Brightwell Mortgage. A borrower of mine wants a home inspection before "
         "closing. His name is Ansel Krukowski, ansel.k@outlook.com, 602-555-0144.", "Ansel Krukowski"),
        ("Hallo zusammen, hier ist Renate von der Hausverwaltung Kessler GmbH. Eine Mieterin von uns braucht "
         "einen neuen Durchlauferhitzer: Frau Edith Vogelsang, Tel. 0221 5550 8871, Bonner Str. 12.",
         "Edith Vogelsang"),
        ("Hey all, Oona from Redfern Lettings here with a tenant who needs a boiler service. Her name is "
         "Philippa Garside, philippa.garside@gmail.com, 0161 555 0192.", "Philippa Garside"),
    ],
)
def test_the_firm_a_writer_introduces_themselves_with_is_not_the_lead_they_pass_on(note: str, lead: str) -> None:
    (found,) = _leads(note)
    assert found.value("full_name") == lead
    assert found.value("company") is None


def test_the_partner_signing_below_with_that_firm_is_no_second_lead() -> None:
    note = ("Hi folks, it's Brannagh from Saltmarsh Realty. One of my buyers needs a survey before Friday. Her name is "
            "Ottilie Varga, ottilie.varga@gmail.com, 207-555-0131.\nBrannagh Doyle | Saltmarsh Realty | 207-555-0100")
    (found,) = _leads(note)
    assert (found.value("full_name"), found.value("company"), found.value("phone")) == (
        "Ottilie Varga", None, "207-555-0131")


def test_a_firm_below_a_signing_partner_is_theirs_in_a_mail() -> None:
    mail = ("From: Hollis Grant <hgrant@cedarpointmotors.com>\nTo: leads@lakemontinsurance.com\n"
            "Subject: new customer needs coverage\n\nHello,\n\nPlease quote full coverage for a buyer picking up a "
            "used Tacoma on Friday. Her name is Yesenia Morales, yesenia.morales@gmail.com, 512-555-0183.\n\n"
            "Thanks,\nHollis Grant\nSales Manager, Cedar Point Motors\n512-555-0100\n")
    (found,) = _leads(mail, "smtp")
    assert (found.value("full_name"), found.value("email"), found.value("company")) == (
        "Yesenia Morales", "yesenia.morales@gmail.com", None)


def test_a_firm_a_partners_email_spells_is_theirs() -> None:
    note = ("Appraisal needed, she was sent by the folks at Quayside Home Loans\n"
            "*Client:* Rosalind Achterberg\n*Cell:* 503-555-0177\n"
            "Her agent is Tobin Marsh, 503-555-0109, <mailto:tobin@quaysidehomeloans.com|tobin@quaysidehomeloans.com>")
    (found,) = _leads(note)
    assert found.value("full_name") == "Rosalind Achterberg"
    assert found.value("company") is None


def test_a_role_word_before_a_slack_mention_and_its_firm() -> None:
    note = ("From our lender partner (<@U01ABCDEF> at Quayside Home Loans): her client needs an appraisal\n"
            "*Client:* Rosalind Achterberg\n*Cell:* 503-555-0177")
    (found,) = _leads(note)
    assert found.value("company") is None


def test_a_role_word_compounded_before_a_firm_sets_it_aside() -> None:
    note = ("Weitergeleitet vom Vertriebspartner Küchenstudio Brandl GmbH:\nKundin Frau Ines Hallmann, Tel. 0911 "
            "5550 2231, ines.hallmann@posteo.de, möchte eine neue Küche bis März.")
    (found,) = _leads(note)
    assert found.value("company") is None


@pytest.mark.parametrize(
    ("note", "company"),
    [
        # the writer is the lead: their own firm stays
        ("Hi, this is Dana Ruiz from Ruiz Seguros, we need quotes for 4 laptops and a printer for the office. "
         "dana@ruizseguros.com / 305-555-0199", "Ruiz Seguros"),
        ("Quick one - Priyanka Desai from Tallgrass Analytics here, we want a demo of the fleet module for our 30 "
         "vans. 913-555-0120", "Tallgrass Analytics"),
        # the lead with their firm, a colleague of ours named after them
        ("Walk-in today: Colm Doherty, owner at Doherty Joinery (colm@dohertyjoinery.ie), wants 3 vans on lease. "
         "Bridget from our fleet desk took it.", "Doherty Joinery"),
    ],
)
def test_the_leads_own_firm_stays(note: str, company: str) -> None:
    (found,) = _leads(note)
    assert found.value("company") == company


def test_a_firm_on_a_reps_signature_line_after_their_desk_is_theirs() -> None:
    note = ("Chatted with Imelda Sorensen 555-0147 about storm doors, she is in Nampa.\n--\n"
            "Garrett Voss | Inside Sales | Ridgeline Door Co. | 22 Main St, Boise ID 83702")
    (found,) = _leads(note)
    assert (found.value("full_name"), found.value("company")) == ("Imelda Sorensen", None)


def test_a_relatives_workplace_is_not_the_leads_firm() -> None:
    note = ("rang Perpetua Lindqvist 555-0126 about a garden room, her son works at Harbourside Logistics but "
            "it's for her own place")
    (found,) = _leads(note)
    assert found.value("company") is None


@pytest.mark.parametrize(
    ("body", "company"),
    [
        ("Hola, soy Anselmo, encargado de Panadería La Espiga y necesitamos un horno nuevo. Mi móvil 622 550 101.",
         "Panadería La Espiga"),
        ("Hi, I'm Wendell Park, the facilities manager at Orchard Lane School, and we need 30 desks.",
         "Orchard Lane School"),
    ],
)
def test_the_writers_name_then_role_then_firm(body: str, company: str) -> None:
    mail = f"From: Someone <someone.else@gmail.com>\nTo: sales@example.com\nSubject: quote\n\n{body}\n"
    (found,) = _leads(mail, "smtp")
    assert found.value("company") == company


@pytest.mark.parametrize(
    ("note", "company"),
    [
        ("Caller Teodora Vance 555-0114 wants catering for her business (Vance Florals), 60 people in June.",
         "Vance Florals"),
        ("CALLER MILO GRABOWSKI 555-0170 NEEDS 3 VANS FOR HIS COMPANY (GRABOWSKI PAINTING) ASAP", "GRABOWSKI PAINTING"),
    ],
)
def test_a_firm_in_brackets_after_the_leads_own_business(note: str, company: str) -> None:
    (found,) = _leads(note)
    assert found.value("company") == company


@pytest.mark.parametrize(
    ("note", "lead"),
    [
        ("Bonsoir, c'est Maëlle de l'agence Rivage Habitat. J'ai une acheteuse qui cherche un prêt : elle "
         "s'appelle Inès Charpentier, 06 55 50 81 17, ines.charpentier@laposte.net.", "Inès Charpentier"),
        ("Buongiorno, sono Ottavia dello Studio Tecnico Ferri. Un nostro cliente vuole un preventivo: si chiama "
         "Enrico Galli, 348 555 0163, enrico.galli@libero.it.", "Enrico Galli"),
        ("Oi, aqui é a Jussara da Construtora Vale Verde. Tenho um cliente que quer orçamento: ele se chama "
         "Rodrigo Paiva, (21) 95550-7781, rodrigo.paiva@gmail.com.", "Rodrigo Paiva"),
    ],
)
def test_a_writers_firm_after_their_name_in_other_languages(note: str, lead: str) -> None:
    (found,) = _leads(note)
    assert (found.value("full_name"), found.value("company")) == (lead, None)


def test_a_client_the_writer_has_named_after_a_colon_is_the_lead() -> None:
    mail = ("From: Perrin Oduya <perrin@glasshouseproperties.com>\nTo: loans@example.com\nSubject: pre-approval\n\n"
            "Hello,\n\nI have a buyer who wants a pre-approval before the weekend: Saoirse Whelan, "
            "saoirse.whelan@gmail.com, 303-555-0124.\n\nRegards,\nPerrin Oduya\nGlasshouse Properties\n303-555-0100\n")
    (found,) = _leads(mail, "smtp")
    assert (found.value("full_name"), found.value("email"), found.value("company")) == (
        "Saoirse Whelan", "saoirse.whelan@gmail.com", None)


def test_a_firm_spelled_by_the_signing_partners_own_address_is_theirs() -> None:
    note = ("One of our customers wants a quote for her new Corolla. Her name is Mireille Okafor, "
            "mireille.okafor@gmail.com, 405-555-0161.\nDesmond Pryor\nService Advisor, Lakeview Toyota\n"
            "dpryor@lakeviewtoyota.com")
    (found,) = _leads(note)
    assert (found.value("full_name"), found.value("company")) == ("Mireille Okafor", None)


def test_a_job_title_on_a_signature_line_is_no_firm() -> None:
    note = "Desmond Pryor\nService Advisor\nwants a loaner for his own car, 405-555-0177"
    (found,) = _leads(note)
    assert found.value("company") is None


@pytest.mark.parametrize(
    ("closing", "company"),
    [
        ("Cordialement,\nLaurent Besson\nMenuiserie Besson Sàrl\n021 555 01 44", "Menuiserie Besson Sàrl"),
        ("Cordiali saluti,\nMarta Conti\nFerramenta Conti S.n.c.\n035 555 0192", "Ferramenta Conti S.n.c."),
        ("Saludos,\nIñigo Ruiz\nTalleres Ruiz S.Coop.\n943 550 118", "Talleres Ruiz S.Coop."),
        ("Atenciosamente,\nPaulo Lima\nConstrutora Lima S/A\n(31) 5550-2211", "Construtora Lima S/A"),
        ("Mit freundlichen Grüßen\nDr. Jana Roth\nKanzlei Roth PartG mbB\n0711 5550 221", "Kanzlei Roth PartG mbB"),
    ],
)
def test_legal_forms_in_a_signature(closing: str, company: str) -> None:
    mail = ("From: Someone <someone.else@gmail.com>\nTo: sales@example.com\nSubject: quote\n\n"
            f"Please send us a quote for 20 office chairs.\n\n{closing}\n")
    (found,) = _leads(mail, "smtp")
    assert found.value("company") == company


def test_a_firm_below_a_name_with_post_nominal_letters() -> None:
    mail = ("From: Ilse Brandvold <ilse@brandvoldengineering.com>\nTo: hello@example.com\nSubject: plotter\n\n"
            "Hello - could you quote a wide-format plotter with a two-year service plan?\n\n"
            "Ilse Brandvold, P.E.\nBrandvold Engineering\n")
    (found,) = _leads(mail, "smtp")
    assert found.value("company") == "Brandvold Engineering"


def test_a_city_and_its_state_code_is_no_firm() -> None:
    (found,) = _leads("Cormac Byrne 720-555-0175 wants a water heater swap, Lakewood CO.")
    assert found.value("company") is None


def test_the_leads_own_surname_is_no_firm_though_their_domain_spells_it() -> None:
    (found,) = _leads("New one - Okonkwo-Baird, Rebecca / 555-0148 / rebecca@okonkwobaird.example")
    assert found.value("company") is None


@pytest.mark.parametrize(
    ("note", "company"),
    [
        ("Odell Voss (odell@vosskempharrow.com) 555-0171 needs 6 desks, firm is Voss, Kemp & Harrow, LLP.",
         "Voss, Kemp & Harrow, LLP"),
        ("Rang Priya Sandhu, Kemp & Harrow, LLP about 6 desks 555-0172", "Kemp & Harrow, LLP"),
        ("• Herr Anton Raabe\n• Geschäftsführer, Raabe & Söhne GmbH\n• 0521 5550 1234", "Raabe & Söhne GmbH"),
    ],
)
def test_partners_names_with_commas_before_an_ampersand_and_a_legal_form(note: str, company: str) -> None:
    (found,) = _leads(note)
    assert found.value("company") == company


@pytest.mark.parametrize(
    "note",
    [
        "via Rosalie Quint — Tobiah Marsh, 555-0163, tobiah.marsh@gmail.com, wants a fence quote. Rosalie is with "
        "Quint Property Group.",
        "New caller: Henrike Falk, 612-555-0138, wants a bathroom estimate. Thanks! -- Corbin @ Northstar Remodeling",
        "Nuovo contatto: Lorenzo Bassi, 333 555 0192, vuole una pompa di calore a Bergamo.\n— Giada, Termoidraulica "
        "Rota Srl",
    ],
)
def test_a_firm_of_someone_named_again_or_signing_the_note_is_not_the_leads(note: str) -> None:
    (found,) = _leads(note)
    assert found.value("company") is None


def test_a_referrals_head_may_hold_a_colon_inside_brackets() -> None:
    text = "Partner lead (Oakline Mortgage, contact: Brent Haley 555-0102): client Sasha Ivanova 555-0177"
    assert [name for name, _start, _end in passed_on(text, 0, len(text))] == ["Sasha Ivanova"]
    ((start, end, role),) = owned_spans(text, [])
    head = text[start:end].strip()
    assert role == "role:partner" and head.startswith("(Oakline Mortgage") and "555-0102" in head


@pytest.mark.parametrize(
    "body",
    [
        "Construcciones Ribera S.L., un usuario está interesado en su anuncio:\n\nNombre: Olga Santamaría\n"
        "Teléfono: 655 501 333",
        "Sehr geehrtes Team der Küchenwelt Hasse GmbH,\n\nein Interessent hat Ihnen geschrieben:\n\n"
        "Name: Timo Brüggen\nTelefon: 0176 5550 4477",
        "Hi team at Copperfield Glazing Ltd, a new request came in.\n\nName: Esme Pollard\nPhone: 0161 555 0148",
    ],
)
def test_a_firm_a_portal_addresses_is_the_recipients(body: str) -> None:
    mail = f"From: Portal <noreply@portal.example>\nTo: office@elsewhere.example\nSubject: new request\n\n{body}\n"
    (found,) = _leads(mail, "smtp")
    assert found.value("company") is None


@pytest.mark.parametrize(
    ("note", "company"),
    [
        ("Appel de Mme Vasseur, propriétaire du restaurant Le Grand Comptoir, veut une chambre froide. "
         "06 55 50 33 44", "Le Grand Comptoir"),
        ("Talked to Hollis Renner, owner of the bakery Crumb Theory, wants a deck oven. 555-0193", "Crumb Theory"),
    ],
)
def test_the_owner_of_a_business_named_by_its_trade(note: str, company: str) -> None:
    (found,) = _leads(note)
    assert found.value("company") == company


def test_a_firm_after_two_people_named_together_is_the_leads_too() -> None:
    note = "Met Ines Varga (COO) and Tobias Rehn from Quillon Foods at the expo, Ines wants 12 scanners. 555-0183"
    (found,) = _leads(note)
    assert (found.value("full_name"), found.value("company")) == ("Ines Varga", "Quillon Foods")
