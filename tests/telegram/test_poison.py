"""No poison update over Telegram (issue 33 point 4), with either framework: a
press with garbage data changes nothing, and an update whose handling always
fails gets one apology, is parked, is not replayed by a restart, and is listed
and replayed by `repaybot inbox failed` / `repaybot inbox retry ID`."""

from __future__ import annotations

import asyncio

import pytest

from bot.bootstrap import build_app
from bot.channels.telegram.runner import TelegramOptions, run
from bot.commands import inbox_failed, inbox_retry
from bot.config import Settings
from bot.service.inbox import Inbox
from bot.store.tables import FailedUpdateRow, InboxRow
from tests.faults import POISON, POISON_ERROR, cure, poison
from tests.telegram.conftest import Harness, clock

GARBAGE = [
    "1.1.1.\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9",
    "\u00b2.1.1.abcdef012345",
    "\ud800",
    "9" * 64,
]


async def test_a_garbage_press_changes_nothing(bot: Harness) -> None:
    user = bot.tg.user(621, "Alex")
    await user.send_command("/start", await bot.link_token("T-EN"))
    await user.next_messages()
    await user.send_text("1990-05-17")
    (menu,) = await user.next_messages()
    shown = user.keyboard(menu)
    for data in GARBAGE:
        await user.press_data(data, menu)
    await user.press("Pay in installments", menu)  # the live keyboard still works
    (options,) = await user.next_messages()
    assert "monthly payments" in str(user.keyboard(options))
    assert len(bot.tg.method_calls("answerCallbackQuery")) == len(GARBAGE) + 1
    assert not any("went wrong" in t for t in user.texts)
    assert len(user.messages) == 3 and shown  # nothing said for the garbage
    assert await bot.count(FailedUpdateRow) == 0
    assert await Inbox(bot.app.sessions, clock).unhandled("telegram") == []


async def test_an_update_that_always_fails_is_parked_once_and_replayed_by_hand(
    bot: Harness, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    user = bot.tg.user(622, "Alex")
    await user.send_command("/start", await bot.link_token("T-EN"))
    await user.next_messages()
    await poison(database_url)
    await user.send_text(POISON)
    (apology,) = await user.next_messages()
    assert "Something went wrong on our side" in apology["text"]
    await user.send_text("1990-05-17")  # the conversation goes on
    (statement,) = await user.next_messages()
    assert "Total due" in statement["text"]
    assert await bot.count(FailedUpdateRow, attempts=3) == 1
    assert await Inbox(bot.app.sessions, clock).unhandled("telegram") == []

    # A process starting on the same database, as a restart would, replays nothing.
    settings = Settings(
        database_url=database_url, telegram_token=bot.tg.token, telegram_api_url=bot.tg.base_url
    )
    restarted = await build_app(settings, clock=clock)
    stop = asyncio.Event()
    options = TelegramOptions(token=bot.tg.token, api_url=bot.tg.base_url, poll_timeout=1)
    serving = asyncio.create_task(run(restarted, options, stop))
    try:
        await user.send_text("/help")
        (help_text,) = await user.next_messages()
        assert "/human" in help_text["text"]
    finally:
        stop.set()
        await asyncio.wait_for(serving, 30)
        await restarted.close()
    assert sum("went wrong" in t for t in user.texts) == 1  # one apology, ever

    assert await inbox_failed(settings) == 0
    listed = capsys.readouterr().out.splitlines()
    assert len(listed) == 2 and POISON_ERROR in listed[1]
    assert POISON not in "\n".join(listed)  # no borrower's text in the listing
    failed_id = int(listed[1].split("\t")[0])
    await cure(database_url)
    assert await inbox_retry(settings, failed_id, clock=clock) == 0
    (answer,) = await user.next_messages()  # sent by the running bot
    assert "went wrong" not in answer["text"]
    assert await inbox_retry(settings, failed_id, clock=clock) == 1  # replayed once only
    assert await inbox_retry(settings, failed_id + 1000, clock=clock) == 2  # no such id
    errors = capsys.readouterr().err
    assert "replayed already" in errors and f"No failed update {failed_id + 1000}" in errors
    assert await inbox_failed(settings) == 0
    assert capsys.readouterr().out.strip() == "No failed updates."
    assert await bot.count(InboxRow) == 4  # start, poison, birth date, help
