"""Tables typed or pasted as text (tab-separated, CSV, Markdown pipes) under a header row: one lead a row,
and only when the header names its columns with known labels."""

from __future__ import annotations

import pytest

from parsers.tables import find_table, table_records
from tests.parsers.helpers import structured

HEAD = "From: Ines Roth <ines@fenster-roth.example>\nTo: crm@fenster-roth.example\nSubject: export\n\n"

ROWS = [("Rosa Tell", "rosa.tell@mail.example", "617-555-0101"), ("Stan Ude", "stan.ude@mail.example", "617-555-0102")]


def table(sep: str, header: str = "Name{0}Email{0}Phone", cell: str = "{}") -> str:
    lines = [header.format(sep), *(sep.join(cell.format(c) for c in row) for row in ROWS)]
    return "\n".join(lines) + "\n"


TABLES = {
    "csv": table(","),
    "csv quoted": table(",", '"Name","E-Mail","Telefon"', '"{}"'),
    "semicolons": table(";"),
    "tabs": table("\t"),
    "markdown": "".join(f"| {line} |\n" for line in table(" | ").splitlines()).replace(
        "Phone |\n", "Phone |\n|---|:---:|---|\n", 1),
    "markdown without outer pipes": table(" | ").replace("Phone\n", "Phone\n--- | --- | ---\n", 1),
}


@pytest.mark.parametrize("kind", list(TABLES))
def test_one_lead_per_row_in_a_mail(kind: str) -> None:
    _vendor, leads = structured(HEAD + "Leads from the booth, please load:\n\n" + TABLES[kind] + "\nThanks, Ines\n")
    assert [(lead.value("full_name"), lead.value("email"), lead.value("phone")) for lead in leads] == ROWS


def test_columns_split_names_and_keep_the_city() -> None:
    text = ("First Name,Last Name,Phone,City\nDarnell,Whitfield,816-555-0134,Olathe\n"
            "Ingrid,Halvorsen,816-555-0177,Lenexa\n")
    _vendor, leads = structured(HEAD + text)
    assert [(lead.value("first_name"), lead.value("last_name"), lead.value("city")) for lead in leads] == [
        ("Darnell", "Whitfield", "Olathe"), ("Ingrid", "Halvorsen", "Lenexa")]


def test_an_empty_cell_is_left_out() -> None:
    rows = table_records("Name\tPhone\tEmail\nLorraine Becket\t608-555-0179\t\nObi Nwa\t608-555-0152\tobi@x.example\n")
    assert rows == ["Name: Lorraine Becket\nPhone: 608-555-0179",
                    "Name: Obi Nwa\nPhone: 608-555-0152\nEmail: obi@x.example"]


@pytest.mark.parametrize("text", [
    "Rosa Tell, rosa.tell@mail.example, 617-555-0101\nStan Ude, stan.ude@mail.example, 617-555-0102\n",  # no header
    "Please send name, phone and email of each visitor.\nRosa Tell, 617-555-0101\n",  # prose, not a header
    "Name: Rosa Tell\nEmail: rosa.tell@mail.example\nPhone: 617-555-0101\n",  # labelled lines
    "Date,Amount,Reference\n2026-11-02,40.00,INV-1187\n",  # a table of no person
    "Name | Email | Phone\n",  # a header and nothing under it
])
def test_no_table_without_a_header_of_labels_and_rows(text: str) -> None:
    assert find_table(text) is None


def test_a_row_of_labels_ends_the_table() -> None:
    table = find_table("Name,Phone\nRosa Tell,617-555-0101\nName,Phone\n")
    assert table is not None and table.rows == (("Rosa Tell", "617-555-0101"),)
