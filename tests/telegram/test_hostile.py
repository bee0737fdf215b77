"""A hostile, careless or unlucky borrower, over both adapters and both databases."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.store.tables import AccountRow, ArrangementRow
from tests.telegram.conftest import Harness
from tests.telegram.fake_bot_api import FakeTelegram, FakeUser
from tests.telegram.processes import BotProcess, bot_env, eventually, prepare


async def _verified(bot: Harness, user_id: int) -> FakeUser:
    user = bot.tg.user(user_id, "Alex")
    await user.send_command("/start", await bot.link_token("T-EN"))
    await user.next_messages()
    await user.send_text("1990-05-17\u0000")  # a NUL after the date still verifies
    (statement,) = await user.next_messages()
    assert "Total due: $1,320.50" in statement["text"]
    return user


async def test_nul_and_control_characters_are_answered_on_every_database(bot: Harness) -> None:
    user = await _verified(bot, 801)
    for text in ("\u0000", "abc\u0000def", "\u0007\u001b[31m"):
        await user.send_text(text)
        (answer,) = await user.next_messages()
        assert answer["text"]


async def test_a_double_tap_makes_one_plan_and_one_confirmation(bot: Harness) -> None:
    user = await _verified(bot, 802)
    await user.press("Pay in installments")
    await user.next_messages()
    await user.press("3 monthly payments of $440.17")
    (confirm,) = await user.next_messages()
    await user.press("Yes, set it up", confirm)
    await user.press("Yes, set it up", confirm)  # the second tap, before the keyboard went
    (done,) = await user.next_messages()
    await asyncio.sleep(0.5)
    assert "Your plan is set up" in done["text"]
    assert sum("Your plan is set up" in m["text"] for m in user.messages) == 1
    assert await bot.count(ArrangementRow, account_id="T-EN") == 1


async def test_a_borrower_who_blocked_and_came_back_is_reachable_again(bot: Harness) -> None:
    user = await _verified(bot, 803)
    user.block()
    await user.send_text("/help")  # the answer meets a 403

    async def marked() -> bool:
        return await bot.count(AccountRow, account_id="T-EN", unreachable=True) == 1

    await eventually(marked)
    bot.tg.blocked.discard(803)
    await user.send_text("/help")
    (answer,) = await user.next_messages()
    assert "/human" in answer["text"]
    assert await bot.count(AccountRow, account_id="T-EN", unreachable=False) == 1


async def test_logs_at_info_hold_no_token_and_no_personal_data(
    database_url: str, framework: str, tmp_path: Path
) -> None:
    (token,) = await prepare(database_url, ["T-EN"])
    log = tmp_path / "bot.log"
    async with FakeTelegram() as tg:
        env = bot_env(database_url, tg.token, tg.base_url, REPAYBOT_LOG_LEVEL="INFO")
        process = BotProcess(env, ["--framework", framework], tmp_path, log=log)
        await process.start()
        try:
            await eventually(lambda: tg.method_calls("getUpdates"))
            user = tg.user(804, "Alex")
            await user.send_command("/start", token)
            await user.next_messages(timeout=30)
            await user.send_text("1990-05-17")
            await user.next_messages(timeout=30)
            await user.send_text("abc\u0000 1978-12-24")
            await user.next_messages(timeout=30)
        finally:
            await process.stop()
    written = log.read_text(encoding="utf-8", errors="replace")
    assert written.strip(), "INFO logging wrote nothing: the check would prove nothing"
    # The serving command freezes its start-up heap before the first update (bot.heap).
    assert "start-up heap frozen" in written
    for secret in (tg.token, token, "Alex", "Morgan", "1990-05-17", "1978-12-24", "1,320"):
        assert secret not in written, secret


async def test_blocking_and_unblocking_without_a_word_is_followed(bot: Harness) -> None:
    """my_chat_member: a block marks the borrower unreachable at once, an unblock
    without any message makes them reachable again (reminders would resume)."""
    user = await _verified(bot, 805)
    sent = len(bot.tg.method_calls("sendMessage"))

    async def unreachable(flag: bool) -> bool:
        return await bot.count(AccountRow, account_id="T-EN", unreachable=flag) == 1

    await user.block_and_tell()
    await eventually(lambda: unreachable(True))
    await user.unblock()
    await eventually(lambda: unreachable(False))
    await user.block_and_tell()
    await eventually(lambda: unreachable(True))
    assert len(bot.tg.method_calls("sendMessage")) == sent  # nothing was said
