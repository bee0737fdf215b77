"""Tell the console what changed, when it is committed: a new escalation, a transcript
line, a reply delivered or not.

Any process that writes (the bot, the console) marks what its transaction touched;
at commit the marks are announced. On PostgreSQL with NOTIFY inside the
transaction (delivered at commit, dropped on rollback), so every console process
hears every bot process; on SQLite, where only one process serves, through this
process's hub. The console's server-sent events listen to the hub (and, on
PostgreSQL, LISTEN feeds the hub). Marks name ids only, never what was said.

A transcript line marks its conversation by itself (the insert's parameters name
it). An outbox row's status change does not say whose it is: its writers return
the row's conversation_id and `mark` it (in an ORM session) or write through
`begin` (on a bare connection, where no session hook runs).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Iterable
from typing import Any

from sqlalchemy import text
from sqlalchemy.event import listens_for
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction, UOWTransaction

import bot.store.pending  # noqa: F401 - its commit hook writes the rows marked here first
from bot.store.tables import EscalationRow, TranscriptRow, table_of

log = logging.getLogger(__name__)

CHANNEL = "repaybot_live"
QUEUE = "queue"  # an escalation was opened or changed
AGAIN = "again"  # marks may have been missed (a listener reconnected): read everything
_KEY = "repaybot.live"
_TRANSCRIPT = table_of(TranscriptRow)
_ESCALATIONS = table_of(EscalationRow)
_NOTIFY = text("SELECT pg_notify(:channel, :payload)")


def conversation_mark(conversation_id: int) -> str:
    return f"c{conversation_id}"


def mark(session: AsyncSession, conversation_ids: Iterable[Any]) -> None:
    """These conversations changed in `session`'s transaction (an outbox row's
    status): announced when it commits, with everything else it marked."""
    _marks(session.sync_session).update(
        conversation_mark(int(c)) for c in conversation_ids if c is not None
    )


@contextlib.asynccontextmanager
async def begin(engine: AsyncEngine) -> AsyncIterator[tuple[AsyncConnection, set[str]]]:
    """A transaction on a bare connection (the outbox's sent marks, written with
    Core statements and no ORM session, so none of the hooks below run), and the
    marks to announce for it: as a session's are, in the transaction on PostgreSQL,
    to this process's hub once it committed elsewhere."""
    marks: set[str] = set()
    postgres = engine.dialect.name == "postgresql"
    async with engine.begin() as connection:
        yield connection, marks
        if marks and postgres:
            await connection.execute(
                _NOTIFY, {"channel": CHANNEL, "payload": ",".join(sorted(marks))}
            )
    if not postgres:
        for one in sorted(marks):
            HUB.publish(one)


class Hub:
    """This process's fan-out: each subscriber gets every mark, in order.

    A slow subscriber's queue is bounded; when full, its oldest marks are dropped,
    which is harmless because a mark only says "read again"."""

    def __init__(self) -> None:
        self._subscribers: set[asyncio.Queue[str]] = set()

    def publish(self, mark: str) -> None:
        for queue in list(self._subscribers):
            if queue.full():
                with contextlib.suppress(asyncio.QueueEmpty):
                    queue.get_nowait()
            queue.put_nowait(mark)

    @contextlib.asynccontextmanager
    async def subscribe(self) -> AsyncIterator[asyncio.Queue[str]]:
        queue: asyncio.Queue[str] = asyncio.Queue(maxsize=100)
        self._subscribers.add(queue)
        try:
            yield queue
        finally:
            self._subscribers.discard(queue)

    @property
    def subscribers(self) -> int:
        return len(self._subscribers)


HUB = Hub()


def _marks(session: Session) -> set[str]:
    marks: set[str] = session.info.setdefault(_KEY, set())
    return marks


@listens_for(Session, "do_orm_execute")
def _statement(state: ORMExecuteState) -> None:
    table = getattr(state.statement, "table", None)
    if table is _TRANSCRIPT and state.is_insert:
        params: Any = state.parameters
        rows = params if isinstance(params, list) else [params or {}]
        _marks(state.session).update(
            conversation_mark(int(row["conversation_id"]))
            for row in rows
            if row.get("conversation_id") is not None
        )
    elif table is _ESCALATIONS and (state.is_update or state.is_insert):
        _marks(state.session).add(QUEUE)


@listens_for(Session, "after_flush")
def _flushed(session: Session, _: UOWTransaction) -> None:
    if any(isinstance(obj, EscalationRow) for obj in (*session.new, *session.dirty)):
        _marks(session).add(QUEUE)


@listens_for(Session, "before_commit")
def _announce(session: Session) -> None:
    marks: set[str] | None = session.info.get(_KEY)
    if not marks:
        return
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        # Delivered to every listener when this commits; nothing if it rolls back.
        session.execute(_NOTIFY, {"channel": CHANNEL, "payload": ",".join(sorted(marks))})
        session.info.pop(_KEY, None)


@listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    for mark in sorted(session.info.pop(_KEY, None) or ()):
        HUB.publish(mark)


@listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(_KEY, None)


async def listen(database_url: str, hub: Hub, stop: asyncio.Event) -> None:
    """On PostgreSQL: feed every process's announcements into this process's hub
    until `stop` is set. Reconnects after a lost connection; a no-op on SQLite."""
    import asyncpg

    from bot.store.db import normalize_url

    url = normalize_url(database_url)
    if not url.startswith("postgresql"):
        return
    dsn = url.replace("postgresql+asyncpg://", "postgresql://", 1)

    def heard(_connection: Any, _pid: int, _channel: str, payload: str) -> None:
        for mark in payload.split(","):
            if mark:
                hub.publish(mark)

    while not stop.is_set():
        try:
            connection = await asyncpg.connect(dsn)
        except (OSError, asyncpg.PostgresError) as exc:
            log.warning("cannot listen for changes: %s", type(exc).__name__)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=2)
            continue
        try:
            await connection.add_listener(CHANNEL, heard)
            hub.publish(AGAIN)  # whatever happened while not listening: read again
            while not stop.is_set() and not connection.is_closed():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=5)
        finally:
            with contextlib.suppress(Exception):
                await connection.close()
