"""People and their contacts written the ways reps and forms write them: spelled-out addresses, surnames first,
"St." surnames, a phone label right after a name, labelled bullets with dashes, quoted mails."""

from __future__ import annotations

from typing import Literal

import pytest

from nlp.chat import normalise_chat, split_chat
from nlp.extractor import Extractor
from parsers.lead import RawMessage

Channel = Literal["smtp", "slack", "http", "file"]


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _leads(extractor: Extractor, text: str, channel: Channel = "slack") -> list[dict[str, str | None]]:
    return [lead.plain() for lead in extractor.extract(RawMessage(raw=text.encode("utf-8"), channel=channel)).leads]


@pytest.mark.parametrize(
    ("note", "email"),
    [
        ("Call from Ilka Varga, her email is ilka dot varga at gmail dot com, 312-555-0170", "ilka.varga@gmail.com"),
        ("Walk-in Omar Haddad, reach him at omar.haddad [at] proton.example or 415-555-0133",
         "omar.haddad@proton.example"),
        ("Llamó Nerea Salgado, correo nerea.salgado arroba hotmail punto es, 612 55 01 90",
         "nerea.salgado@hotmail.es"),
        ("Spoke to Ruben Krol, mail: r.krol (at) ziggo (dot) nl", "r.krol@ziggo.nl"),
    ],
)
def test_spelled_out_addresses(extractor: Extractor, note: str, email: str) -> None:
    assert _leads(extractor, note)[0]["email"] == email


@pytest.mark.parametrize(
    "note",
    [
        "Met Priya Raman at Castellan Logistics today, 303-555-0117",  # a person at a firm, no address
        "Drop-off at 10.30 am tomorrow, Gus Ferrante 720-555-0155",
    ],
)
def test_at_between_words_is_no_address(extractor: Extractor, note: str) -> None:
    assert _leads(extractor, note)[0]["email"] is None


@pytest.mark.parametrize(
    ("note", "name"),
    [
        ("Walk-in: Colette St. Amand, wants the oak table, 312-555-0102", "Colette St. Amand"),
        ("new walk-in: KOWALCZYK, Agata (agata.k@gmail.com) 773-555-0120", "Agata Kowalczyk"),
        ("Rückruf: Till Brandauer Handy 0151 5550 1207, Angebot Dachsanierung", "Till Brandauer"),
        ("Llamó Inés Carvajal Rey móvil 612 55 01 77 para una visita", "Inés Carvajal Rey"),
    ],
)
def test_names_in_notes(extractor: Extractor, note: str, name: str) -> None:
    assert _leads(extractor, note)[0]["full_name"] == name


def test_surname_first_with_a_suffix_under_a_label(extractor: Extractor) -> None:
    mail = ("From: Leads <noreply@boatleads.example>\nSubject: New lead\n\n"
            "Customer Name: PEMBERTON, LLOYD JR.\nPhone: (508) 555-0119\n")
    lead = _leads(extractor, mail, channel="smtp")[0]
    assert (lead["full_name"] or "").casefold() == "lloyd pemberton jr."
    assert (lead["first_name"] or "").casefold() == "lloyd"


@pytest.mark.parametrize(
    "note",
    [
        "• Nom — Anne Rocher\n• Tél — 06 55 55 01 29\n• Mail — anne.rocher@orange.example",
        "> From: Wendell Okafor <wokafor@larkspur.example>\n> Please call me back. Wendell Okafor, 303-555-0150",
    ],
)
def test_one_lead_over_several_lines_is_not_split(note: str) -> None:
    assert len(split_chat(normalise_chat(note))) == 1


def test_one_lead_a_line_still_splits() -> None:
    note = "Marisol Ortega - marisol.ortega@yahoo.com - 415-555-0102\nBernard Achebe - b.achebe@outlook.com"
    assert len(split_chat(note)) == 2


@pytest.mark.parametrize(
    ("note", "name"),
    [
        ("Quick one: Fenella McKinnon-Hart asked for a callback at 415 555 0119", "Fenella McKinnon-Hart"),
        ("Caller: MCALLISTER, DEREK - 614-555-0193 - wants a pole barn quote", "Derek Mcallister"),
    ],
)
def test_asking_verbs_and_surname_first_labels(extractor: Extractor, note: str, name: str) -> None:
    assert _leads(extractor, note)[0]["full_name"] == name


def test_a_firm_that_asks_is_no_person(extractor: Extractor) -> None:
    lead = _leads(extractor, "Lead from Dana Pruitt at Harbor Dental Group, wants 6 chairs, 503-555-0104")[0]
    assert lead["full_name"] == "Dana Pruitt"


@pytest.mark.parametrize("label", ["Applicant", "First and last name", "Apellido y nombre", "Vor- und Zuname",
                                   "Voor- en achternaam"])
def test_name_labels(extractor: Extractor, label: str) -> None:
    mail = (f"From: Forms <noreply@forms.example>\nSubject: New request\n\n{label}: Leopoldine Varga-Hollis\n"
            "E-mail: lv@hollis-varga.example\nTel: 0151 5550 1122\n")
    assert _leads(extractor, mail, channel="smtp")[0]["full_name"] == "Leopoldine Varga-Hollis"


def test_a_city_after_de_is_no_third_surname(extractor: Extractor) -> None:
    lead = _leads(extractor, "Llamó Sr. Ignacio Pardo Villalba de Sevilla, tel 612 55 01 33, quiere un presupuesto")[0]
    assert lead["full_name"] == "Ignacio Pardo Villalba"
    assert _leads(extractor, "Hablé con Joaquín Ibáñez de la Vega, 612 55 01 34")[0]["full_name"] == (
        "Joaquín Ibáñez de la Vega")


def test_a_mailto_link_labelled_in_words_keeps_its_address() -> None:
    assert "winifred.osei@gmail.com" in normalise_chat("Winifred Osei, <mailto:winifred.osei@gmail.com|email her>")
    assert normalise_chat("<tel:+13125550111|(312) 555-0111>") == "(312) 555-0111"


def test_my_email_in_a_quoted_mail_is_the_prospects(extractor: Extractor) -> None:
    note = "> Winifred Osei wrote:\n> hi can you call me, my email is winifred.osei@gmail.com\n> 312-555-0111"
    assert _leads(extractor, note)[0]["email"] == "winifred.osei@gmail.com"
    assert _leads(extractor, "Lead: Ayo Bello 312-555-0144, cc me at dan@ourshop.example")[0]["email"] is None
