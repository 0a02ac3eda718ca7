"""Shapes that are not clean payloads: Rails and Ruby dumps, Python reprs, truncated JSON, email as JSON."""

from __future__ import annotations

import json

from parsers.salvage import salvage
from tests.parsers.helpers import one, structured


def test_rails_parameter_dump_in_a_log() -> None:
    log = (
        'Started POST "/quotes" for 198.51.100.4 at 2026-03-02 09:12:40 +0000\n'
        "Processing by QuotesController#create as HTML\n"
        '  Parameters: {"utf8"=>"✓", "quote"=>{"first_name"=>"Odile", "last_name"=>"Marchetti", '
        '"email"=>"odile.m@example.org", "phone"=>"(555) 014-2270", "zip"=>"60614", '
        '"details"=>"Two windows need resealing."}, "button"=>nil}\n'
        "Completed 302 Found in 31ms\n"
    )
    fields = one(log)
    assert (fields["first_name"], fields["last_name"]) == ("Odile", "Marchetti")
    assert fields["phone"] == "(555) 014-2270"
    assert fields["postal_code"] == "60614"
    assert fields["message"] == "Two windows need resealing."


def test_ruby_hash_with_symbol_keys() -> None:
    fields = one('skipped: {:name=>"Benedikt Aalto", :email=>"b.aalto@example.fi", :phone=>"+358 40 555 0172", '
                 ':company=>"Aalto Puu Oy", :note=>nil}')
    assert fields["full_name"] == "Benedikt Aalto"
    assert fields["company"] == "Aalto Puu Oy"
    assert fields["phone"] == "+358 40 555 0172"


def test_python_repr_inside_a_json_string() -> None:
    body = {"error": "bad request", "raw": "{'nome': 'Caio Freitas', 'email': 'caio.f@example.com.br', "
                                           "'telefone': '(31) 98811-2044', 'cidade': 'Belo Horizonte'}"}
    fields = one(json.dumps(body), "failed.json")
    assert fields["full_name"] == "Caio Freitas"
    assert fields["city"] == "Belo Horizonte"


def test_truncated_json_is_read_as_far_as_it_goes() -> None:
    text = ('stored raw: {"form":{"fields":{"name":"Hedda Lindqvist","email":"hedda.l@example.se",'
            '"phone":"+46 70 555 01 88","message":"Offert på altan"},"submitted":"2026-05-0')
    fields = one(text)
    assert fields["full_name"] == "Hedda Lindqvist"
    assert fields["email"] == "hedda.l@example.se"
    assert salvage('{"a": "b", "ke') == {"a": "b", "ke": None}


def test_salvage_refuses_what_is_no_data_structure() -> None:
    assert salvage("Hi {name}, thanks for {reason}!") is None
    assert salvage('{"' * 50_000) is None  # many starts, none of them data: bounded tries, no result


def test_inbound_parse_webhook_is_read_as_a_mail() -> None:
    payload = {
        "to": "hello@shop.example", "from": "Renata Kowalczyk <renata.k@example.pl>",
        "subject": "Custom table quote",
        "text": "Hello,\n\nCould you quote an oak dining table, 220 x 95 cm?\n\nThanks,\nRenata\n+48 601 555 014\n",
        "html": "<p>Hello,</p>", "spam_score": "0.0",
    }
    _, leads = structured(json.dumps(payload), "inbound.json")
    fields = leads[0].plain()
    assert fields["email"] == "renata.k@example.pl"
    assert fields["full_name"] == "Renata Kowalczyk"
    assert fields["message"] is not None and "oak dining table" in fields["message"]


def test_html_only_webhook_with_display_name_key() -> None:
    payload = {"FromName": "Tomás Ibarra", "From": "tomas@ibarra.example", "Subject": "Quote",
               "TextBody": "", "HtmlBody": "<p>Name: Tomás Ibarra<br>Phone: 555-017-2233</p>"}
    fields = one(json.dumps(payload), "postmark.json")
    assert fields["email"] == "tomas@ibarra.example"
    assert fields["phone"] == "555-017-2233"
