"""Several "Label: value" pairs on one line (chat notes and mail forms); seven-digit local numbers in notes;
numbers after a sentence end."""

from __future__ import annotations

import pytest

from nlp.extractor import Extractor
from parsers.labels import read_labels
from parsers.labels.lookup import split_inline_labels
from parsers.lead import RawMessage


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _lead(extractor: Extractor, note: str) -> dict[str, str | None]:
    leads = extractor.extract(RawMessage(note.encode("utf-8"), "slack"), kind="chat").leads
    assert len(leads) == 1
    return {k: leads[0].value(k) for k in ("full_name", "phone", "email", "city")}


@pytest.mark.parametrize(
    ("line", "parts"),
    [
        ("Nome: Thiago Nascimento Telefone: (21) 99876-5432 Cidade: Niterói",
         ["Nome: Thiago Nascimento", "Telefone: (21) 99876-5432", "Cidade: Niterói"]),
        ("Name: Barnaby Quist Tel: 614-555-0111 Interested in: gutter guards",
         ["Name: Barnaby Quist", "Tel: 614-555-0111", "Interested in: gutter guards"]),
        ("Contact: Lorenzo Ricci, Cell: 347-555-0128", ["Contact: Lorenzo Ricci", "Cell: 347-555-0128"]),
        # prose first: only a contact field's label starts a new line
        ("Lead from the expo: Farrukh Aliyev Phone: +1 (646) 555-0137",
         ["Lead from the expo: Farrukh Aliyev", "Phone: +1 (646) 555-0137"]),
    ],
)
def test_label_value_pairs_on_one_line_are_cut(line: str, parts: list[str]) -> None:
    assert split_inline_labels(line).split("\n") == parts


@pytest.mark.parametrize(
    "line",
    [
        "talked to kenji today re: the studio, he asked: when can we tour",  # "re:" and prose stay as written
        'Parameters: {"name"=>"Odile Marchetti", "phone"=>"555-0101"}',  # a dump is the payload reader's
        "{name: 'Odile Marchetti', phone: '312-555-0101'}",
        "Phone: 312-555-0101",
    ],
)
def test_lines_that_are_not_several_fields_stay(line: str) -> None:
    assert split_inline_labels(line) == line


def test_name_ends_where_the_phone_label_starts(extractor: Extractor) -> None:
    lead = _lead(extractor, "*Nome:* Thiago Nascimento *Telefone:* (21) 99876-5432 *Cidade:* Niterói")
    assert lead["full_name"] == "Thiago Nascimento"
    assert lead["city"] == "Niterói"
    lead = _lead(extractor, "Name: Barnaby Quist Tel: 614-555-0111 Interested in: gutter guards")
    assert (lead["full_name"], lead["phone"]) == ("Barnaby Quist", "614-555-0111")


@pytest.mark.parametrize(
    ("note", "phone"),
    [
        ("NEW LEAD - ROSALIND FAIRWEATHER 555-0148 WANTS A BATHROOM REMODEL QUOTE", "555-0148"),
        ("walk-in, Wendell Okonkwo, wendell@okonkwoarch.example, 555 0117", "555 0117"),
        # the full number wins over a local one
        ("Bryce Kowalski 555-0166, or his office 312-555-0190", "312-555-0190"),
        # a sentence end is no part of a number: "F-250." is a model, the number follows it
        ("DEREK MCALLISTER CALLED RE THE F-250. 405-555-0181. WANTS TO TRADE", "405-555-0181"),
    ],
)
def test_phones_in_notes(extractor: Extractor, note: str, phone: str) -> None:
    assert _lead(extractor, note)["phone"] == phone


@pytest.mark.parametrize(
    "note",
    [
        "Odile Marchetti, odile.m@fastmail.example, asked about order 555-0148",
        "Odile Marchetti, odile.m@fastmail.example, unit 12-555-0148 on the plan",
        "Odile Marchetti, odile.m@fastmail.example, came by on 2026-11-30 at 10:45",
    ],
)
def test_no_local_number_in_references_or_dates(extractor: Extractor, note: str) -> None:
    assert _lead(extractor, note)["phone"] is None


def test_a_form_line_of_several_fields_in_a_mail() -> None:
    read = read_labels("New request\nName: Barnaby Quist Tel: 614-555-0111 Interested in: gutter guards\n")
    lead = read.fields.build()
    assert (lead.value("full_name"), lead.value("phone")) == ("Barnaby Quist", "614-555-0111")
