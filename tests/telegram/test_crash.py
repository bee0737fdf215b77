"""A bot process killed in the middle of handling loses nothing and doubles nothing.

The real command runs as a separate process against the local Bot API; it is
killed with SIGKILL while the reply to "Yes, set it up" is being sent, after
Telegram was told the press arrived. The restarted process takes the dead
process's lease back at once and sends the confirmation exactly once; the plan
exists once.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from bot.store.db import create_engine
from bot.store.tables import ArrangementRow, ChannelLinkRow
from tests.telegram.fake_bot_api import FakeTelegram
from tests.telegram.processes import BotProcess, bot_env, eventually, prepare


async def _arrangements(database_url: str) -> int:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            result = await connection.execute(select(func.count()).select_from(ArrangementRow))
            return int(result.scalar_one())
    finally:
        await engine.dispose()


async def test_killed_while_confirming_a_plan_the_restart_sends_it_once(
    database_url: str, framework: str, tmp_path: Path
) -> None:
    (token,) = await prepare(database_url, ["T-EN"])
    async with FakeTelegram() as tg:
        env = bot_env(database_url, tg.token, tg.base_url)
        bot = BotProcess(env, ["--framework", framework], tmp_path)
        await bot.start()
        try:
            await eventually(lambda: tg.method_calls("getUpdates"))
            user = tg.user(601, "Alex")
            await user.send_command("/start", token)
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
                return await _arrangements(database_url) == 1

            await eventually(committed)
            await bot.kill()  # ...and the process dies mid-send
            tg.slow("sendMessage", 0)
            restarted = BotProcess(env, ["--framework", framework], tmp_path)
            await restarted.start()
            try:
                (done,) = await user.next_messages(timeout=30)
                assert "Your plan is set up" in done["text"]
                await user.send_text("/help")
                (help_text,) = await user.next_messages(timeout=30)
                assert "/human" in help_text["text"]
                texts = [m["text"] for m in user.messages]
                assert sum("Your plan is set up" in t for t in texts) == 1
                assert await _arrangements(database_url) == 1
            finally:
                await restarted.stop()
        finally:
            await bot.stop()


async def _links(database_url: str) -> int:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            result = await connection.execute(select(func.count()).select_from(ChannelLinkRow))
            return int(result.scalar_one())
    finally:
        await engine.dispose()


async def test_killed_between_linking_and_the_greeting_the_link_still_takes_them_in(
    database_url: str, framework: str, tmp_path: Path
) -> None:
    (token,) = await prepare(database_url, ["T-EN"])
    async with FakeTelegram() as tg:
        env = bot_env(database_url, tg.token, tg.base_url)
        bot = BotProcess(env, ["--framework", framework], tmp_path)
        await bot.start()
        try:
            await eventually(lambda: tg.method_calls("getUpdates"))
            user = tg.user(602, "Alex")
            tg.slow("sendMessage", 60)  # the greeting hangs on the wire...
            await user.send_command("/start", token)

            async def linked() -> bool:
                return await _links(database_url) == 1

            await eventually(linked)
            await bot.kill()  # ...and the process dies before the borrower heard anything
            tg.slow("sendMessage", 0)
            restarted = BotProcess(env, ["--framework", framework], tmp_path)
            await restarted.start()
            try:
                (greeting,) = await user.next_messages(timeout=30)
                assert "date of birth" in greeting["text"]
                await user.send_command("/start", token)  # their own link, tapped again
                (again,) = await user.next_messages(timeout=30)
                assert "no longer valid" not in again["text"]
                await user.send_text("1990-05-17")
                (statement,) = await user.next_messages(timeout=30)
                assert "Total due: $1,320.50" in statement["text"]
                assert sum("automated assistant" in t for t in user.texts) == 1  # sent once
            finally:
                await restarted.stop()
        finally:
            await bot.stop()


async def test_the_chosen_answer_is_still_shown_after_a_restart(
    database_url: str, framework: str, tmp_path: Path
) -> None:
    """The ✓ on the pressed message comes from the outbox row, not the process's memory."""
    (token,) = await prepare(database_url, ["T-EN"])
    async with FakeTelegram() as tg:
        env = bot_env(database_url, tg.token, tg.base_url)
        bot = BotProcess(env, ["--framework", framework], tmp_path)
        await bot.start()
        try:
            await eventually(lambda: tg.method_calls("getUpdates"))
            user = tg.user(603, "Alex")
            await user.send_command("/start", token)
            await user.next_messages(timeout=30)
            await user.send_text("1990-05-17")
            (menu,) = await user.next_messages(timeout=30)
            tg.slow("editMessageText", 60)  # showing the answer hangs...
            await user.press("Pay in installments", menu)
            await eventually(lambda: tg.method_calls("editMessageText"))
            await bot.kill()  # ...and the process dies before anything changed
            tg.slow("editMessageText", 0)
            restarted = BotProcess(env, ["--framework", framework], tmp_path)
            await restarted.start()
            try:
                (options,) = await user.next_messages(timeout=30)
                assert "monthly payments" in str(user.keyboard(options))
                assert menu["text"].endswith("✓ Pay in installments")
                assert user.keyboard(menu) == []
            finally:
                await restarted.stop()
        finally:
            await bot.stop()
