"""The Extractor end to end, and the `leadbot parse` / `leadbot vendors` commands built on it."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bot.cli.parse import run_parse, run_vendors
from nlp.extractor import NO_LEAD, Extractor
from nlp.settings import ExtractionSettings
from parsers.lead import FIELD_NAMES, ExtractionError, RawMessage
from parsers.templates import TemplateError


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _msg(raw: bytes | str, hint: str | None = None) -> RawMessage:
    data = raw.encode("utf-8") if isinstance(raw, str) else raw
    return RawMessage(raw=data, channel="smtp" if hint is None else "file", name_hint=hint)


def test_direct_inquiry_mail_takes_the_sender(extractor: Extractor) -> None:
    raw = (b"From: Harriet Okonkwo <harriet.ok@example.com>\nTo: info@dealer.example\nSubject: Test drive\n"
           b"Content-Type: text/plain; charset=utf-8\n\nHello, could I test drive the grey Civic tomorrow "
           b"afternoon?\n\nHarriet\n")
    result = extractor.extract(_msg(raw))
    lead = result.leads[0]
    assert result.vendor is None
    assert lead.value("email") == "harriet.ok@example.com"
    assert lead.value("full_name") == "Harriet Okonkwo"
    assert "test drive" in (lead.value("message") or "")
    assert result.subject == "Test drive"


def test_template_vendor_and_structured_values_win(extractor: Extractor) -> None:
    raw = (b"From: AutoMarket Leads <leads@automarket.example>\nSubject: New AutoMarket lead\n"
           b"Content-Type: text/plain; charset=utf-8\n\nCUSTOMER INFORMATION\nFirst Name: Viggo\nLast Name: Dahl\n"
           b"Email: viggo.dahl@example.com\nPhone: 555-010-6060\n\nComments:\nWhat is the best cash price?\n\n"
           b"DEALER INFORMATION\nName: North Motors\nPhone: 555-010-0000\n")
    result = extractor.extract(_msg(raw))
    assert result.vendor == "AutoMarket"
    lead = result.leads[0]
    assert (lead.value("first_name"), lead.value("last_name")) == ("Viggo", "Dahl")
    assert lead.value("phone") == "555-010-6060"
    assert lead.fields["message"].source == "template:automarket:lead_comments"
    assert lead.fields["first_name"].source == "reader:labels:First Name"


def test_message_without_lead_has_a_warning(extractor: Extractor) -> None:
    result = extractor.extract(_msg('{"object": "page", "entry": []}', "hook.json"))
    assert result.leads == ()
    assert NO_LEAD in result.warnings


def test_bad_input_raises_extraction_error_only(extractor: Extractor) -> None:
    with pytest.raises(ExtractionError):
        extractor.extract(_msg(b"\x00\x01\x02\x03" * 1000))
    with pytest.raises(ExtractionError, match="entity"):
        extractor.extract(_msg('<!DOCTYPE a [<!ENTITY x "y">]><adf>&x;</adf>', "a.xml"))


def test_broken_vendors_dir_stops_construction(tmp_path: Path) -> None:
    (tmp_path / "bad.toml").write_text('name = "bad"\n', encoding="utf-8")
    with pytest.raises(TemplateError, match=r"bad\.toml: display_name"):
        Extractor(ExtractionSettings(vendors_dir=tmp_path))


def test_parse_json_lines(extractor: Extractor, tmp_path: Path) -> None:
    good = tmp_path / "lead.json"
    good.write_text(json.dumps({"field_data": [{"name": "email", "values": ["sol@example.com"]}]}))
    bad = tmp_path / "bad.xml"
    bad.write_text('<!DOCTYPE a [<!ENTITY x "y">]><a/>')
    missing = str(tmp_path / "nope.eml")
    out = io.StringIO()
    status = run_parse([str(good), missing, str(bad)], as_json=True, explain=False, extractor=extractor, out=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert status == 2
    assert [line["source"] for line in lines] == [str(good), missing, str(bad)]
    assert lines[0]["vendor"] == "Facebook Lead Ads"
    assert list(lines[0]["leads"][0]) == list(FIELD_NAMES)
    assert lines[0]["leads"][0]["email"] == "sol@example.com"
    assert lines[1]["leads"] == [] and "cannot read" in lines[1]["error"]
    assert lines[2]["vendor"] is None and "entity" in lines[2]["error"]


def test_parse_explain_shows_provenance(extractor: Extractor, tmp_path: Path) -> None:
    path = tmp_path / "lead.txt"
    path.write_text("Name: Ada Quill\nPhone: +1 (555) 010-2323\n", encoding="utf-8")
    out = io.StringIO()
    assert run_parse([str(path)], as_json=False, explain=True, extractor=extractor, out=out) == 0
    text = out.getvalue()
    assert "full_name    Ada Quill" in text
    assert "source reader:labels:Name" in text
    assert "normalized +15550102323" in text or "invalid_phone" in text


def test_vendors_listing(extractor: Extractor) -> None:
    out = io.StringIO()
    assert run_vendors(extractor, out=out) == 0
    text = out.getvalue()
    assert "automarket  —  AutoMarket" in text
    assert "match (any): senders *@automarket.example" in text
    assert f"{len(extractor.vendors)} vendor template(s)" in text
