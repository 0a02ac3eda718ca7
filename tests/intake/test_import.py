"""`leadbot import`: CSV and Excel files, automatic column mapping (English and German), duplicates,
invalid rows with reasons, the error report, dry runs, --no-post, and the command line itself."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import Workbook

from bot.cli.main import main
from bot.intake.pipeline import Routing
from bot.intake.spreadsheet import ImportFileError, RowRules, auto_map, parse_overrides, run_import
from bot.settings import ScoringSettings, SlackChannels
from store.repository import Store

SALES = "C0SALES001"
RULES = RowRules(
    scoring=ScoringSettings(),
    routing=Routing(channels=SlackChannels(sales=SALES), slack_enabled=True),
    vendor="Trade fair 2026",
)

GERMAN = [
    ["Vorname", "Nachname", "E-Mail", "Telefon", "Firma", "PLZ", "Nachricht", "Interne ID"],
    ["Greta", "Lindqvist", "greta@lindqvist-bau.example", "+49 30 5550 1234", "Lindqvist Bau", "10115",
     "Angebot für eine Dachsanierung", "17"],
    ["Jonas", "Brenner", "", "", "Brenner KG", "80331", "ohne Kontakt", "18"],
    ["Mira", "Osei", "mira.osei@oseiworks.example", "", "", "", "", "19"],
    ["Greta", "Lindqvist", "greta@lindqvist-bau.example", "+49 30 5550 1234", "Lindqvist Bau", "10115",
     "Angebot für eine Dachsanierung", "20"],
    ["Falk", "Ude", "falk@@ude", "", "", "", "", "21"],
    ["", "", "", "", "", "", "", ""],
]


def write_csv(path: Path, rows: list[list[str]], delimiter: str = ";") -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


def test_headers_map_automatically_in_english_and_german() -> None:
    english = auto_map(["First Name", "Last Name", "Email Address", "Mobile", "Company", "Zip Code", "Notes", "Id"])
    assert list(english.fields.values()) == ["first_name", "last_name", "email", "phone", "company",
                                             "postal_code", "message"]
    assert english.unmapped == ("Id",)
    german = auto_map(GERMAN[0])
    assert german.describe(GERMAN[0])[:4] == [("Vorname", "first_name"), ("Nachname", "last_name"),
                                               ("E-Mail", "email"), ("Telefon", "phone")]
    forced = auto_map(["Kontakt", "Interne ID"], parse_overrides(["kontakt=email", "Interne ID=-"]))
    assert forced.fields == {0: "email"} and forced.unmapped == ()
    with pytest.raises(ImportFileError, match="not a lead field"):
        parse_overrides(["Kontakt=mail"])
    with pytest.raises(ImportFileError, match="does not have"):
        auto_map(["E-Mail"], parse_overrides(["Fax=phone"]))


async def test_csv_import_counts_duplicates_and_invalid_rows_and_reports_them(store: Store, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "messe.csv", GERMAN)
    summary = await run_import(store, path, RULES)
    assert (summary.rows, summary.imported, summary.duplicates, summary.invalid) == (6, 2, 1, 3)
    assert summary.reasons == {"no email or phone": 1, "invalid email": 1, "empty row": 1}
    leads = sorted(await store.list_leads(), key=lambda lead: lead.id)
    assert [lead.fields["email"] for lead in leads] == ["greta@lindqvist-bau.example", "mira.osei@oseiworks.example"]
    greta = leads[0]
    assert greta.vendor == "Trade fair 2026" and greta.channel == "file"
    assert greta.fields["company"] == "Lindqvist Bau" and greta.fields["postal_code"] == "10115"
    assert greta.provenance["email"]["source"] == "import:E-Mail"
    # Scored and routed like any lead: grade A and B cards wait in the outbox (nurture falls back to sales).
    assert [lead.grade for lead in leads] == ["A", "B"]
    due = await store.due_outbox()
    assert sorted((i.kind, i.lead_id, i.channel) for i in due) == [("post_card", lead.id, SALES) for lead in leads]
    assert [e.kind for e in await store.events_for_lead(greta.id)] == ["intake"]

    assert summary.errors_path is not None
    with summary.errors_path.open(encoding="utf-8") as handle:
        report = list(csv.DictReader(handle))
    assert [(r["line"], r["status"]) for r in report] == [("3", "invalid"), ("5", "duplicate"), ("6", "invalid"),
                                                         ("7", "invalid")]
    assert report[0]["reason"] == "no email or phone" and report[0]["Nachname"] == "Brenner"
    assert report[2]["reason"] == "invalid email 'falk@@ude'"

    # The same file again: every valid row is a duplicate now; nothing new is stored.
    again = await run_import(store, path, RULES)
    assert (again.imported, again.duplicates, again.invalid) == (0, 3, 3)
    assert len(await store.list_leads()) == 2


async def test_xlsx_import_with_no_post_and_a_dry_run(store: Store, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Full Name", "Email", "Phone", "Product", "Budget"])
    sheet.append(["Bartholomew Iwu", "bart@iwu-logistics.example", 2065550111, "Forklift fleet service", 40000])
    sheet.append(["Celestine Marr", "celestine@marr-floral.example", None, "Delivery van", None])
    path = tmp_path / "expo.xlsx"
    book.save(path)

    dry = await run_import(store, path, RULES, dry_run=True)
    assert (dry.dry_run, dry.imported, dry.duplicates) == (True, 2, 0)
    assert await store.list_leads() == []

    summary = await run_import(store, path, RowRules(RULES.scoring, RULES.routing, "Expo", post=False))
    assert summary.imported == 2 and summary.errors_path is None
    leads = {lead.fields["email"]: lead for lead in await store.list_leads()}
    assert leads["bart@iwu-logistics.example"].fields["phone"] == "2065550111"
    assert leads["bart@iwu-logistics.example"].fields["interest"] == "Forklift fleet service"
    assert await store.due_outbox() == []  # --no-post: nobody is pinged

    dry_again = await run_import(store, path, RULES, dry_run=True)
    assert (dry_again.imported, dry_again.duplicates) == (0, 2)


def test_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "leadbot.toml"
    config.write_text(f'[store]\nurl = "sqlite+aiosqlite:///{tmp_path / "cli.db"}"\n')
    path = write_csv(tmp_path / "contacts.csv", [["Name", "Mail", "Telefon"],
                                                   ["Ruth Abernathy", "ruth@abernathy.example", "503-555-0188"],
                                                   ["Ruth Abernathy", "ruth@abernathy.example", "503-555-0188"]],
                     delimiter=",")
    assert main(["--config", str(config), "import", str(path), "--map", "Mail=email", "--source", "Old CRM",
                 "--no-post"]) == 0
    out = capsys.readouterr().out
    assert "Mail → email" in out and "Telefon → phone" in out
    assert "imported" in out and "duplicates" in out and "rejected rows and why" in out
    assert (tmp_path / "contacts.csv.errors.csv").exists()
    assert main(["--config", str(config), "import", str(tmp_path / "missing.csv")]) == 2
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    assert main(["--config", str(config), "import", str(tmp_path / "notes.pdf")]) == 2
    assert "reads .csv and .xlsx" in capsys.readouterr().err
