"""The real bot, through aiogram or python-telegram-bot, against the local Bot API."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.bootstrap import App, build_app
from bot.channels.telegram.runner import TelegramOptions, run
from bot.config import Settings
from bot.service.accounts_import import import_accounts
from bot.service.linking import create_link_token
from bot.understanding.model import IntentModel
from tests.telegram.fake_bot_api import FakeTelegram

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
NOW = datetime(2026, 11, 22, 15, 0, tzinfo=UTC)
_STARTED = datetime.now(UTC)


def clock() -> datetime:
    """The fixture date, with real time passing (retries wait for real)."""
    return NOW + (datetime.now(UTC) - _STARTED)


@dataclass
class Harness:
    tg: FakeTelegram
    app: App

    async def link_token(self, account_id: str) -> str:
        async with self.app.sessions() as session, session.begin():
            return await create_link_token(
                session, account_id=account_id, now=clock(), valid_days=7
            )

    async def count(self, table: type, **where: object) -> int:
        async with self.app.sessions() as session:
            query = select(func.count()).select_from(table)
            for name, value in where.items():
                query = query.where(getattr(table, name) == value)
            return int((await session.execute(query)).scalar_one())


@pytest.fixture(params=["aiogram", "ptb"])
def framework(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def bot(
    database_url: str, framework: str, intent_model: IntentModel
) -> AsyncIterator[Harness]:
    async with FakeTelegram() as tg:
        settings = Settings(
            database_url=database_url, telegram_token=tg.token, telegram_api_url=tg.base_url
        )
        app = await build_app(settings, clock=clock, model=intent_model)
        await import_accounts(app.sessions, FIXTURES / "accounts.csv")
        stop = asyncio.Event()
        options = TelegramOptions(
            token=tg.token, api_url=tg.base_url, framework=framework, poll_timeout=1
        )
        task = asyncio.create_task(run(app, options, stop))
        try:
            await _wait_until_polling(tg)
            yield Harness(tg, app)
        finally:
            stop.set()
            await asyncio.wait_for(task, 30)
            await app.close()


async def _wait_until_polling(tg: FakeTelegram) -> None:
    for _ in range(200):
        if tg.method_calls("getUpdates"):
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the bot never polled")
