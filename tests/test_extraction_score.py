"""Extraction quality on the shared corpus of real vendor leads, measured by the shared scorer.

The corpus and scorer live beside the project (../shared), as in CI; the project keeps no copy.
"""

from __future__ import annotations

from tests.scorer import SHARED, extraction_scores


def test_corpus_reaches_the_extraction_targets() -> None:
    scores, report = extraction_scores(SHARED / "corpus", missing="the shared corpus is not beside this checkout")
    assert scores["contact_f1"] >= 0.97, report
    assert scores["overall_f1"] >= 0.90, report
