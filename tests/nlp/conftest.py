from __future__ import annotations

import pytest
from spacy.language import Language

from nlp.pipeline import build_nlp


@pytest.fixture(scope="session")
def nlp() -> Language:
    return build_nlp()
