"""An update whose handling gave up (the database was away longer than the retries) is
not left until the next start: the sweep hands it round again once it has waited a
while, and leaves alone what is young, handled, or not a conversation's."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.telegram.polling import CHANNEL, sweep
from bot.service.inbox import Inbox, claim_kept

START = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


def _message(update_id: int) -> dict[str, Any]:
    return {"update_id": update_id, "message": {"message_id": 1, "text": "hi"}}


async def test_the_sweep_hands_round_only_what_waited_unhandled(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    clock = Clock()
    inbox = Inbox(sessions, clock)
    await inbox.record(CHANNEL, [("1", _message(1)), ("2", _message(2))])
    await inbox.record(CHANNEL, [("3", {"update_id": 3, "edited_message": {}})])
    async with sessions() as session, session.begin():  # 2 was handled meanwhile
        await claim_kept(session, CHANNEL, "2", clock())
    clock.now = START + timedelta(seconds=40)
    await inbox.record(CHANNEL, [("4", _message(4))])  # on its way, not stale yet
    handed: list[int] = []
    stop = asyncio.Event()

    def dispatch(payload: dict[str, Any]) -> None:
        handed.append(int(payload["update_id"]))
        stop.set()  # one round is enough

    await asyncio.wait_for(sweep(inbox, dispatch, stop, every=0.01, age=timedelta(seconds=30)), 10)
    assert handed == [1]


async def test_an_unclaimed_update_is_handed_round_until_the_sweep_is_stopped(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    clock = Clock()
    inbox = Inbox(sessions, clock)
    await inbox.record(CHANNEL, [("7", _message(7))])
    clock.now = START + timedelta(minutes=5)
    handed: list[int] = []
    stop = asyncio.Event()
    task = asyncio.create_task(
        sweep(inbox, lambda p: handed.append(int(p["update_id"])), stop, every=0.01)
    )
    for _ in range(500):
        if handed:
            break
        await asyncio.sleep(0.01)
    stop.set()
    await asyncio.wait_for(task, 10)
    assert handed and set(handed) == {7}  # handed round (again each sweep until claimed)
