"""The shared extraction scorer (../shared/tools/score_extraction.py), run over a set of leads by `leadbot parse`."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import unavailable

SHARED = Path(__file__).resolve().parents[2] / "shared"
SCORER = SHARED / "tools" / "score_extraction.py"


def extraction_scores(leads: Path, *, missing: str) -> tuple[dict[str, float], str]:
    """(contact_f1 and overall_f1, the scorer's report) for the set in ``leads`` (``raw/`` and ``truth/``).

    Without the scorer beside the checkout the test is skipped (``missing`` says what is absent), or in
    CI, where shared/ is always there, fails.
    """
    if not SCORER.exists():
        unavailable(f"{SCORER} is missing: {missing}", "the extraction scores (shared/ beside the project)")
    leadbot = str(Path(sys.executable).with_name("leadbot"))
    result = subprocess.run(
        [sys.executable, str(SCORER), str(leads), "--", leadbot, "parse", "--json"],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    found = re.findall(r"^(contact_f1|overall_f1)=([\d.]+)$", result.stdout, re.M)
    return {name: float(value) for name, value in found}, result.stdout
