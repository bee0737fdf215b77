"""No poison update (issue 33 point 4): untrusted data never raises out of its
check, and an update whose handling always fails is tried a bounded number of
times, parked with its traceback, and apologised for once."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import func, select
from sqlmodel import col

from bot.service import buttons
from bot.service.events import Inbound
from bot.service.failures import (
    AlreadyReplayed,
    NoSuchFailedUpdate,
    ReplayFailed,
    describe,
    parked,
)
from bot.store.tables import ConversationRow, FailedUpdateRow, ProcessedUpdateRow
from tests.faults import POISON, POISON_ERROR, cure, poison
from tests.runtime.conftest import CHANNEL, WebChat

SECRET = b"k" * 32
GARBAGE = [
    "1.1.1.\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9",  # non-ASCII MAC
    "\ud800",  # a lone surrogate: cannot even be encoded
    "\u00b2.1.1.abcdef012345",  # "²" passes str.isdigit, not int()
    "\u0661.1.1.abcdef012345",  # an Arabic-Indic digit: int() reads it, we do not
    "1.1.1.abcdef01234",  # a MAC one short: odd length
    "9" * 40 + ".1.1.abcdef012345",  # a number no conversation has
    " 1.1.1.abcdef012345",
    "+1.1.1.abcdef012345",
    "1_0.1.1.abcdef012345",
    "1.1.1.ABCDEF012345",
    "1.1.1.abcdef012345\n",
    "....",
    "x" * 65,
    "",
]


@pytest.mark.parametrize("data", GARBAGE)
def test_decode_refuses_what_it_cannot_read(data: str) -> None:
    assert buttons.decode(data, SECRET) is None


def test_decode_reads_what_encode_writes() -> None:
    ref = buttons.ButtonRef(conversation_id=123456789, step=42, index=7)
    data = buttons.encode(ref, SECRET)
    assert buttons.decode(data, SECRET) == ref
    assert buttons.decode(data, b"other" * 8) is None


async def test_a_garbage_press_changes_nothing_and_raises_nothing(web: WebChat) -> None:
    await web.say("g1", f"/start {await web.link('T-EN')}")
    (menu,) = await web.say("g1", "1990-05-17")
    assert menu.buttons
    before = await _conversation(web, "g1")
    for data in GARBAGE:
        assert await web.press_data("g1", "g1", data) == []
    assert await _conversation(web, "g1") == before
    assert await _count(web, FailedUpdateRow) == 0
    (after,) = await web.press("g1", menu.buttons[0][0])  # the real keyboard still works
    assert "wrong" not in after.text


async def test_an_update_that_always_fails_is_parked_with_one_apology(
    web: WebChat, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    await web.say("p1", f"/start {await web.link('T-EN')}")
    await poison(database_url)
    caplog.set_level(logging.DEBUG, logger="bot.service.runtime")
    (apology,) = await web.say("p1", POISON)
    assert "Something went wrong on our side" in apology.text
    failures = [r for r in caplog.records if "failed in webchat" in r.getMessage()]
    assert [r.getMessage().split("(try ")[1][:6] for r in failures] == [
        "1 of 3",
        "2 of 3",
        "3 of 3",
    ]
    assert all(POISON_ERROR in r.getMessage() for r in failures)  # kind and message
    assert any(r.levelno == logging.DEBUG and "Traceback" in r.getMessage() for r in caplog.records)
    assert POISON not in caplog.text  # never what the borrower wrote
    (failed,) = await parked(web.app.sessions)
    assert (failed.channel, failed.event_key, failed.attempts) == (CHANNEL, "2", 3)
    assert POISON_ERROR in failed.error
    async with web.app.sessions() as session:
        row = await session.get(FailedUpdateRow, failed.id)
        assert row is not None and "Traceback" in row.traceback
    # Claimed as it was parked: the same update again is a duplicate, no second apology.
    again = await web.app.runtime.on_inbound(Inbound(CHANNEL, "p1", "p1", "2", text=POISON))
    assert again.duplicate and again.queued == ()
    assert await _count(web, ProcessedUpdateRow, update_key="2") == 1


async def test_a_parked_update_is_replayed_once_when_its_cause_is_gone(
    web: WebChat, database_url: str
) -> None:
    await web.say("r1", f"/start {await web.link('T-EN')}")
    await poison(database_url)
    await web.say("r1", POISON)
    (failed,) = await parked(web.app.sessions)
    with pytest.raises(ReplayFailed, match=POISON_ERROR):
        await web.app.runtime.replay_failed(failed.id)  # still poisoned: stays parked
    (still,) = await parked(web.app.sessions)
    assert still.attempts == 4
    await cure(database_url)
    handled = await web.app.runtime.replay_failed(failed.id)
    assert len(handled.queued) == 1
    await web.app.outbox.deliver_chat(CHANNEL, "r1")
    assert "date of birth" in web.sender.sent["r1"][-1].text  # answered as any message
    assert await parked(web.app.sessions) == []
    with pytest.raises(AlreadyReplayed):
        await web.app.runtime.replay_failed(failed.id)
    with pytest.raises(NoSuchFailedUpdate):
        await web.app.runtime.replay_failed(failed.id + 1000)


def test_the_failure_line_never_quotes_the_input() -> None:
    inbound = Inbound(CHANNEL, "c", "u", "1", text="my card is 4111 1111")
    error = ValueError("invalid literal for int() with base 10: 'my card is 4111 1111'")
    assert (
        describe(error, inbound) == "ValueError: invalid literal for int() with base 10: '<input>'"
    )


async def _conversation(web: WebChat, chat: str) -> tuple[object, ...]:
    async with web.app.sessions() as session:
        row = (
            await session.execute(
                select(ConversationRow).where(col(ConversationRow.chat_key) == chat)
            )
        ).scalar_one()
        return (row.step, row.frames, row.choices, row.vars, row.ended)


async def _count(web: WebChat, table: type, **where: object) -> int:
    async with web.app.sessions() as session:
        query = select(func.count()).select_from(table)
        for name, value in where.items():
            query = query.where(getattr(table, name) == value)
        return int((await session.execute(query)).scalar_one())
