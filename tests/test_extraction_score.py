"""Extraction quality on the shared corpus of real vendor leads, measured by the shared scorer.

The corpus and scorer live beside the project (../shared), as in CI; the project keeps no copy.
"""

from __future__ import annotations

from pathlib import Path

from tests.scorer import SHARED, extraction_scores


def test_corpus_reaches_the_extraction_targets() -> None:
    scores, report = extraction_scores(SHARED / "corpus", missing="the shared corpus is not beside this checkout")
    assert scores["contact_f1"] >= 0.97, report
    assert scores["overall_f1"] >= 0.90, report


def test_our_evaluation_set_both_halves() -> None:
    """Our own 877 messages (tests/fixtures/eval): readers are tuned only on tuning/, held-out/ is only measured.

    The floors sit just under where the reader stands today (tuning 0.993/0.949, held-out 0.950/0.902, with the
    144 samples of three independent writers, `*_p12_*`), so a change that reads worse fails here; the gap between
    the halves (0.043 contact, 0.047 overall) is what is left to close.
    """
    root = Path(__file__).resolve().parent / "fixtures" / "eval"
    tuning, report = extraction_scores(root / "tuning", missing="the shared scorer is not beside this checkout")
    assert tuning["contact_f1"] >= 0.99 and tuning["overall_f1"] >= 0.945, report
    held_out, report = extraction_scores(root / "heldout", missing="the shared scorer is not beside this checkout")
    assert held_out["contact_f1"] >= 0.945 and held_out["overall_f1"] >= 0.898, report


def test_the_blind_set() -> None:
    """80 messages written without reading the readers or the tuned sets (tests/fixtures/eval/blind), never tuned
    on: the honest estimate of leads nobody has seen. Today 0.937/0.898 (0.846/0.798 when it was written)."""
    root = Path(__file__).resolve().parent / "fixtures" / "eval" / "blind"
    blind, report = extraction_scores(root, missing="the shared scorer is not beside this checkout")
    assert blind["contact_f1"] >= 0.932 and blind["overall_f1"] >= 0.895, report
