from __future__ import annotations

import pytest

from bot.settings import ExtractionSettings, NlpSettings
from nlp.extractor import Extractor
from tests.conftest import warmed
from tests.fakes.fixtures import slack_api, slack_client

__all__ = ["extractor", "slack_api", "slack_client"]


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    """The real extractor (templates + the rule-based pipeline), built once and warmed: chat intake reads with it."""
    return warmed(Extractor(ExtractionSettings(), NlpSettings()))
