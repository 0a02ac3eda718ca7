"""Whose each value is in a rep's note: evidence beyond the cue word (issue 10).

Every note here is invented for these tests (people, firms, numbers); none is taken from the evaluation
sets or from anywhere else. Each case stands for a kind of note, not for one sample: a firm named after the
person with a connector, a job title that is no firm, a note typed without capitals or in capitals, an
email's local part that spells or completes the name, two leads in one sentence.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from nlp.chat import split_chat
from nlp.email_names import spelled_by_email
from nlp.extractor import Extractor
from nlp.names import completed_by_email, name_shaped
from parsers.lead import RawMessage
from tests.scorer import extraction_scores


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _leads(extractor: Extractor, text: str) -> list[dict[str, str | None]]:
    leads = extractor.extract(RawMessage(raw=text.encode("utf-8"), channel="slack")).leads
    assert leads, text
    return [lead.plain() for lead in leads]


def _chat(extractor: Extractor, text: str) -> dict[str, str | None]:
    return _leads(extractor, text)[0]


_COMPANY, _NAME = "company", "full_name"


@pytest.mark.parametrize(
    ("note", "field", "value"),
    [
        # the firm right after the person, joined by a connector of the note's language
        ("Gesprek met Femke van der Zwaag van Zwaag Glasbewerking, 06 3355 0187", _COMPANY, "Zwaag Glasbewerking"),
        ("Llamó Sra. Amaia Etxeberria, de Quesos Idiazabal Etxe (Ordizia). 943 55 01 82", _COMPANY,
         "Quesos Idiazabal Etxe"),
        # a job title is no firm; the firm follows it
        ("Met with Corinne Latimer, CFO of Wexford Tanneries. Budget signed off. 617-555-0149", _COMPANY,
         "Wexford Tanneries"),
        ("Signed: Orla Whelan\nPurchasing Manager, Kestrel & Finch Outfitters\n718-555-0193", _COMPANY,
         "Kestrel & Finch Outfitters"),
        # "Firma …", "Empresa …": the word for a firm is the cue, not part of the name
        ("Interessent: Gerlinde Haubold, Firma Haubold Fliesenleger, Tel. 0351 5550 1920", _COMPANY,
         "Haubold Fliesenleger"),
        # the person's own workplace outranks "came to look at the …"
        ("Customer Ansel Whitcombe came to look at the Sierra, works at Tamarack Millwork. 406-555-0131", _COMPANY,
         "Tamarack Millwork"),
        # the firm carries the person's surname, after their name
        ("- Idris Okonjo, Okonjo Orchards, 509-555-0184", _COMPANY, "Okonjo Orchards"),
        # typed without capitals: the email's domain spells the words after the cue …
        ("talked to rhea castellanos, she runs ops for quillon dental. rhea@quillondental.com", _COMPANY,
         "quillon dental"),
        ("met ansgar lund @ fjordvik seafood at the expo, ansgar.lund@fjordvikseafood.no", _COMPANY,
         "fjordvik seafood"),
        # … or a trade's noun goes with the lead's own surname
        ("llamada de nerea ugarte sola, de carpintería ugarte. 688 550 143", _COMPANY, "Carpintería Ugarte"),
        # the firm in brackets after the person, carrying their surname; the person is never the firm
        ("Spoke with J. R. Pendergast (Pendergast Tool & Die), needs 4 quotes. jr@pendergasttool.example", _COMPANY,
         "Pendergast Tool & Die"),
        # a list item whose person has no cue: the firm after the comma carries their surname
        ("Inbound: Harlan Vosburgh, Vosburgh Creamery, 608-555-0125 ext 214", _COMPANY, "Vosburgh Creamery"),
        # a note's label on a long line, typed without capitals
        ("Prospect: aurelio santangelo, aurelio@santangelo.example, vuole 500 bottiglie personalizzate", _NAME,
         "Aurelio Santangelo"),
        # a title in a note typed without capitals
        ("rückruf: frau gesine wohlfahrt-ibsen, 0451 5550 3318, will angebot für fenster", _NAME,
         "Gesine Wohlfahrt-Ibsen"),
        ("belde net: meneer bas de wit, wil offerte voor dakgoten. 06 5550 4471", _NAME, "Bas de Wit"),
    ],
)
def test_note_field_read_from_context(extractor: Extractor, note: str, field: str, value: str) -> None:
    assert _chat(extractor, note)[field] == value


def test_job_title_and_lone_generic_noun_are_no_firm(extractor: Extractor) -> None:
    lead = _chat(extractor, "Frau Dr. Henrike Sallmann hat angerufen, Praxis in Kassel, 0561 5550 2210")
    assert lead["company"] is None
    assert lead["city"] == "Kassel"
    signed = _chat(extractor, "Thanks,\nMilo Brandt\nStore Manager\n503-555-0166")
    assert signed["company"] is None


def test_one_word_a_domain_spells_is_not_enough_in_lower_case(extractor: Extractor) -> None:
    lead = _chat(extractor, "called back for dunmore about the roof, sue@dunmore.net 541-555-0110")
    assert lead["company"] != "dunmore"


def test_note_in_capitals_city_and_state_are_no_firm(extractor: Extractor) -> None:
    lead = _chat(extractor, "WALK-IN: CASIMIR WOJTAS, WANTS A NEW FURNACE. PHONE 720-555-0157. LIVES IN GOLDEN CO")
    assert lead["full_name"] == "Casimir Wojtas"
    assert lead["company"] is None
    assert (lead["city"] or "").casefold() == "golden"
    assert lead["region"] == "CO"


def test_firm_with_legal_form_in_capitals(extractor: Extractor) -> None:
    lead = _chat(extractor, "NEUER LEAD: HERR EKKEHARD BRAUNS, BRAUNS KÄLTETECHNIK GMBH, 0341 5550 1817")
    assert lead["full_name"] == "Ekkehard Brauns"
    assert lead["company"] == "BRAUNS KÄLTETECHNIK GMBH"


@pytest.mark.parametrize(
    ("note", "city", "region"),
    [
        ("Inbound call — Tamsin Fairweather, owner of Gullwing Kites in Astoria, OR. 503-555-0162", "Astoria", "OR"),
        ("Corbin Mayhew, 480-555-0190, wants a shade sail. Lives in Tempe, AZ.", "Tempe", "AZ"),
        # "or" in lower case is a word, not Oregon
        ("Corbin Mayhew, 480-555-0190, wants a shade sail. Lives in Tempe or nearby.", "Tempe", None),
    ],
)
def test_state_code_after_a_city(extractor: Extractor, note: str, city: str, region: str | None) -> None:
    lead = _chat(extractor, note)
    assert (lead["city"], lead["region"]) == (city, region)


def test_email_spells_a_name_typed_without_capitals_or_surname_first() -> None:
    text = "pinged by wren halloway re: booth space; also kowalski ida"
    assert spelled_by_email(text, 0, len(text), ["whalloway@tidemark.example"]) == [
        ("Wren Halloway", text.index("wren"))]
    assert spelled_by_email(text, 0, len(text), ["ida.kowalski@gmail.com"]) == [
        ("Ida Kowalski", text.index("kowalski"))]
    assert spelled_by_email(text, 0, len(text), ["sales@tidemark.example"]) == []


def test_note_names_the_lead_only_through_the_email(extractor: Extractor) -> None:
    lead = _chat(extractor, "wren halloway asked re: booth space for spring. whalloway@tidemark.example")
    assert lead["full_name"] == "Wren Halloway"


def test_first_name_completed_by_the_emails_surname(extractor: Extractor) -> None:
    assert completed_by_email("Beatrix", ["bea.lindqvist@corvane.example"]) == "Beatrix Lindqvist"
    assert completed_by_email("Beatrix", ["b.lindqvist@corvane.example"]) == "Beatrix Lindqvist"
    assert completed_by_email("Beatrix", ["tom.lindqvist@corvane.example"]) is None
    lead = _chat(extractor, "had a chat w/ Beatrix at the counter. bea.lindqvist@corvane.example, 952-555-0171")
    assert lead["full_name"] == "Beatrix Lindqvist"


def test_callback_sentence_is_no_phone_but_its_number_is(extractor: Extractor) -> None:
    lead = _chat(extractor, "Rückruf: frau gesine wohlfahrt-ibsen in lübeck, 0451 5550 3318, will angebot")
    assert lead["phone"] == "0451 5550 3318"


def test_name_labels_of_notes(extractor: Extractor) -> None:
    lead = _chat(extractor, "Who: Lucan Ferreira-Holt, IT manager @ Brackwater Mutual\n"
                            "Contact: l.fh@brackwater.example")
    assert lead["full_name"] == "Lucan Ferreira-Holt"
    assert lead["company"] == "Brackwater Mutual"
    transcript = _chat(extractor, "Caller: hi this is Maren Oakes from Oakes Farms, we need grain bins\n"
                                  "Me: best number?\nCaller: 785-555-0122")
    assert transcript["full_name"] == "Maren Oakes"


@pytest.mark.parametrize(
    ("name", "shaped"),
    [("Will Smith", True), ("Maria da Silva", True), ("hi this is Maren Oakes", False), ("wants a quote", False)],
)
def test_name_shaped(name: str, shaped: bool) -> None:
    assert name_shaped(name) is shaped


def test_referrer_with_a_role_is_not_the_lead(extractor: Extractor) -> None:
    lead = _chat(extractor, "Referral from our customer Barnaby Quist: his neighbour Odile Marchetti wants the same "
                            "deck. odile.m@icloud.com 541-555-0139")
    assert lead["full_name"] == "Odile Marchetti"


def test_two_leads_in_one_sentence(extractor: Extractor) -> None:
    note = ("two walk-ins today: Ezra Kaplan (480-555-0158) wants solar, and Mei Lin Huang "
            "(meilin.huang@gmail.com) asked about batteries.")
    leads = _leads(extractor, note)
    assert [(lead["full_name"], lead["phone"], lead["email"]) for lead in leads] == [
        ("Ezra Kaplan", "480-555-0158", None),
        ("Mei Lin Huang", None, "meilin.huang@gmail.com"),
    ]


def test_one_lead_and_a_colleague_stay_one_note() -> None:
    note = "Spoke with Ines Duarte at Corval; Tobias Renn (her boss) joined the call. ines@corval.example 312-555-0170"
    assert split_chat(note) == [note]


def test_pasted_reply_below_is_the_prospects_message(extractor: Extractor) -> None:
    note = ("pasting her reply below\n\nHi Tom,\nThursday at 2 works for the site visit at our depot.\n"
            "Regards,\nAstrid Kell\nOperations, Pellworth Cold Store\nastrid.kell@pellworth.example")
    lead = _chat(extractor, note)
    assert lead["message"] == "Thursday at 2 works for the site visit at our depot."
    assert lead["full_name"] == "Astrid Kell"
    assert lead["company"] == "Pellworth Cold Store"


def test_reps_own_address_is_not_the_leads(extractor: Extractor) -> None:
    lead = _chat(extractor, "Lead: Marcus Aldine-Byrne, Byrne Haulage Ltd, 0161 555 0173. "
                            "cc me at dan@ourfleet.example")
    assert lead["email"] is None
    assert lead["full_name"] == "Marcus Aldine-Byrne"
    quoted = _chat(extractor, "Lead: Marcus Aldine-Byrne, 0161 555 0173, marcus@byrnehaulage.example")
    assert quoted["email"] == "marcus@byrnehaulage.example"


def test_address_on_the_greetings_line_and_a_signatures_city(extractor: Extractor) -> None:
    mail = ("From: Rosalind Teague <rosalind.teague@outlook.com>\nSubject: patio\n\n"
            "Hi Kyle, we'd like a paver patio. We're at 418 Juniper Ln, Plano TX 75093. Cell 972-555-0190.\n\nRosalind")
    lead = extractor.extract(RawMessage(raw=mail.encode("utf-8"), channel="smtp", name_hint=".eml")).leads[0].plain()
    assert (lead["street"], lead["city"], lead["postal_code"]) == ("418 Juniper Ln", "Plano", "75093")
    signed = ("From: Osric Vale <ovale@tallowpine.example>\nSubject: routing\n\nHi,\n\nCould you send pricing "
              "for 40 drivers?\n\nOsric Vale\nVP Operations | Tallow Pine Foods\nBoise, ID | 208-555-0117")
    lead = extractor.extract(RawMessage(raw=signed.encode("utf-8"), channel="smtp", name_hint=".eml")).leads[0].plain()
    assert (lead["city"], lead["region"]) == ("Boise", "ID")


def test_agent_who_passes_on_her_buyer_is_not_the_lead(extractor: Extractor) -> None:
    lead = _chat(extractor, "Got a call from Marisa at Larchmont Realty, her buyer Ilya Petrenko needs a "
                            "preapproval. 847-555-0181")
    assert lead["full_name"] == "Ilya Petrenko"
    assert lead["company"] is None


@pytest.mark.parametrize(
    ("note", "company", "city"),
    [
        # one bare word after "from / für / de" is a place or a thing, not a firm
        ("Neuer Interessent aus Passau: Ortrud Kessel, ortrud.kessel@web.de, will Angebot für Dachfenster", None,
         "Passau"),
        ("Cliente nuevo: Iker Arregui, de Getxo, interesado en el plan empresa. iker.arregui@gmail.com", None,
         "Getxo"),
        ("Imke Solberg llamó desde Castellón, quiere presupuesto. 964 55 02 31", None, "Castellón"),
        # a titled person is never their firm; the firm in brackets is, with its town and state
        ("Rückruf von Dr. Anselm Vierling (Kanzlei Vierling & Partner, Kiel) unter 0431 5550 7721",
         "Kanzlei Vierling & Partner", "Kiel"),
    ],
)
def test_bare_words_after_cues_are_places_not_firms(extractor: Extractor, note: str, company: str | None,
                                                    city: str | None) -> None:
    lead = _chat(extractor, note)
    assert (lead["company"], lead["city"]) == (company, city)


def test_state_after_a_firms_town_in_brackets(extractor: Extractor) -> None:
    lead = _chat(extractor, "Kit Arbogast (Arbogast Dental, Boise ID) wants 5 more seats. kit@arbogastdental.com")
    assert (lead["company"], lead["city"], lead["region"]) == ("Arbogast Dental", "Boise", "ID")


def test_prose_probe_floor() -> None:
    """The notes PROSE wrote blind and then fixed against (tests/fixtures/eval/probe-prose/README.md): a floor
    that keeps the mechanisms above from regressing, not a measure of generalisation."""
    root = Path(__file__).resolve().parents[1] / "fixtures" / "eval" / "probe-prose"
    scores, report = extraction_scores(root, missing="the shared scorer is not beside this checkout")
    assert scores["contact_f1"] >= 0.96, report
