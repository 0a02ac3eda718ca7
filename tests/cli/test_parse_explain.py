"""`leadbot parse --explain` shows what was set aside as the other side's, with its role."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bot.cli.parse import run_parse
from nlp.extractor import Extractor

DEALER_MAIL = """\
From: Lead Router <noreply@leadrouter.example>
To: sales@ridgeline-auto.example
Subject: New vehicle inquiry
Content-Type: text/plain; charset=utf-8

Customer
Name: Odile Ferreira
Email: odile.ferreira@fastmail.example
Phone: (503) 555-0148

Dealer: Ridgeline Subaru
Dealer phone: (503) 555-0100
Dealer address: 900 SE Grand Ave, Portland, OR 97214
"""


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def test_explain_lists_the_dealers_values_with_their_role(extractor: Extractor, tmp_path: Path) -> None:
    path = tmp_path / "dealer.eml"
    path.write_text(DEALER_MAIL, encoding="utf-8")
    out = io.StringIO()
    assert run_parse([str(path)], as_json=False, explain=True, extractor=extractor, out=out) == 0
    text = out.getvalue()
    assert "phone        (503) 555-0148" in text
    head, aside = text.split("set aside (not the prospect's):")
    assert "555-0100" not in head and "Ridgeline Subaru" not in head
    rows = [line.split() for line in aside.strip().splitlines()]
    assert rows[[r[1] for r in rows].index("phone")][:4] == ["dealer", "phone", "(503)", "555-0100"]
    assert any(r[:3] == ["dealer", "company", "Ridgeline"] for r in rows)


def test_explain_json_carries_the_others_per_lead(extractor: Extractor, tmp_path: Path) -> None:
    path = tmp_path / "dealer.eml"
    path.write_text(DEALER_MAIL, encoding="utf-8")
    out = io.StringIO()
    assert run_parse([str(path)], as_json=True, explain=True, extractor=extractor, out=out) == 0
    line = json.loads(out.getvalue())
    [others] = line["others"]
    assert {"field": "phone", "value": "(503) 555-0100", "role": "dealer",
            "source": "reader:labels:Dealer phone"} in others
    assert line["leads"][0]["phone"] == "(503) 555-0148"


def test_without_explain_nothing_is_set_aside_in_the_output(extractor: Extractor, tmp_path: Path) -> None:
    path = tmp_path / "dealer.eml"
    path.write_text(DEALER_MAIL, encoding="utf-8")
    out = io.StringIO()
    assert run_parse([str(path)], as_json=True, explain=False, extractor=extractor, out=out) == 0
    assert "others" not in json.loads(out.getvalue())
