"""SQLite driven from the event loop's own thread, with writers taking turns in asyncio.

aiosqlite gives every connection a worker thread and hands each call to it and
back: a statement costs four such round trips (cursor, execute, fetch, close),
each a queue put, a thread wake-up and a write to the loop's self-pipe. For the
small statements of a conversation that hand-off costs several times the SQLite
work itself: profiles of the running bot put it at about a third of its CPU.

Here SQLAlchemy's greenlet-based async layer drives the plain `sqlite3` module
directly: a query is a C call of some microseconds on the loop's thread. The one
thing that may wait is taking the write lock, and that is never done by sleeping
inside SQLite (busy_timeout would stall the whole loop): the process's writers
queue on one asyncio lock per database file, and a lock held by *another*
process is retried with asyncio sleeps. Every transaction starts with
`BEGIN IMMEDIATE` (see `bot.store.db`), so once a transaction has begun nothing
in it waits for another writer.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
import weakref
from collections import deque
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import AsyncAdapt_aiosqlite_dbapi
from sqlalchemy.engine.interfaces import AdaptedConnection
from sqlalchemy.util.concurrency import await_

# How long a writer waits for its turn before "database is locked", as the
# busy timeout did before (a transaction that never ends must not hang others).
WRITE_WAIT_SECONDS = 30.0
_FIRST_RETRY = 0.001
_LONGEST_RETRY = 0.05


class WriteTurn:
    """One writer at a time, first come first served, handed straight to the next in line.

    Not `asyncio.Lock`: its uncontended acquire is still a coroutine, and awaiting it
    from SQLAlchemy's sync layer costs a greenlet switch per transaction. Invariant:
    someone waits only while someone holds, because a release with waiters hands
    the turn over instead of freeing it.
    """

    __slots__ = ("_held", "_waiting")

    def __init__(self) -> None:
        self._held = False
        self._waiting: deque[asyncio.Future[None]] = deque()

    @property
    def held(self) -> bool:
        return self._held

    def take_now(self) -> bool:
        if self._held:
            return False
        self._held = True
        return True

    async def take(self, seconds: float) -> None:
        """Wait for the turn; "database is locked" after `seconds`, as SQLite would say."""
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append(future)
        try:
            async with asyncio.timeout(seconds):
                await future
        except BaseException as error:
            if future.done() and not future.cancelled():
                self.release()  # handed over just as we gave up: pass it on
            else:
                self._waiting.remove(future)
            if isinstance(error, TimeoutError):
                raise sqlite3.OperationalError("database is locked") from None
            raise

    def release(self) -> None:
        while self._waiting:
            future = self._waiting.popleft()
            if not future.done():
                future.set_result(None)
                return
        self._held = False


_turns: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, WriteTurn]] = (
    weakref.WeakKeyDictionary()
)


def _turn(database: str) -> WriteTurn:
    """The writers' queue for one database file on the running loop."""
    per_file = _turns.setdefault(asyncio.get_running_loop(), {})
    turn = per_file.get(database)
    if turn is None:
        turn = per_file[database] = WriteTurn()
    return turn


def _locked(error: sqlite3.OperationalError) -> bool:
    return getattr(error, "sqlite_errorcode", None) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


async def _nothing() -> None:
    return None


class InlineCursor(sqlite3.Cursor):
    """A `sqlite3` cursor with the one hook SQLAlchemy's async results call on theirs."""

    async def _async_soft_close(self) -> None:
        """Nothing to do: rows are read by direct calls whenever they are fetched."""


class InlineConnection(AdaptedConnection):
    """A `sqlite3` connection as SQLAlchemy's async engine expects a driver connection."""

    __slots__ = ("_database", "_holding", "_sqlite", "dbapi")

    def __init__(self, dbapi: InlineSQLite, connection: sqlite3.Connection, database: str):
        self.dbapi = dbapi
        self._sqlite = connection
        # What SQLAlchemy hands out as the driver connection (`driver_connection`).
        self._connection = connection  # type: ignore[assignment]
        self._database = database
        self._holding: WriteTurn | None = None

    def cursor(self, server_side: bool = False) -> InlineCursor:
        # SQLAlchemy's AsyncConnection refuses a statement that never awaited
        # (it takes that for a sync driver by mistake): one no-op await per
        # statement is a greenlet switch of a microsecond or two, not a thread hop.
        # A server-side cursor only matters when a fetch would leave the thread;
        # here every fetch is a direct call, so one cursor kind serves both.
        await_(_nothing())
        return self._sqlite.cursor(InlineCursor)

    @property
    def isolation_level(self) -> str | None:
        return self._sqlite.isolation_level

    @isolation_level.setter
    def isolation_level(self, value: str | None) -> None:
        self._sqlite.isolation_level = value  # type: ignore[assignment]

    def create_function(self, *args: Any, **kwargs: Any) -> None:
        self._sqlite.create_function(*args, **kwargs)

    def begin_immediate(self) -> None:
        """Take this process's write turn, then SQLite's write lock, without blocking the loop."""
        turn = _turn(self._database)
        if not turn.take_now():
            await_(turn.take(WRITE_WAIT_SECONDS))
        self._holding = turn
        try:
            self._begin_against_other_processes()
        except BaseException:
            self._release()
            raise

    def _begin_against_other_processes(self) -> None:
        deadline = time.monotonic() + WRITE_WAIT_SECONDS
        pause = _FIRST_RETRY
        while True:
            try:
                self._sqlite.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as error:
                if not _locked(error) or time.monotonic() + pause > deadline:
                    raise
            await_(asyncio.sleep(pause))
            pause = min(pause * 2, _LONGEST_RETRY)

    def _release(self) -> None:
        turn, self._holding = self._holding, None
        if turn is not None:
            turn.release()

    def commit(self) -> None:
        try:
            self._sqlite.commit()
        finally:
            self._release()

    def rollback(self) -> None:
        try:
            self._sqlite.rollback()
        finally:
            self._release()

    def close(self) -> None:
        try:
            self._sqlite.close()
        finally:
            self._release()

    def terminate(self) -> None:
        self.close()


class InlineSQLite(AsyncAdapt_aiosqlite_dbapi):
    """The DBAPI module SQLAlchemy's aiosqlite dialect is given instead of aiosqlite's."""

    def __init__(self) -> None:
        super().__init__(aiosqlite, sqlite3)

    def connect(self, *args: Any, **kwargs: Any) -> InlineConnection:  # type: ignore[override]
        database = str(kwargs.pop("database", args[0] if args else ""))
        kwargs.pop("async_creator_fn", None)
        # No sleeping inside SQLite: a busy lock is retried above, on the loop.
        kwargs["timeout"] = 0
        kwargs["check_same_thread"] = False
        kwargs["isolation_level"] = None
        connection = sqlite3.connect(database, *args[1:], **kwargs)
        return InlineConnection(self, connection, database)
