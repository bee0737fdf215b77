"""Telegram's limits, always (issue 31 point 4): one pace per bot token, whatever
the number of processes.

Ten thousand reminders go out through the real bot (outbox, adapters, HTTP) to
the local Bot API, which answers some sends with 429. Counted as they arrive
there: never more than the policy's rate in any second, never two messages to a
chat within a second, nothing while a 429's retry_after runs (all processes),
every reminder exactly once, and the chats that blocked the bot marked dead.
The policy pays for broadcasts at 300 a second here, so the test takes seconds,
not the 5.5 minutes 10,000 take at the free 30.
"""

from __future__ import annotations

import asyncio
import itertools
from collections import defaultdict
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.bootstrap import App, build_app
from bot.channels.telegram.runner import TelegramOptions, run
from bot.config import Settings
from bot.store.db import create_engine, session_factory, upgrade
from bot.store.tables import OutboxRow
from bot.understanding.model import IntentModel
from tests.telegram.conftest import Harness, clock
from tests.telegram.fake_bot_api import FakeTelegram
from tests.telegram.outreach import (
    FIRST_CHAT,
    dialogs_sending_at,
    queue_outreach,
    reminder_text,
)
from tests.telegram.processes import BotProcess, bot_env, eventually

COUNT = 10_000
RATE = 300
REFUSALS = 5  # 429s injected along the way
BLOCKED = 3
# A generous bound for a shared, busy machine: 10,000 at 300/s take 35 s when idle.
DONE_WITHIN = 900.0


async def _statuses(sessions: async_sessionmaker[AsyncSession]) -> dict[str, int]:
    async with sessions() as session:
        rows = await session.execute(
            select(OutboxRow.status, func.count()).group_by(OutboxRow.status)  # type: ignore[call-overload]
        )
        return {str(status): int(n) for status, n in rows.all()}


async def _refuse_now_and_then(tg: FakeTelegram) -> None:
    """A 429 (retry after 1 s) once every COUNT / (REFUSALS + 1) sends."""
    step = COUNT // (REFUSALS + 1)
    for k in range(1, REFUSALS + 1):
        await eventually(lambda: len(tg.counted_calls) >= k * step, timeout=DONE_WITHIN)  # noqa: B023
        tg.fail_next("sendMessage", status=429, retry_after=1)


def _assert_within_limits(tg: FakeTelegram, lanes: int) -> None:
    assert tg.most_in_one_second() <= RATE
    by_chat: dict[int, list[float]] = defaultdict(list)
    for moment, chat in tg.counted_calls:
        by_chat[chat].append(moment)
    too_soon = {  # a retried send comes a second or more later
        chat: [round(b - a, 3) for a, b in itertools.pairwise(times) if b - a < 1.0]
        for chat, times in by_chat.items()
    }
    assert {chat: gaps for chat, gaps in too_soon.items() if gaps} == {}
    # Every 429 paused the whole bot: for the rest of its second nothing arrived
    # but the sends already under way when it was answered, one a lane at most
    # (unpaused, some 250 would have come).
    assert len(tg.refused_at) == REFUSALS
    for refused, retry_after in tg.refused_at:
        during = [t for t, _ in tg.counted_calls if refused < t < refused + retry_after - 0.05]
        assert len(during) <= lanes
    # Paid broadcasts, as the policy says.
    assert {str(c.get("allow_paid_broadcast")).lower() for c in tg.method_calls("sendMessage")} == {
        "true"
    }


def _assert_each_once(tg: FakeTelegram, chats: list[int]) -> None:
    blocked = set(chats[:BLOCKED])
    for chat in chats:
        texts = [m["text"] for m in tg.messages[chat]]
        assert texts == ([] if chat in blocked else [reminder_text(chat)])


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as tg:
        yield tg


async def _portfolio(tg: FakeTelegram, sessions: async_sessionmaker[AsyncSession]) -> list[int]:
    chats = await queue_outreach(sessions, COUNT, clock())
    for chat in chats:
        tg.user(chat)
    tg.blocked.update(chats[:BLOCKED])
    return chats


