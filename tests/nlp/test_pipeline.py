"""build_nlp, batching, and a statistical model alongside the rules."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.language import Language

from nlp.freetext import read_free_text, read_free_texts
from nlp.pipeline import ModelNotInstalledError, build_nlp
from nlp.settings import NlpSettings


def test_rules_only_pipeline_by_default(nlp: Language) -> None:
    assert "ner" not in nlp.pipe_names
    assert nlp.pipe_names[-1] == "lead"
    assert {"contacts", "money", "timeline", "names", "orgs", "address", "interest", "message"} <= set(
        nlp.pipe_names)


def test_missing_model_gives_a_clear_error() -> None:
    with pytest.raises(ModelNotInstalledError) as caught:
        build_nlp(NlpSettings(model="xx_leadbot_missing_sm"))
    message = str(caught.value)
    assert "xx_leadbot_missing_sm" in message
    assert "python -m spacy download xx_leadbot_missing_sm" in message


def test_batch_matches_single_reads(nlp: Language) -> None:
    items = [
        ("Thanks,\nAda Whitlock", {"sender_email": "ada@whitlock-labs.example.com"}),
        ("Budget: $12,000. Need it ASAP, call (503) 555-0101.", {}),
        ("Hola, me llamo Inés Robles.", {"subject": "Consulta sobre el Toyota Corolla"}),
    ]
    batch = read_free_texts(nlp, items, batch_size=2)
    single = [read_free_text(nlp, text, **meta) for text, meta in items]
    assert [lead.plain() for lead in batch] == [lead.plain() for lead in single]
    assert batch[1].value("budget") == "$12,000" and batch[1].value("timeline") == "ASAP"
    assert batch[2].value("interest") == "Toyota Corolla"


def test_every_field_has_nlp_source_and_confidence(nlp: Language) -> None:
    lead = read_free_text(
        nlp,
        "My name is Theo Brandt from Brandt Roofing Inc. Call 415-555-0190. Budget around $8,000, next month.",
        sender_email="theo@brandtroofing.example.com",
    )
    assert lead.fields
    for value in lead.fields.values():
        assert value.source.startswith("nlp:")
        assert 0.0 < value.confidence <= 1.0


def test_model_ner_alongside_rules(tmp_path: Path) -> None:
    # A stand-in for an installed model: a saved pipeline whose "ner" step tags entities.
    model = spacy.blank("en")
    ruler = model.add_pipe("entity_ruler", name="ner")
    ruler.add_patterns([  # type: ignore[attr-defined]
        {"label": "ORG", "pattern": "Vesper Outfitters"},
        {"label": "PERSON", "pattern": "Quentin Ashby"},
        {"label": "PERSON", "pattern": "Christopher"},
    ])
    model.to_disk(tmp_path / "model")
    nlp = build_nlp(NlpSettings(model=str(tmp_path / "model")))
    assert "ner_bridge" in nlp.pipe_names
    lead = read_free_text(nlp, "Dear Christopher,\nQuentin Ashby here, buyer at Vesper Outfitters.")
    assert lead.value("full_name") == "Quentin Ashby"
    assert lead.fields["full_name"].source == "nlp:ner_bridge"
    assert lead.value("company") == "Vesper Outfitters"
    # a rule reading outranks the model's
    lead = read_free_text(nlp, "Dear Christopher,\nQuentin Ashby here.\n\nThanks,\nMarlow Finch")
    assert lead.value("full_name") == "Marlow Finch"
