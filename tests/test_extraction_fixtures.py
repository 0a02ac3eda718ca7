"""Extraction quality on our own set of lead notifications (tests/fixtures/leads), by the shared scorer.

The set is written by us, modelled on how lead providers lay out their mails (car, real-estate and
home-services portals, form mailers, lead-ad syncs, direct inquiries, replies and forwards, German and
Spanish notifications, HTML-only and mislabelled charsets). It covers formats the shared corpus does not;
its people, companies and values are invented. ``raw/`` and ``truth/`` follow the shared corpus' layout.
"""

from __future__ import annotations

from pathlib import Path

from tests.scorer import extraction_scores

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "leads"

#: reached when the set was written, less a small margin (see the per-field table the scorer prints)
CONTACT_F1 = 0.97
OVERALL_F1 = 0.93


def test_fixture_set_is_complete() -> None:
    raws = sorted(p.stem for p in (FIXTURES / "raw").iterdir() if p.is_file())
    truths = sorted(p.stem for p in (FIXTURES / "truth").iterdir() if p.suffix == ".json")
    assert raws == truths
    assert len(raws) >= 30


def test_fixture_set_reaches_the_extraction_targets() -> None:
    scores, report = extraction_scores(FIXTURES, missing="the shared scorer is not beside this checkout")
    assert scores["contact_f1"] >= CONTACT_F1, report
    assert scores["overall_f1"] >= OVERALL_F1, report
