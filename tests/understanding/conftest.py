from __future__ import annotations

from datetime import date

import pytest

from bot.understanding.model import IntentModel
from tests.trained import trained_model

# A Monday, so that weekday arithmetic is easy to check by hand.
TODAY = date(2026, 11, 30)


@pytest.fixture(scope="session")
def model() -> IntentModel:
    """The real model, built from data/nlu/train (cached under var/ while the data is unchanged)."""
    return trained_model()
