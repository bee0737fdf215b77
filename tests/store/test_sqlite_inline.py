"""SQLite on the loop's thread: writers take turns, nobody blocks the loop, nothing leaks.

These run the real engine from `bot.store.db` on a real database file; the
"other process" holding the write lock is a plain sqlite3 connection in a thread,
which SQLite treats exactly like another process.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.store import sqlite_inline
from bot.store.db import create_engine
from bot.store.sqlite_inline import WriteTurn


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(f"sqlite:///{tmp_path / 'turns.db'}")
    async with engine.begin() as connection:
        await connection.execute(text("CREATE TABLE counter (n INTEGER NOT NULL)"))
        await connection.execute(text("INSERT INTO counter VALUES (0)"))
    try:
        yield engine
    finally:
        await engine.dispose()


async def _count(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        return int((await connection.execute(text("SELECT n FROM counter"))).scalar_one())


async def _increment(engine: AsyncEngine, pause: float = 0.0) -> None:
    """Read, yield to the loop, then write what was read plus one: lost updates would show."""
    async with engine.begin() as connection:
        n = (await connection.execute(text("SELECT n FROM counter"))).scalar_one()
        await asyncio.sleep(pause)
        await connection.execute(text("UPDATE counter SET n = :n"), {"n": n + 1})


async def test_many_writers_at_once_each_get_their_turn_and_none_is_lost(
    engine: AsyncEngine,
) -> None:
    await asyncio.gather(*(_increment(engine, pause=0.001) for _ in range(60)))
    assert await _count(engine) == 60


async def test_a_writer_in_another_process_is_waited_for_without_stalling_the_loop(
    engine: AsyncEngine, tmp_path: Path
) -> None:
    held = threading.Event()
    release = threading.Event()

    def other_process() -> None:
        other = sqlite3.connect(tmp_path / "turns.db", isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        other.execute("UPDATE counter SET n = n + 100")
        held.set()
        release.wait(5)
        other.execute("COMMIT")
        other.close()

    thread = threading.Thread(target=other_process)
    thread.start()
    await asyncio.to_thread(held.wait, 5)
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.005)
            ticks += 1

    ticking = asyncio.create_task(ticker())
    writing = asyncio.create_task(_increment(engine))
    await asyncio.sleep(0.3)
    assert not writing.done()  # still waiting for the other writer
    assert ticks >= 20  # and the loop went on meanwhile (about 60 at 5 ms)
    release.set()
    await asyncio.wait_for(writing, 5)
    ticking.cancel()
    thread.join()
    assert await _count(engine) == 101  # the other's write kept, ours on top of it


async def test_a_turn_held_too_long_is_reported_as_locked_and_then_freed(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_inline, "WRITE_WAIT_SECONDS", 0.2)
    async with engine.begin() as holder:
        await holder.execute(text("UPDATE counter SET n = 7"))
        with pytest.raises(Exception, match="database is locked"):
            await _increment(engine)
    # The one that gave up left no trace in the queue: the next writer goes straight in.
    await asyncio.wait_for(_increment(engine), 1)
    assert await _count(engine) == 8


async def test_a_failed_transaction_gives_its_turn_back(engine: AsyncEngine) -> None:
    with pytest.raises(ZeroDivisionError):
        async with engine.begin() as connection:
            await connection.execute(text("UPDATE counter SET n = 5"))
            _ = 1 / 0
    await asyncio.wait_for(_increment(engine), 1)
    assert await _count(engine) == 1  # the failed write was rolled back


async def test_a_statement_error_gives_its_turn_back(engine: AsyncEngine) -> None:
    with pytest.raises(Exception, match="no such table"):
        async with engine.begin() as connection:
            await connection.execute(text("UPDATE missing SET n = 1"))
    await asyncio.wait_for(_increment(engine), 1)
    assert await _count(engine) == 1


async def test_streamed_rows_arrive_in_order(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        await connection.execute(text("CREATE TABLE rows (n INTEGER)"))
        await connection.execute(
            text("INSERT INTO rows VALUES (:n)"), [{"n": n} for n in range(500)]
        )
    async with engine.connect() as connection:
        result = await connection.stream(text("SELECT n FROM rows ORDER BY n"))
        seen = [row[0] async for row in result]
    assert seen == list(range(500))


async def test_the_turn_goes_to_writers_in_the_order_they_came() -> None:
    turn = WriteTurn()
    assert turn.take_now()
    order: list[int] = []

    async def writer(n: int) -> None:
        await turn.take(5)
        order.append(n)
        await asyncio.sleep(0)
        turn.release()

    tasks = [asyncio.create_task(writer(n)) for n in range(5)]
    await asyncio.sleep(0)
    turn.release()
    await asyncio.gather(*tasks)
    assert order == [0, 1, 2, 3, 4]
    assert not turn.held


async def test_a_waiter_cancelled_as_the_turn_reaches_it_passes_the_turn_on() -> None:
    turn = WriteTurn()
    assert turn.take_now()
    first = asyncio.create_task(turn.take(5))
    second = asyncio.create_task(turn.take(5))
    await asyncio.sleep(0)
    turn.release()  # handed to `first`...
    first.cancel()  # ...which is cancelled before it runs
    with pytest.raises(asyncio.CancelledError):
        await first
    await asyncio.wait_for(second, 1)  # the turn reached the next in line
    assert turn.held
    turn.release()
    assert not turn.held
    assert turn.take_now()


async def test_a_waiter_cancelled_while_waiting_leaves_the_line() -> None:
    turn = WriteTurn()
    assert turn.take_now()
    waiting = asyncio.create_task(turn.take(5))
    await asyncio.sleep(0)
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    turn.release()
    assert not turn.held  # nobody left in line to hand it to
