"""A whole application on a real database, with a fixed clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.bootstrap import App, build_app
from bot.config import Settings
from bot.service.accounts_import import import_accounts
from bot.understanding.model import IntentModel

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
NOW = datetime(2026, 11, 22, 15, 0, tzinfo=UTC)


@pytest.fixture
async def app(database_url: str, intent_model: IntentModel) -> AsyncIterator[App]:
    application = await build_app(
        Settings(database_url=database_url), clock=lambda: NOW, model=intent_model
    )
    await import_accounts(application.sessions, FIXTURES / "accounts.csv")
    try:
        yield application
    finally:
        await application.close()
