"""Presses on messages Telegram no longer shows the bot, through both adapters.

A press on a message older than 48 hours (or deleted) comes with an
InaccessibleMessage: date 0, no text, no keyboard; a press on a message sent in
inline mode comes with no message at all. The signed button data is still good,
so the press is handled like any other (or answered as stale when its step has
passed), the query is answered, and the old message, which can no longer be
edited, does not stop the reply. SQLite and PostgreSQL.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlmodel import col

from bot.store.tables import ArrangementRow, TranscriptRow
from tests.telegram.conftest import Harness
from tests.telegram.fake_bot_api import FakeUser

NOT_UNDERSTOOD = "didn't understand"


async def _at_the_menu(bot: Harness, user: FakeUser) -> dict[str, Any]:
    await user.send_command("/start", await bot.link_token("T-EN"))
    await user.next_messages()
    await user.send_text("1990-05-17")
    (menu,) = await user.next_messages()
    assert "What would you like to do?" in menu["text"]
    return menu


async def test_presses_on_an_old_message_and_without_a_message_are_handled(
    bot: Harness,
) -> None:
    user = bot.tg.user(801, "Alex")
    menu = await _at_the_menu(bot, user)
    await user.press_old("Pay in installments", menu)
    (plans,) = await user.next_messages()
    # Not editable any more: the answer comes as a new message, the old one untouched.
    assert "over monthly payments" in plans["text"]
    assert "✓" not in menu["text"]
    plan = dict(user.keyboard(plans))["3 monthly payments of $440.17"]
    await bot.tg.push_update(user.inline_press_update(plan))
    (confirm,) = await user.next_messages()
    assert "Shall I set up this plan?" in confirm["text"]
    await user.press("Yes, set it up")
    (done,) = await user.next_messages()
    assert "Your plan is set up" in done["text"]
    assert not any(NOT_UNDERSTOOD in text for text in user.texts)
    assert await bot.count(ArrangementRow, account_id="T-EN", kind="installment_plan") == 1
    # Every press was answered (the client's spinner stops), none with a notice.
    await _until(lambda: len(bot.tg.answered_callbacks) == 3)
    assert [a.get("text") for a in bot.tg.answered_callbacks] == [None, None, None]
    async with bot.app.sessions() as session:
        choices = list(
            (
                await session.execute(
                    select(col(TranscriptRow.text))
                    .where(col(TranscriptRow.direction) == "in")
                    .where(col(TranscriptRow.kind) == "choice")
                    .order_by(col(TranscriptRow.id))
                )
            ).scalars()
        )
    assert len(choices) == 3  # R17: the old and the inline press are kept as choices


async def test_an_old_press_on_a_passed_step_is_answered_as_stale(bot: Harness) -> None:
    user = bot.tg.user(802, "Alex")
    menu = await _at_the_menu(bot, user)
    installments = dict(user.keyboard(menu))["Pay in installments"]
    await user.press("Ask for more time", menu)
    (extension,) = await user.next_messages()
    await bot.tg.push_update(user.old_press_update(installments, menu))
    await _until(lambda: len(bot.tg.answered_callbacks) == 2)
    stale = bot.tg.answered_callbacks[1]
    assert "no longer active" in str(stale.get("text"))
    await user.press("Back", extension)
    (back,) = await user.next_messages()
    assert "What would you like to do?" in back["text"]
    # One chat's updates are handled in turn: had the stale press said anything in
    # the chat, it would have come before this answer. The presser alone saw it.
    assert user.messages[-2:] == [extension, back]
    assert not any(NOT_UNDERSTOOD in text for text in user.texts)


async def _until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    for _ in range(int(timeout / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("condition not met in time")