async def test_ten_thousand_reminders_within_the_rate_with_429s_each_once(
    database_url: str, telegram: FakeTelegram, tmp_path: Path, intent_model: IntentModel
) -> None:
    tg = telegram
    settings = Settings(
        database_url=database_url,
        telegram_token=tg.token,
        telegram_api_url=tg.base_url,
        dialogs_dir=dialogs_sending_at(tmp_path, RATE, paid=True),
    )
    app: App = await build_app(settings, clock=clock, model=intent_model)
    chats = await _portfolio(tg, app.sessions)
    stop = asyncio.Event()
    refusing = asyncio.create_task(_refuse_now_and_then(tg))
    options = TelegramOptions(token=tg.token, api_url=tg.base_url, poll_timeout=1)
    serving = asyncio.create_task(run(app, options, stop))
    try:
        await eventually(lambda: _done(app.sessions), timeout=DONE_WITHIN)
    finally:
        stop.set()
        await asyncio.wait_for(serving, 30)
        refusing.cancel()
        await app.close()
    assert await _statuses(app.sessions) == {"sent": COUNT - BLOCKED, "dead": BLOCKED}
    _assert_within_limits(tg, lanes=Settings().outbox_concurrency)
    _assert_each_once(tg, chats)


async def _done(sessions: async_sessionmaker[AsyncSession]) -> bool:
    statuses = await _statuses(sessions)
    return not statuses.get("pending") and not statuses.get("sending")


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_three_processes_share_one_rate_and_one_pause(
    database_url: str, telegram: FakeTelegram, tmp_path: Path
) -> None:
    tg = telegram
    await upgrade(database_url)
    engine = create_engine(database_url)
    sessions = session_factory(engine)
    try:
        chats = await _portfolio(tg, sessions)
        env = bot_env(
            database_url,
            tg.token,
            tg.base_url,
            REPAYBOT_DIALOGS_DIR=str(dialogs_sending_at(tmp_path, RATE, paid=True)),
        )
        bots = [BotProcess(env, [], tmp_path, tmp_path / f"bot{i}.log") for i in range(3)]
        refusing = asyncio.create_task(_refuse_now_and_then(tg))
        await asyncio.gather(*(b.start() for b in bots))
        try:
            await eventually(lambda: _done(sessions), timeout=DONE_WITHIN)
        finally:
            await asyncio.gather(*(b.stop() for b in bots))
            refusing.cancel()
        assert await _statuses(sessions) == {"sent": COUNT - BLOCKED, "dead": BLOCKED}
        senders = {params.get("chat_id") for params in tg.method_calls("sendMessage")}
        assert len(senders) == COUNT
        _assert_within_limits(tg, lanes=3 * Settings().outbox_concurrency)
        _assert_each_once(tg, chats)
    finally:
        await engine.dispose()


async def test_a_borrower_writing_now_is_answered_before_queued_reminders(bot: Harness) -> None:
    """300 reminders wait at the free rate (about 11 seconds of sending); a borrower
    who writes meanwhile is answered next, not after them."""
    tg = bot.tg
    chats = list(range(FIRST_CHAT, FIRST_CHAT + 300))
    for chat in chats:
        tg.user(chat)
    await queue_outreach(bot.app.sessions, len(chats), clock())
    await eventually(lambda: len(tg.counted_calls) >= 20)
    writer = tg.user(777, "Sam")
    await writer.send_text("hello?")
    sent_before = len(tg.counted_calls)
    (answer,) = await writer.next_messages(timeout=30)
    answered_after = [chat for _, chat in tg.counted_calls[sent_before:]].index(777)
    # Only what was already booked or on the wire went first: a lane's worth.
    assert answered_after <= Settings().outbox_concurrency + 8
    assert answer["text"]
    assert await bot.count(OutboxRow, status="pending") > 100  # reminders still waiting
    await eventually(lambda: all(tg.messages[c] for c in chats), timeout=DONE_WITHIN)
    assert tg.most_in_one_second() <= 30
