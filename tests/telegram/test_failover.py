"""A database failover mid-conversation (issue 33 point 1): every PostgreSQL
connection is terminated, and the borrower's next message and press are still
answered exactly once, with either framework, by long polling and by webhook."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
import pytest

from bot.bootstrap import build_app
from bot.channels.telegram.runner import TelegramOptions, run
from bot.config import Settings
from bot.service.accounts_import import import_accounts
from bot.service.inbox import Inbox
from bot.store.tables import ArrangementRow, FailedUpdateRow, InboxRow, OutboxRow
from tests.faults import drop_every_connection
from tests.telegram.conftest import FIXTURES, Harness, clock
from tests.telegram.fake_bot_api import FakeTelegram, FakeUser
from tests.telegram.processes import eventually
from tests.telegram.test_webhook import free_port, post

# A failover is PostgreSQL's: SQLite has no server to lose, so these run on PostgreSQL only.
pytestmark = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)


@pytest.fixture
def postgresql_url(database_url: str) -> str:
    return database_url


@asynccontextmanager
async def serving(database_url: str, framework: str, webhook: bool) -> AsyncIterator[Harness]:
    """The bot served by long polling or by webhook (updates posted as Telegram would)."""
    async with FakeTelegram() as tg:
        settings = Settings(
            database_url=database_url, telegram_token=tg.token, telegram_api_url=tg.base_url
        )
        app = await build_app(settings, clock=clock)
        await import_accounts(app.sessions, FIXTURES / "accounts.csv")
        port = free_port()
        options = TelegramOptions(
            token=tg.token,
            api_url=tg.base_url,
            framework=framework,
            poll_timeout=1,
            webhook_url="https://bot.example.test/telegram/webhook" if webhook else None,
            webhook_secret="s3cret-token_1" if webhook else None,
            listen_port=port,
        )
        stop = asyncio.Event()
        task = asyncio.create_task(run(app, options, stop))
        forwarding = asyncio.create_task(_forward(tg, port)) if webhook else None
        try:
            for _ in range(200):
                if tg.method_calls("getUpdates") or tg.webhook.get("url"):
                    break
                await asyncio.sleep(0.05)
            yield Harness(tg, app)
        finally:
            if forwarding is not None:
                forwarding.cancel()
            stop.set()
            await asyncio.wait_for(task, 30)
            await app.close()


async def _forward(tg: FakeTelegram, port: int) -> None:
    """Telegram's side of a webhook: post each update until the bot answers 200."""
    url = f"http://127.0.0.1:{port}/telegram/webhook"
    offset = 0
    while True:
        updates = [u for u in tg._updates if u["update_id"] >= offset]
        for update in updates:
            while True:
                try:
                    if await post(url, update, "s3cret-token_1") == 200:
                        break
                except aiohttp.ClientConnectionError:
                    pass
                await asyncio.sleep(0.1)
            offset = update["update_id"] + 1
        await asyncio.sleep(0.02)


async def _failover(bot: Harness, database_url: str) -> None:
    """Between two messages: once the outbox has recorded what it sent (a drop while
    it does is the outbox's own concern), every connection goes."""

    async def all_sent() -> bool:
        return await bot.count(OutboxRow, status="sent") == await bot.count(OutboxRow)

    await eventually(all_sent)
    assert await drop_every_connection(database_url) > 0


async def _to_the_plan_offer(bot: Harness, user: FakeUser) -> None:
    await user.send_command("/start", await bot.link_token("T-EN"))
    await user.next_messages()
    await user.send_text("1990-05-17")
    await user.next_messages()
    await user.press("Pay in installments")
    await user.next_messages()


@pytest.mark.parametrize("webhook", [False, True], ids=["polling", "webhook"])
async def test_every_connection_dropped_mid_conversation_the_bot_answers_once(
    postgresql_url: str, framework: str, webhook: bool
) -> None:
    async with serving(postgresql_url, framework, webhook) as bot:
        user = bot.tg.user(611, "Alex")
        await _to_the_plan_offer(bot, user)
        await _failover(bot, postgresql_url)
        await user.press("3 monthly payments of $440.17")
        (confirm,) = await user.next_messages()
        assert "Yes, set it up" in str(user.keyboard(confirm))
        await _failover(bot, postgresql_url)
        await user.press("Yes, set it up")
        (done,) = await user.next_messages()
        assert "Your plan is set up" in done["text"]
        await _failover(bot, postgresql_url)
        await user.send_text("/help")
        (help_text,) = await user.next_messages()
        assert "/human" in help_text["text"]
        # Nothing doubled, nothing apologised for, nothing left behind.
        assert sum("Your plan is set up" in t for t in user.texts) == 1
        assert not any("went wrong" in t for t in user.texts)
        assert await bot.count(ArrangementRow) == 1
        assert await bot.count(FailedUpdateRow) == 0
        assert await Inbox(bot.app.sessions, clock).unhandled("telegram") == []
        assert await bot.count(InboxRow) == 6  # every update kept once, none lost
