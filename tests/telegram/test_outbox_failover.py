"""The outbox outlives a database failover: every PostgreSQL connection is cut while the
bot runs, and its delivery loop, heartbeat and lease take-back carry on with fresh
connections. The failure is logged (kind and driver message, no borrower's data) and
the reply queued after the cut reaches the borrower exactly once.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator
from datetime import datetime

import pytest
from sqlalchemy import select
from sqlmodel import col

from bot.bootstrap import build_app
from bot.channels.telegram.runner import TelegramOptions, run
from bot.config import Settings
from bot.service.accounts_import import import_accounts
from bot.service.events import Inbound
from bot.store.tables import OutboxRow, WorkerRow
from tests.conftest import _admin
from tests.telegram.conftest import FIXTURES, Harness, clock
from tests.telegram.fake_bot_api import FakeTelegram
from tests.telegram.processes import eventually

OUTBOX_LOG = "bot.service.outbox"


@pytest.fixture
async def bot(database_url: str, framework: str) -> AsyncIterator[Harness]:
    """The real bot, as tests/telegram/conftest.py runs it, with a quick heartbeat so
    the test sees the loop beat again after the cut within a second or two."""
    async with FakeTelegram() as tg:
        settings = Settings(
            database_url=database_url,
            telegram_token=tg.token,
            telegram_api_url=tg.base_url,
            outbox_heartbeat_seconds=0.5,
            outbox_dead_after_seconds=5,
        )
        app = await build_app(settings, clock=clock)
        await import_accounts(app.sessions, FIXTURES / "accounts.csv")
        stop = asyncio.Event()
        options = TelegramOptions(
            token=tg.token, api_url=tg.base_url, framework=framework, poll_timeout=1
        )
        task = asyncio.create_task(run(app, options, stop))
        try:
            await eventually(lambda: tg.method_calls("getUpdates"))
            yield Harness(tg, app)
        finally:
            stop.set()
            await asyncio.wait_for(task, 30)
            await app.close()


async def _cut_every_connection(database_url: str) -> int:
    """What a failover does to the bot's connections: the server ends every one."""
    name = database_url.rsplit("/", 1)[1]
    admin = await _admin()
    try:
        ended = await admin.fetchval(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = $1 AND pid <> pg_backend_pid()",
            name,
        )
        return int(ended)
    finally:
        await admin.close()


async def _heartbeat(bot: Harness) -> datetime:
    async with bot.app.sessions() as session:
        query = select(col(WorkerRow.heartbeat_at)).where(
            col(WorkerRow.worker_id) == bot.app.outbox.worker.worker_id
        )
        return (await session.execute(query)).scalar_one()


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_the_outbox_carries_on_after_every_connection_is_cut(
    bot: Harness, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    user = bot.tg.user(541, "Alex")
    await user.send_command("/start", await bot.link_token("T-EN"))
    await user.next_messages(timeout=20)

    with caplog.at_level(logging.WARNING, logger=OUTBOX_LOG):
        cut_at = clock()
        assert await _cut_every_connection(database_url) >= 1  # the bot's pool held some

        def logged(words: str) -> bool:
            return any(words in r.getMessage() for r in caplog.records if r.name == OUTBOX_LOG)

        # The loop's next pass meets a dead connection: logged, kind and message...
        await eventually(lambda: logged("failed, trying again at the next tick"))
        # ...and the pass after it works on a fresh one, heartbeat included.
        await eventually(lambda: logged("works again after"))
        await eventually(lambda: _beat_after(bot, cut_at))

        # A reply queued after the cut, with nothing but the loop to send it.
        handled = await bot.app.runtime.on_inbound(
            Inbound(channel="telegram", chat_key="541", user_key="541", text="1990-05-17")
        )
        assert len(handled.queued) == 1
        (reply,) = await user.next_messages(timeout=15)
        assert "Total due" in reply["text"]
        await asyncio.sleep(2.5)  # two more passes of the loop: nothing sent again

    assert len(user.messages) == 2
    assert await bot.count(OutboxRow, status="sent", chat_key="541") == 2
    failures = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    # One line per step that met the cut, naming the error's kind and the driver's words.
    assert failures
    assert all(re.fullmatch(r"outbox [a-z ]+ failed, [a-z ]+: \w+: .+", m) for m in failures)
    assert not any("1990" in m for m in failures)
    # The whole bot serves on: a borrower's next message is answered over Telegram.
    await user.send_text("/help")
    (help_text,) = await user.next_messages(timeout=20)
    assert "/human" in help_text["text"]


async def _beat_after(bot: Harness, moment: datetime) -> bool:
    return await _heartbeat(bot) > moment


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_a_message_sent_as_the_connections_are_cut_is_marked_later_not_sent_again(
    bot: Harness, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """Telegram has the message but its sent mark meets a dead connection: the mark is
    kept and written on the loop's next pass, so the lease never runs out on a
    message that was delivered (which would send it again)."""
    user = bot.tg.user(542, "Alex")
    await user.send_command("/start", await bot.link_token("T-EN"))
    await user.next_messages(timeout=20)
    bot.tg.hold("sendMessage")
    await bot.app.runtime.on_inbound(
        Inbound(channel="telegram", chat_key="542", user_key="542", text="1990-05-17")
    )
    sends = len(bot.tg.method_calls("sendMessage"))
    with caplog.at_level(logging.WARNING, logger=OUTBOX_LOG):
        await eventually(lambda: len(bot.tg.method_calls("sendMessage")) > sends)  # on the wire
        assert await _cut_every_connection(database_url) >= 1
        bot.tg.release("sendMessage")  # Telegram accepts it; the mark meets the cut
        (statement,) = await user.next_messages(timeout=15)
        assert "Total due" in statement["text"]
        await eventually(
            lambda: any("sent, mark deferred" in r.getMessage() for r in caplog.records)
        )
        await eventually(
            lambda: _status_of_last(bot, "542", "sent"), timeout=10
        )  # written well before the lease would run out
    await asyncio.sleep(2.5)  # more passes of the loop: nothing sent again
    assert len(user.messages) == 2
    assert len(bot.tg.method_calls("sendMessage")) == sends + 1


async def _status_of_last(bot: Harness, chat_key: str, status: str) -> bool:
    async with bot.app.sessions() as session:
        query = (
            select(col(OutboxRow.status))
            .where(col(OutboxRow.chat_key) == chat_key)
            .order_by(col(OutboxRow.id).desc())
            .limit(1)
        )
        return (await session.execute(query)).scalar_one() == status
