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
from bot.store.tables import ArrangementRow
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
