"""A bot process killed in the middle of handling loses nothing and doubles nothing.

The real command runs as a separate process against the local Bot API and is
killed with SIGKILL while a Bot API call hangs: while the reply to "Yes, set it
up" is being sent (after Telegram was told the press arrived), between linking
and the greeting, and while the pressed message is being edited. The restarted
process takes the dead process's lease back once its heartbeat has stopped for
the dead-after time, and sends what was owed exactly once.

Both processes run with the default configuration (one node: this host), so the
restart knows its predecessor is gone only from the stopped heartbeat, never
from sharing its node name. The heartbeat is shortened (1 s, gone after 4 s) to
keep the tests quick; the defaults (5 s, 20 s) work the same way, slower.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.store.db import create_engine
from bot.store.tables import ArrangementRow, ChannelLinkRow
from tests.telegram.fake_bot_api import FakeTelegram
from tests.telegram.processes import BotProcess, bot_env, eventually, prepare


async def _count(database_url: str, table: type) -> int:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            result = await connection.execute(select(func.count()).select_from(table))
            return int(result.scalar_one())
    finally:
        await engine.dispose()


@dataclass
class Crashing:
    """The bot as a process that a test kills while `method` hangs, then restarts."""

    tg: FakeTelegram
    token: str
    database_url: str
    bot: BotProcess
    restarted: BotProcess

    async def kill_while(self, method: str, done: Callable[[], object]) -> None:
        """Kill the process once `done()` holds, with `method` hanging on the wire,
        then let the Bot API answer again and start a new process."""
        await eventually(done)
        await self.bot.kill()
        self.tg.slow(method, 0)
        await self.restarted.start()


@pytest.fixture
async def crashing(database_url: str, framework: str, tmp_path: Path) -> AsyncIterator[Crashing]:
    (token,) = await prepare(database_url, ["T-EN"])
    async with FakeTelegram() as tg:
        env = bot_env(
            database_url,
            tg.token,
            tg.base_url,
            REPAYBOT_OUTBOX_HEARTBEAT_SECONDS="1",
            REPAYBOT_OUTBOX_DEAD_AFTER_SECONDS="4",
        )
        args = ["--framework", framework]
        bot, restarted = BotProcess(env, args, tmp_path), BotProcess(env, args, tmp_path)
        await bot.start()
        try:
            await eventually(lambda: tg.method_calls("getUpdates"))
            yield Crashing(tg, token, database_url, bot, restarted)
        finally:
            await restarted.stop()
            await bot.stop()


async def test_killed_while_confirming_a_plan_the_restart_sends_it_once(
    crashing: Crashing,
) -> None:
    tg, url = crashing.tg, crashing.database_url
    user = tg.user(601, "Alex")
    await user.send_command("/start", crashing.token)
    await user.next_messages(timeout=30)
    await user.send_text("1990-05-17")
    await user.next_messages(timeout=30)
    await user.press("Pay in installments")
    await user.next_messages(timeout=30)
    await user.press("3 monthly payments of $440.17")
    await user.next_messages(timeout=30)
    tg.slow("sendMessage", 60)  # the confirmation hangs on the wire...
    await user.press("Yes, set it up")

    async def committed() -> bool:
        return await _count(url, ArrangementRow) == 1

    await crashing.kill_while("sendMessage", committed)  # ...and the process dies mid-send
    (done,) = await user.next_messages(timeout=30)
    assert "Your plan is set up" in done["text"]
    await user.send_text("/help")
    (help_text,) = await user.next_messages(timeout=30)
    assert "/human" in help_text["text"]
    assert sum("Your plan is set up" in t for t in user.texts) == 1
    assert await _count(url, ArrangementRow) == 1


async def test_killed_between_linking_and_the_greeting_the_link_still_takes_them_in(
    crashing: Crashing,
) -> None:
    tg, url = crashing.tg, crashing.database_url
    user = tg.user(602, "Alex")
    tg.slow("sendMessage", 60)  # the greeting hangs on the wire...
    await user.send_command("/start", crashing.token)

    async def linked() -> bool:
        return await _count(url, ChannelLinkRow) == 1

    # ...and the process dies before the borrower heard anything.
    await crashing.kill_while("sendMessage", linked)
    (greeting,) = await user.next_messages(timeout=30)
    assert "date of birth" in greeting["text"]
    await user.send_command("/start", crashing.token)  # their own link, tapped again
    (again,) = await user.next_messages(timeout=30)
    assert "no longer valid" not in again["text"]
    await user.send_text("1990-05-17")
    (statement,) = await user.next_messages(timeout=30)
    assert "Total due: $1,320.50" in statement["text"]
    assert sum("automated assistant" in t for t in user.texts) == 1  # sent once


async def test_the_chosen_answer_is_still_shown_after_a_restart(crashing: Crashing) -> None:
    """The ✓ on the pressed message comes from the outbox row, not the process's memory."""
    tg = crashing.tg
    user = tg.user(603, "Alex")
    await user.send_command("/start", crashing.token)
    await user.next_messages(timeout=30)
    await user.send_text("1990-05-17")
    (menu,) = await user.next_messages(timeout=30)
    tg.slow("editMessageText", 60)  # showing the answer hangs...
    await user.press("Pay in installments", menu)
    # ...and the process dies before anything changed.
    await crashing.kill_while("editMessageText", lambda: tg.method_calls("editMessageText"))
    (options,) = await user.next_messages(timeout=30)
    assert "monthly payments" in str(user.keyboard(options))
    assert menu["text"].endswith("✓ Pay in installments")
    assert user.keyboard(menu) == []
