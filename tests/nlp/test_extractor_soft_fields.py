"""The extractor's last word on soft fields: a labelled date with its clock time is the record's stamp, not the
buying timeline, unless the label asks the prospect for a date; the text's fuller mention of a labelled interest
is the interest."""

from __future__ import annotations

import pytest

from nlp.extractor import Extractor
from parsers.lead import RawMessage


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _mail(label_line: str) -> RawMessage:
    raw = ("From: Form Relay <noreply@relay.example>\nTo: sales@shop.example\nSubject: New enquiry\n\n"
           f"Name: Jana Schulz\nPhone: 030 1234567\n{label_line}\n")
    return RawMessage(raw=raw.encode("utf-8"), channel="smtp")


@pytest.mark.parametrize("line", ["When: 11/18/2026 14:14", "Zeitpunkt: 20.11.2026 16:05"])
def test_a_stamp_under_a_timeline_label_is_dropped(extractor: Extractor, line: str) -> None:
    lead = extractor.extract(_mail(line)).leads[0]
    assert lead.value("full_name") == "Jana Schulz"
    assert lead.value("timeline") is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [("Timeframe: Within 3 months", "Within 3 months"), ("Wunschtermin: 27.11.2026 17:30", "27.11.2026 17:30")],
)
def test_a_plan_or_a_wished_date_stays(extractor: Extractor, line: str, expected: str) -> None:
    assert extractor.extract(_mail(line)).leads[0].value("timeline") == expected


def test_the_texts_fuller_mention_of_a_labelled_interest(extractor: Extractor) -> None:
    raw = ("From: Ana Ruiz <ana.ruiz@correo.example>\nTo: info@toldos.example\nSubject: Consulta\n\n"
           "Asunto: Toldos para terraza\nHola, nos interesan unos toldos para terraza de 20 m² con motor.\n"
           "Ana Ruiz\nTel. 611 222 333\n")
    interest = extractor.extract(RawMessage(raw=raw.encode("utf-8"), channel="smtp")).leads[0].fields["interest"]
    assert interest.value == "toldos para terraza de 20 m² con motor"
    assert "Toldos para terraza" in interest.alternatives
