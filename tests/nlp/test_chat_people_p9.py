"""Chat notes that write the lead's name in parts: a titled surname with the first name given apart ("Herr
Lindemann (Vorname Tobias)"), a surname an email completes, "Surname, First" at a clause's start (particles,
hyphens, capitals), a lower-case name the email spells with an initial, a cue inside a greeting line."""

from __future__ import annotations

from functools import cache

import pytest

from nlp.email_names import spelled_by_email
from nlp.extractor import Extractor
from nlp.name_parts import completed_surname, given_first_names, inverted_names, lower_after_cue
from nlp.names import completed_by_email, name_from_email
from parsers.lead import RawMessage


@cache
def _reader() -> Extractor:
    return Extractor()


def _full_name(note: str) -> str | None:
    """The name of the one lead a note gives, read as chat intake reads it."""
    (lead,) = _reader().extract(RawMessage(raw=note.encode("utf-8"), channel="slack")).leads
    return lead.plain()["full_name"]


@pytest.mark.parametrize(
    ("note", "name"),
    [
        # a titled surname, the first name given apart, in five languages
        ("Frau Kettelhack hat angerufen (Vorname Mechthild), Tel. 0511 3390127, will Dachfenster",
         "Mechthild Kettelhack"),
        ("Llamó la Sra. Urquiola, nombre: Begoña, móvil 699 104 382, quiere cambiar ventanas", "Begoña Urquiola"),
        ("Rappeler M. Lefebvre-Roux (prénom Baptiste) au 06 71 18 40 22 pour le devis", "Baptiste Lefebvre-Roux"),
        ("call back Mr. Abernathy on 555-0144, first name is Clement, about the boiler", "Clement Abernathy"),
        # a titled surname whose first name only the email spells
        ("Pls ring Mrs. Featherstonhaugh today 555-0127, email: winifred.featherstonhaugh@gmail.example",
         "Winifred Featherstonhaugh"),
        # "Surname, First" at a clause's start: mixed case, particles, capitals
        ("new lead: Quarrington, Lucinda - 555-0165 - wants a sunroom", "Lucinda Quarrington"),
        ("Terugbellen: van der Linde, Femke – 06 22 41 90 13 – wil een offerte", "Femke van der Linde"),
        ("WALK IN - DOS SANTOS, RAFAELA - 555-0173 - test drive", "Rafaela dos Santos"),
        # no capitals, a shorthand cue, the email gives the first name and the surname's initial
        ("tlkd to seamus obrien re the shed, 555-0192, seamus.o@eircom.example", "Seamus Obrien"),
        # a greeting that runs into the cue: the cue's name is the lead, not someone greeted
        ("hey could someone call this one back? guy's name is Leopold Ashworth, 555-0104", "Leopold Ashworth"),
        # the rep naming themselves before the lead: "X here", "Sent by X"
        ("Marta Lindqvist here - the buyer is at tobias.renwick@gmail.example, cell 555-0174, wants the loft",
         "Tobias Renwick"),
        ("Gesendet von Uwe Brandt: Interessentin Frau Roswitha Kalb, Tel 0345 5520931, sucht Büroräume",
         "Roswitha Kalb"),
        # the surname the note writes out where the email shortens it
        ("rang back 555-0157, it was Pemberton, Sally, about the gazebo. sally.pem@btinternet.example",
         "Sally Pemberton"),
        # "Surname, First" after a cue or a label, an initial, brackets that complete the name
        ("callback done - that was Okonkwo-Reid, Damaris, re the patio. 555-0131", "Damaris Okonkwo-Reid"),
        ("Cliente: Dell'Orto, Beatrice - 340 221 7765 - vuole un sopralluogo", "Beatrice Dell'Orto"),
        ("T. Vanterpool called about the boat slip, 555-0185", "T. Vanterpool"),
        ("spoke with Mrs Adeyemi (Folasade) on 555-0149 about the loft", "Folasade Adeyemi"),
        ("Llamó Maite (Maite Arrieta Goñi) al 688 301 245 por la cocina", "Maite Arrieta Goñi"),
        # a hyphenated surname the email spells after a dot, a firm named after the person
        ("met ngozi at the expo - ngozi.adeyemi-clarke@gmail.example - 555-0166", "Ngozi Adeyemi-Clarke"),
        ("Daarna Sjoerd Bakker van Bakker Installatie, 06 2231 9087, wil een offerte", "Sjoerd Bakker"),
        # the one who refers, after a title or before "one of his clients", is the partner, not the lead
        ("Referred by Dr. Imogen Tate (our physio partner) - patient Rasmus Holt, 555-0143", "Rasmus Holt"),
        ("Sam from Harbor Lending called about one of his clients - Yusra Haddad, 555-0151", "Yusra Haddad"),
        # a surname that is also a note word; "its" introducing someone in a quick note
        ("lead: Owen Price <tel:5550123|555-0123> wants a quote", "Owen Price"),
        ("> hey its Margot Ellery, can u quote a fence for me? 555-0166", "Margot Ellery"),
        # a cue with "=" ("client = …"), after someone else named first
        ("via our dealer network: dealer Ivo Janssen, client = Liesbeth Claes, 0475 22 31 90", "Liesbeth Claes"),
        # a couple sharing a surname, the second first name unknown to the gazetteer
        ("Referral from Jo at Crest Realty: her buyers, Amara and Tunde Okafor, want a pre-approval. 555-0181",
         "Amara Okafor"),
    ],
)
def test_name_in_parts(note: str, name: str) -> None:
    assert _full_name(note) == name


