"""The intent model for tests: built by `make setup`, loaded once per test run.

Tests hand it to what reads messages (`build_app(model=...)`, `read_message`,
`understand`) like any other dependency; the `intent_model` fixture
(tests/conftest.py) is this one model.
"""

from __future__ import annotations

from functools import cache

from bot.understanding.model import IntentModel
from bot.understanding.train import load_or_train


@cache
def trained_model() -> IntentModel:
    """Loaded once (and rebuilt first, as `build_app` does, if the training data changed)."""
    return load_or_train()
