"""Hostile and broken input: refused with a clear ExtractionError or read best-effort, never a hang."""

from __future__ import annotations

import time

import pytest

from parsers.document import load_document
from parsers.html import html_to_text
from parsers.labels.lookup import split_run_in_labels
from parsers.lead import ExtractionError
from tests.parsers.helpers import one, structured


def test_binary_garbage_is_refused() -> None:
    with pytest.raises(ExtractionError, match="binary"):
        load_document(bytes(range(256)) * 50)


def test_empty_input_is_refused() -> None:
    with pytest.raises(ExtractionError, match="empty"):
        load_document(b" \n\t ")


def test_ten_megabyte_html_finishes_in_seconds() -> None:
    row = "<tr><td>Remark</td><td>" + "lorem ipsum dolor sit amet " * 4 + "</td></tr>\n"
    html = ("<html><body><table><tr><td>Name</td><td>Vida Kerr</td></tr><tr><td>Email</td>"
            "<td>vida@example.com</td></tr>" + row * 72000 + "</table></body></html>").encode()
    assert len(html) > 10_000_000
    started = time.perf_counter()
    fields = one(html, "big.html")
    assert time.perf_counter() - started < 15
    assert fields["email"] == "vida@example.com"


def test_deeply_nested_json_is_refused() -> None:
    with pytest.raises(ExtractionError, match="nested too deeply"):
        structured(b"[" * 200_000 + b"]" * 200_000, "deep.json")


def test_deeply_nested_html_does_not_hang() -> None:
    html = ("<div>" * 50_000 + "Name: Bo Sten<br>" + "</div>" * 50_000).encode()
    started = time.perf_counter()
    structured(html, "deep.html")
    assert time.perf_counter() - started < 10


def test_truncated_mime_with_bad_base64() -> None:
    raw = (b"From: Quinn Abara <quinn@example.com>\nSubject: Lead\nContent-Type: text/plain; charset=utf-8\n"
           b"Content-Transfer-Encoding: base64\n\nTmFtZTogUXVpbm4gQWJhcmEKUGhvbmU6IDU1NS0wMTAtMzQ1Ng==!!\xff")
    fields = one(raw)
    assert fields["phone"] == "555-010-3456"


def test_a_long_token_without_at_sign_is_no_email_and_no_problem() -> None:
    fields = one("Name: Ann Lee\nEmail: ann.lee@example.com\n" + "a" * 300_000 + "\n")
    assert fields["email"] == "ann.lee@example.com"


def test_an_endless_camel_case_run_is_read_once() -> None:
    text = "x" + "aB" * 100_000
    assert split_run_in_labels(text) == text


def test_a_flood_of_nul_and_replacement_characters_is_dropped_from_html() -> None:
    html = "<html><body><p>Name: Ann Lee</p>" + "&#0;" * 20_000 + "&#xFFFD;" * 20_000 + "</body></html>"
    assert html_to_text(html) == "Name: Ann Lee"


def test_a_hundred_thousand_character_name_is_no_name() -> None:
    fields = one("Name: " + "Ann " * 30_000 + "\nEmail: ann@example.com\n")
    assert fields["full_name"] is None
    assert fields["email"] == "ann@example.com"