def test_given_first_names_skips_note_words() -> None:
    text = "Herr Ott, Vorname Jakob; the first name field said Wants"
    assert given_first_names(text, 0, len(text)) == [("Jakob", 18)]


def test_completed_surname_needs_one_first_name_nearby() -> None:
    given = [("Jakob", 17), ("Paula", 30)]
    assert completed_surname("Ott", 5, given, []) is None  # two first names: whose is not clear
    assert completed_surname("Ott", 5, given[:1], []) == "Jakob Ott"
    assert completed_surname("Ott", 5, [], ["j.ott@web.example"]) is None  # an initial alone completes nothing
    assert completed_surname("Ott", 5, [], ["jakob.ott@web.example"]) == "Jakob Ott"


def test_inverted_names_need_a_known_first_name() -> None:
    for text in ("Quote, Monday - 555-0100", "Denver, Colorado - 555-0100", "Smith, Deliveries - 555-0100"):
        assert inverted_names(text, 0, len(text)) == []
    text = "lead: Okoro-Vance, Adaeze / 555-0100"
    assert inverted_names(text, 0, len(text)) == [("Adaeze Okoro-Vance", 6)]


def test_email_local_part_keeps_a_hyphenated_surname() -> None:
    assert name_from_email("kwabena.owusu-ansah@gmail.example") == "Kwabena Owusu-Ansah"
    assert completed_by_email("Kwabena", ["kwabena.owusu-ansah@gmail.example"]) == "Kwabena Owusu-Ansah"
    assert name_from_email("jamie.driver@example.com") == "Jamie Driver"


def test_email_local_part_digits_middle_initial_and_surname_first() -> None:
    assert name_from_email("priya.raman84@example.com") == "Priya Raman"
    assert name_from_email("jamie.l.driver@example.com") == "Jamie Driver"
    assert name_from_email("raman.priya@example.com") == "Priya Raman"
    assert name_from_email("info2024@example.com") is None
    assert name_from_email("priyaraman@example.com") == "Priya Raman"  # a first name run into a surname
    assert name_from_email("bestdeals@example.com") is None


def test_a_firm_in_the_plural_is_no_person() -> None:
    assert _full_name("Web chat: wants wholesale pricing for Rose Hill Farms, 555-0163") is None


def test_lower_case_pair_after_a_cue_needs_one_known_name() -> None:
    text = "spoke to thandiwe nkosi-mbeki re the gazebo"
    assert lower_after_cue(text, 0, len(text)) == [("Thandiwe Nkosi-Mbeki", 9)]
    text = "call with accounts payable re the invoice"
    assert lower_after_cue(text, 0, len(text)) == []


def test_email_with_initial_spells_lower_case_name() -> None:
    text = "spoke w/ ingrid solberg abt it"
    assert spelled_by_email(text, 0, len(text), ["ingrid.s@icloud.example"]) == [("Ingrid Solberg", 9)]
    assert spelled_by_email(text, 0, len(text), ["isak.s@icloud.example"]) == []
