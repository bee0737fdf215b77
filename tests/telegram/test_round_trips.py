"""How many transactions one borrower message costs, through either adapter.

Three that write: the inbox keeps the update, the event's own transaction
handles it and claims its reply for delivery, and one marks the reply sent. A
fourth (claiming the reply on its own) would cost every message a commit.

On PostgreSQL each call to Telegram also books the bot's next sending slot in the
shared send_rates row first (issue 31: one pace per bot token, whatever the number
of processes), one UPDATE in a short transaction of its own. It cannot join the
handling's transaction (that would hold the row every process books from for as
long as a message is handled) nor the one that marks the reply sent (it must come
before the call). On SQLite one process serves and keeps its slots in memory.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from bot.store.tables import OutboxRow
from tests.telegram.conftest import Harness

WRITES = ("INSERT", "UPDATE", "DELETE")


@contextmanager
def transactions(bot: Harness) -> Iterator[list[list[str]]]:
    """The statements of each transaction committed meanwhile, in commit order."""
    committed: list[list[str]] = []
    open_ones: dict[int, list[str]] = {}
    engine = bot.app.engine.sync_engine

    def began(connection: Any) -> None:
        open_ones[id(connection)] = []

    def executed(connection: Any, *args: Any) -> None:
        statement = " ".join(str(args[1]).split())
        open_ones.setdefault(id(connection), []).append(statement)

    def commit(connection: Any) -> None:
        committed.append(open_ones.pop(id(connection), []))

    def rollback(connection: Any) -> None:
        open_ones.pop(id(connection), None)

    hooks = {
        "begin": began,
        "before_cursor_execute": executed,
        "commit": commit,
        "rollback": rollback,
    }
    for name, hook in hooks.items():
        event.listen(engine, name, hook)
    try:
        yield committed
    finally:
        for name, hook in hooks.items():
            event.remove(engine, name, hook)


def _writes(statements: list[str]) -> list[str]:
    return [s for s in statements if s.startswith(WRITES) and "workers" not in s]


async def _settled(bot: Harness) -> None:
    for _ in range(100):
        if await bot.count(OutboxRow, status="sending") == 0:
            return
        await asyncio.sleep(0.02)
    raise AssertionError("a reply was never marked sent")


async def test_a_message_costs_three_writing_transactions(bot: Harness) -> None:
    user = bot.tg.user(61)
    await user.send_command("/start", await bot.link_token("T-EN"))
    await user.next_messages()
    await user.send_text("1990-05-17")
    await user.next_messages()
    await _settled(bot)

    calls_before = len(bot.tg.counted_calls)
    with transactions(bot) as committed:
        await user.send_text("/help")
        (answer,) = await user.next_messages()
        await _settled(bot)
    assert "help" in answer["text"].lower()
    calls = len(bot.tg.counted_calls) - calls_before

    writing = [w for w in (_writes(t) for t in committed) if w]
    booked = [w for w in writing if any("send_rates" in s for s in w)]
    # A booking is one statement, once per call to Telegram (the send, and the edit
    # taking the last question's keyboard away), and only where processes share it.
    assert all(len(w) == 1 and w[0].startswith("UPDATE send_rates SET") for w in booked)
    shared = bot.app.engine.dialect.name == "postgresql"
    assert len(booked) == (calls if shared else 0), (calls, booked)
    writing = [w for w in writing if w not in booked]
    assert len(writing) == 3, writing
    kept, handled, sent = writing
    assert kept[-1].startswith("INSERT INTO inbox")
    # The update is claimed by stamping its inbox row, and its raw payload is dropped
    # in that same statement (R18: keep only what is needed), with nothing else to write.
    assert handled[0].startswith("UPDATE inbox SET ")
    assert "payload=" in handled[0] and "handled_at=" in handled[0]
    assert not any(s.startswith("UPDATE inbox") for s in handled[1:])
    assert not any("processed_updates" in s for s in handled)
    assert any(s.startswith("INSERT INTO outbox") for s in handled)
    # The claim of the reply, after the reply, in the same transaction.
    assert handled[-1].startswith("UPDATE outbox SET status=")
    assert any("sent_at=" in s for s in sent)
