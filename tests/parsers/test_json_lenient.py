"""JSON written by hand or copied from documentation is still a lead's payload."""

import pytest

from parsers.json_shapes import load_json
from parsers.lead import ExtractionError


def test_comments_and_trailing_commas_are_read() -> None:
    text = '{\n  // from the landing page\n  "name": "Oskar Lindqvist",\n  "phone": 46701234567,\n}\n'
    assert load_json(text) == {"name": "Oskar Lindqvist", "phone": "46701234567"}


def test_placeholder_lines_of_a_documented_example_are_dropped() -> None:
    text = '{\n  "email": "bea.h@posteo.de",\n  ...\n  "tags": ["a", "b",],\n  /* more fields */\n}'
    assert load_json(text) == {"email": "bea.h@posteo.de", "tags": ["a", "b"]}


def test_single_quotes_and_bare_keys() -> None:
    assert load_json("{name: 'Ana Souza', zip: '01310-100'}") == {"name": "Ana Souza", "zip": "01310-100"}


def test_what_neither_reading_accepts_keeps_the_strict_parsers_message() -> None:
    with pytest.raises(ExtractionError, match=r"not valid JSON: Expecting"):
        load_json('{"name": "Ana", "phone": ')


def test_prose_is_not_read_as_json() -> None:
    with pytest.raises(ExtractionError, match="not valid JSON"):
        load_json("Name: Ana Souza")
