"""Whose firm it is and where its name ends (``nlp.company_evidence``), through the one reader: texts written
for these tests, none taken from the evaluation set."""

from __future__ import annotations

from functools import cache

import pytest

from nlp.company_evidence import shouted_firm, without_run_on
from nlp.extractor import Extractor
from nlp.org_sides import agrees_domain, domain_cores
from parsers.lead import RawMessage


@cache
def _reader() -> Extractor:
    return Extractor()


def _company(text: str) -> str | None:
    (lead,) = _reader().extract(RawMessage(raw=text.encode("utf-8"), channel="slack")).leads
    return lead.value("company")


def _mail_company(mail: str) -> str | None:
    (lead,) = _reader().extract(RawMessage(raw=mail.encode("utf-8"), channel="smtp")).leads
    return lead.value("company")


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        # a firm that passed the lead on is the referrer's
        ("Walk-in: Odile Brandt, 555-0131. Harrow Stone Builders LLC referred her. Wants a patio.", None),
        ("Nils Ek 555-0162 wants a sauna - Fjord Timber AB sent him over", None),
        # a city after "I'm … from" is where they are
        ("Hi, I'm Bertram Oakes from Cleveland, need a new furnace, 555-0119", None),
        # a note in capitals: the firm after the cue, before the verb
        ("CALL FROM LYLE DUNN FROM DUNN & HART MASONRY CALLED ABOUT 3 PALLETS 555-0154", "DUNN & HART MASONRY"),
        # "@" a firm whose noun is plural, its first word also a first name
        ("pls call Harvey Stone 555-0120 - he's the buyer @ Carmody Clinics, wants 12 beds", "Carmody Clinics"),
        # a firm inside a referral's head is the referrer's, in any language
        ("Recomendación de Cerrajería Valdés S.L.: cliente Tomás Huerta, 633 555 210, quiere una puerta blindada",
         None),
        ("Tip van Bakker Installatietechniek: meneer Joost Verhoef, 06 5555 3434, wil een warmtepomp", None),
        # a firm set aside once (the dealer's) is the same party's in the rep's signature
        ("Nora Quist 555-0150 - dealer: Fenwick Motors, Akron OH - wants a test drive\nThanks,\nBill Tate\n"
         "Fenwick Motors, Akron, OH", None),
        # the lead's own particle opens their firm's name
        ("ho sentito la sig.ra Carla De Luca (De Luca Ceramiche, Lecce), cell 333 555 0101: vuole 40 mq di piastrelle",
         "De Luca Ceramiche"),
        # the lead's possessive and a trade's noun before their own business
        ("Lead via partner Tallow Energy Ltd: Amina Yusuf, 555-0183, solar for her bakery Yusuf Loaves",
         "Yusuf Loaves"),
        # a portal's "pro:" names the firm the lead was sent to
        ("New lead (source: Bark, pro: Cobalt Fencing LLC) - Ida Lowe 555-0147 - 40 ft of fence", None),
        # the client's own firm after the partner's head keeps its reading
        ("via partner Larch Insurance Agency (Ted Voss, 555-0100): client Nell Abbot, 555-0129, Abbot Tiles LLC, "
         "wants cover", "Abbot Tiles LLC"),
        # legal forms beyond the usual ones
        ("1. Vera Dvorak from Dvorak Nábytek s.r.o., +420 555 123 777, wants 30 desks", "Dvorak Nábytek s.r.o."),
        # "Lead via X for Y": Y is the firm the lead was sent to
        ("Lead via Angi for Tallgrass Plumbing LLC: Vera Quinn, 555-0114, water heater", None),
    ],
)
def test_whose_firm_in_a_note(note: str, expected: str | None) -> None:
    assert _company(note) == expected


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        ("Lead from the site\nName: Iris Vane\nCompany: N/A (individual)\nPhone: 555-0124", None),
        ("*Company* Marrow Analytics\n*Name* Jo Marrow\n*Phone* 555-0112", "Marrow Analytics"),
    ],
)
def test_labelled_firms_in_notes(note: str, expected: str | None) -> None:
    assert _company(note) == expected


def test_a_labelled_firm_ends_where_its_line_runs_on() -> None:
    note = "*New lead*\n• *Name:* Olga Brenner\n• *Company:* Brenner Holzbau GmbH, braucht 3 Carports\n• 0761 555123"
    assert _company(note) == "Brenner Holzbau GmbH"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Fischer Bau GmbH, braucht 2 Transporter", "Fischer Bau GmbH"),
        ("Demir Gıda Ltd. - wants a cold room", "Demir Gıda Ltd."),
        ("Adler, Pike & Moss, Inc.", "Adler, Pike & Moss, Inc."),
        ("Rossi & Figli, s.r.l.", "Rossi & Figli, s.r.l."),
    ],
)
def test_without_run_on(value: str, expected: str) -> None:
    assert without_run_on(value) == expected


def test_shouted_firm_after_a_person_and_of() -> None:
    run = "ROSA TREVIÑO OF TREVIÑO BROS LANDSCAPING CALLED TODAY"
    assert shouted_firm(run, 10) == ("TREVIÑO BROS LANDSCAPING", 10 + run.index("TREVIÑO BROS"))
    assert shouted_firm("BANK OF AMERICA", 0) == ("BANK OF AMERICA", 0)


def test_an_ampersand_spelled_as_a_word_in_the_domain() -> None:
    assert agrees_domain("Park & Lee Consulting", domain_cores(["lisa@parkandlee.example"]))
    assert agrees_domain("Krüger & Söhne", domain_cores(["info@krugerundsohne.example"]))
    assert not agrees_domain("Park & Lee Consulting", domain_cores(["lisa@parkview.example"]))


def test_the_firm_in_a_signature_below_its_delimiter() -> None:
    mail = ("From: Ines Varga <ines@vargaandsons.example>\nTo: sales@crates.example\nSubject: crates\n\n"
            "We need 40 wooden crates.\n-- \nInes Varga\nPurchasing Lead, Varga & Sons Orchards\n555-0161\n")
    assert _mail_company(mail) == "Varga & Sons Orchards"


def test_a_free_mail_signature_names_no_firm() -> None:
    mail = ("From: Ines Varga <ines.varga@gmail.com>\nTo: sales@crates.example\nSubject: crates\n\n"
            "We need 40 wooden crates.\n-- \nInes Varga\nPurchasing Lead, Varga & Sons Orchards\n555-0161\n")
    assert _mail_company(mail) is None  # the domain spells no firm: the signature line is no evidence


def test_a_firm_under_a_name_key_beside_the_name_parts() -> None:
    payload = ('{"fields": [{"name": "firstname", "value": "Odette"}, {"name": "lastname", "value": "Vance"},'
               ' {"name": "email", "value": "odette@vance-optics.example"},'
               ' {"objectTypeId": "0-2", "name": "name", "value": "Vance Optics Studio"}]}')
    (lead,) = _reader().extract(RawMessage(raw=payload.encode("utf-8"), channel="http")).leads
    assert (lead.value("company"), lead.value("full_name")) == ("Vance Optics Studio", "Odette Vance")
