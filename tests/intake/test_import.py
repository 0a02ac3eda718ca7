"""`leadbot import`: CSV and Excel files, automatic column mapping (English and German), duplicates,
invalid rows with reasons, the error report, dry runs, --no-post, and the command line itself."""

from __future__ import annotations

import asyncio
import csv
import re
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook

from bot.assess.assessor import Assessor, Routing
from bot.cli.main import main
from bot.intake.sheets import ImportFileError
from bot.intake.spreadsheet import (
    MIN_POOL_ROWS,
    RowRules,
    auto_map,
    parse_overrides,
    pool_size,
    run_import,
)
from bot.settings import ScoringSettings, SlackChannels
from store.store import Store
from tests.conftest import migrated_store

LEADBOT = str(Path(sys.executable).with_name("leadbot"))
SALES = "C0SALES001"
RULES = RowRules(
    Assessor(ScoringSettings(), Routing(channels=SlackChannels(sales=SALES), slack_enabled=True)),
    None,
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
    leads = sorted(await store.leads.recent(), key=lambda lead: lead.id)
    assert [lead.fields["email"] for lead in leads] == ["greta@lindqvist-bau.example", "mira.osei@oseiworks.example"]
    greta = leads[0]
    assert greta.vendor == "Trade fair 2026" and greta.channel == "file"
    assert greta.fields["company"] == "Lindqvist Bau" and greta.fields["postal_code"] == "10115"
    assert greta.provenance["email"]["source"] == "import:E-Mail"
    # Scored and routed like any lead: grade A and B cards wait in the outbox (nurture falls back to sales).
    assert [lead.grade for lead in leads] == ["A", "B"]
    due = await store.outbox.due()
    assert sorted((i.kind, i.lead_id, i.channel) for i in due) == [("post_card", lead.id, SALES) for lead in leads]
    assert [e.kind for e in await store.events.for_lead(greta.id)] == ["intake"]

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
    assert len(await store.leads.recent()) == 2


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
    assert await store.leads.recent() == []

    summary = await run_import(store, path, RowRules(RULES.assessor, None, "Expo", post=False))
    assert summary.imported == 2 and summary.errors_path is None
    leads = {lead.fields["email"]: lead for lead in await store.leads.recent()}
    assert leads["bart@iwu-logistics.example"].fields["phone"] == "2065550111"
    assert leads["bart@iwu-logistics.example"].fields["interest"] == "Forklift fleet service"
    assert await store.outbox.due() == []  # --no-post: nobody is pinged

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


MALFORMED = (
    "Name,Email,Phone,Message\n"                                              # line 1
    "Ruth Abernathy,ruth@abernathy.example,503-555-0188,New roof\n"            # 2
    '"Oona Bright,oona@bright.example,503-555-0190,Gutters\n'                  # 3: a quote never closed
    "Piet Claes,piet@claes.example,503-555-0191,Skylight\n"                    # 4
    "Sam Eto,sam@eto.example,503-555-0193,Porch,and a stray cell\n"            # 5: one cell too many
    "Tia Fox,tia@fox.example\n"                                                # 6: two cells short
    "Uma G\x00ray,uma@gray.example,503-555-0194,Deck\n"                        # 7: a NUL byte
    'Vera Hale,vera@hale.example,503-555-0195,"Two things:\nsiding and paint"\n'  # 8-9: a quoted line break
    'Wim "Bo" Ito,wim@ito.example,503-555-0196,"Fence"x\n'                     # 10: text after a closing quote
    "Xia Jun,xia@jun.example,503-555-0197,Carport\n"                           # 11
)


def _leadbot(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([LEADBOT, "--config", str(config), *args], capture_output=True, text=True, timeout=120,
                          env={"PATH": "/usr/bin:/bin", "COLUMNS": "200"})


def _config(tmp_path: Path) -> Path:
    config = tmp_path / "leadbot.toml"
    config.write_text(f'[store]\nurl = "sqlite+aiosqlite:///{tmp_path / "cli.db"}"\n')
    return config


def _counts(summary: str) -> dict[str, int]:
    """The import summary's rows: "│ imported │ 4 │ …" → {"imported": 4}."""
    found = re.findall(r"^\W*(imported|duplicates|invalid|total)\W+([\d,]+)", summary, re.M)
    return {name: int(count.replace(",", "")) for name, count in found}


def _report(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_malformed_rows_are_rejected_by_line_and_never_merged(tmp_path: Path) -> None:
    config = _config(tmp_path)
    sheet = tmp_path / "expo.csv"
    sheet.write_bytes(MALFORMED.encode())
    result = _leadbot(config, "import", str(sheet), "--no-post")
    assert result.returncode == 0, result.stdout + result.stderr
    assert _counts(result.stdout) == {"imported": 4, "duplicates": 0, "invalid": 5, "total": 9}, result.stdout
    assert "malformed: wrong number of cells" in result.stdout and "malformed: unclosed quote" in result.stdout

    report = _report(tmp_path / "expo.csv.errors.csv")
    assert [(r["line"], r["reason"].split(" (", 1)[0]) for r in report] == [
        ("3", "malformed: unclosed quote: the field runs on into line 7"),
        ("5", "malformed: wrong number of cells: 5 where the header has 4"),
        ("6", "malformed: wrong number of cells: 2 where the header has 4"),
        ("7", "malformed: NUL byte in the row"),
        ("10", "malformed: stray quote: text follows a closing quote"),
    ]
    assert "Oona Bright" in report[0]["reason"] and report[1]["Name"] == "Sam Eto"

    listed = _leadbot(config, "leads")
    names = {"Ruth Abernathy", "Piet Claes", "Vera Hale", "Xia Jun"}
    assert all(name in listed.stdout for name in names), listed.stdout
    assert "Oona" not in listed.stdout


async def test_a_quoted_line_break_stays_in_its_field(store: Store, tmp_path: Path) -> None:
    sheet = tmp_path / "expo.csv"
    sheet.write_bytes(MALFORMED.encode())
    summary = await run_import(store, sheet, RULES)
    leads = {lead.fields.get("email"): lead for lead in await store.leads.recent()}
    assert set(leads) == {"ruth@abernathy.example", "piet@claes.example", "vera@hale.example", "xia@jun.example"}
    assert leads["vera@hale.example"].fields["message"] == "Two things:\nsiding and paint"
    assert leads["piet@claes.example"].fields["full_name"] == "Piet Claes"  # not swallowed by line 3's quote
    assert (summary.rows, summary.imported, summary.invalid) == (9, 4, 5)


def test_repeats_of_an_open_lead_count_as_duplicates_and_can_be_listed(tmp_path: Path) -> None:
    config = _config(tmp_path)
    sheet = write_csv(tmp_path / "fair.csv", [
        ["Name", "Email", "Phone", "Message"],
        ["Ruth Abernathy", "ruth@abernathy.example", "503-555-0188", "A quote for a new roof"],
        ["Ruth Abernathy", "ruth@abernathy.example", "503-555-0188", "A quote for a new roof"],  # the same row
        ["Ruth Abernathy", "ruth@abernathy.example", "503-555-0188", "And the gutters too, please"],  # a repeat
        ["Piet Claes", "piet@claes.example", "503-555-0191", "Skylight"],
    ], delimiter=",")
    result = _leadbot(config, "import", str(sheet), "--no-post")
    assert result.returncode == 0, result.stdout + result.stderr
    assert _counts(result.stdout) == {"imported": 2, "duplicates": 2, "invalid": 0, "total": 4}, result.stdout
    assert "stored as status duplicate" in result.stdout
    report = _report(tmp_path / "fair.csv.errors.csv")
    assert [(r["line"], r["status"]) for r in report] == [("3", "duplicate"), ("4", "duplicate")]
    assert "earlier lead is still open" in report[1]["reason"]

    duplicates = _leadbot(config, "leads", "--status", "duplicate")
    assert duplicates.returncode == 0, duplicates.stderr
    rows = [line for line in duplicates.stdout.splitlines() if "Abernathy" in line]
    assert len(rows) == 1 and "duplicate" in rows[0] and "Piet" not in duplicates.stdout


def test_a_vendor_column_credits_each_row_and_source_the_rest(tmp_path: Path) -> None:
    config = _config(tmp_path)
    sheet = write_csv(tmp_path / "crm.csv", [
        ["Name", "Email", "Phone", "Lead Source"],
        ["Ruth Abernathy", "ruth@abernathy.example", "503-555-0188", "HomeQuote Hub"],
        ["Piet Claes", "piet@claes.example", "503-555-0191", ""],
    ], delimiter=",")
    result = _leadbot(config, "import", str(sheet), "--source", "Old CRM", "--no-post")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Lead Source → vendor" in result.stdout and "not imported" not in result.stdout

    async def vendors() -> dict[str, str | None]:
        store = Store.open(f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
        try:
            return {lead.display_name: lead.vendor for lead in await store.leads.recent()}
        finally:
            await store.close()

    assert asyncio.run(vendors()) == {"Ruth Abernathy": "HomeQuote Hub", "Piet Claes": "Old CRM"}

    # any column can be named the vendor column; without one nor --source, the import is the source
    other = write_csv(tmp_path / "expo.csv", [["Name", "Email", "Booth"], ["Xia Jun", "xia@jun.example", "Expo Ltd"]],
                      delimiter=",")
    forced = _leadbot(config, "import", str(other), "--map", "Booth=vendor", "--no-post")
    assert forced.returncode == 0 and "Booth → vendor" in forced.stdout, forced.stdout + forced.stderr
    plain = write_csv(tmp_path / "plain.csv", [["Name", "Email"], ["Uma Gray", "uma@gray.example"]], delimiter=",")
    assert _leadbot(config, "import", str(plain), "--no-post").returncode == 0
    credited = asyncio.run(vendors())
    assert (credited["Xia Jun"], credited["Uma Gray"]) == ("Expo Ltd", "Import")


async def test_rows_read_in_worker_processes_import_exactly_as_in_a_thread(tmp_path: Path) -> None:
    # Batches of 2 rows over 2 workers: results come back out of order unless the import keeps file order.
    path = write_csv(tmp_path / "messe.csv", GERMAN)
    outcomes = []
    for workers in (0, 2):
        async with migrated_store(f"sqlite+aiosqlite:///{tmp_path / f'w{workers}.db'}") as opened:
            errors = tmp_path / f"errors-{workers}.csv"
            summary = await run_import(opened, path, RULES, errors_path=errors, batch_size=2, workers=workers)
            leads = sorted(await opened.leads.recent(), key=lambda lead: lead.id)
            outcomes.append((
                (summary.rows, summary.imported, summary.duplicates, summary.invalid, summary.reasons, summary.grades),
                errors.read_text(encoding="utf-8"),
                [(lead.fields, lead.grade, lead.reasons, lead.vendor) for lead in leads],
            ))
    in_thread, in_workers = outcomes
    assert in_thread[0][:4] == (6, 2, 1, 3)
    assert in_workers == in_thread


@pytest.mark.parametrize(
    ("rows", "cores", "workers"),
    [
        (100_000, 1, 0),  # one core: a worker would only take turns with the importing process
        (MIN_POOL_ROWS - 1, 8, 0),  # a small file: starting a worker costs more than it saves
        (100_000, 2, 1),  # the importing process keeps a core for reading and storing
        (None, 2, 1),  # length unknown: worth a worker
        (100_000, 4, 3),
        (100_000, 64, 4),  # beyond a few, the importing process is the limit
    ],
)
def test_worker_processes_are_picked_by_file_length_and_cores(rows: int | None, cores: int, workers: int) -> None:
    assert pool_size(rows, cores) == workers


def test_an_import_worker_loads_neither_spacy_nor_the_phone_geocoder_nor_the_database() -> None:
    # What a worker process imports to build rows: spaCy (~100 MB, 1.5 s) and phonenumbers' geocoder data
    # (~100 MB) would make every worker cost more than it gives; SQLAlchemy and dkim (~40 MB, 0.7 s) are
    # the importing process's business.
    probe = ("import sys, bot.intake.spreadsheet, bot.assess.scoring; print(sorted(m for m in "
             "('spacy', 'phonenumbers.geocoder', 'sqlalchemy', 'dkim', 'aiosqlite') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.strip() == "[]"


def test_the_command_line_takes_a_number_of_workers(tmp_path: Path) -> None:
    config = _config(tmp_path)
    path = write_csv(tmp_path / "messe.csv", GERMAN)
    done = _leadbot(config, "import", str(path), "--workers", "2", "--no-post")
    assert done.returncode == 0, done.stdout + done.stderr
    assert _counts(done.stdout) == {"imported": 2, "duplicates": 1, "invalid": 3, "total": 6}
    refused = _leadbot(config, "import", str(path), "--workers", "-1")
    assert refused.returncode == 2 and "--workers: must be 0 or more" in refused.stderr
