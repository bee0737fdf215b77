"""The outbox's workers and leases: who holds a row being sent, and taking back the
leases of a worker that is gone (see bot.service.outbox for the whole design)."""

from __future__ import annotations

import logging
import re
import socket
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, insert, or_, select, update
from sqlalchemy.exc import SQLAlchemyError, StatementError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.store.outbox_statements import OUTBOX, WORKERS, o

log = logging.getLogger("bot.service.outbox")  # the outbox's one logger, split or not

LEASE = timedelta(seconds=60)  # one send never takes this long; a dead worker's lease is taken back
HEARTBEAT = timedelta(seconds=5)
DEAD_AFTER = timedelta(seconds=20)  # a worker silent this long is gone
FORGET_AFTER = timedelta(days=1)  # a gone worker's row is deleted after this long
MAX_REASON = 160  # characters of an error kept in a log line or a row's last_error


@dataclass(frozen=True)
class WorkerIdentity:
    """Who holds a lease: `worker_id`, generated for each process, so no other process
    (on this machine or another) takes its leases while its heartbeat runs. `node`
    only groups workers by machine for an operator; it never decides who is alive."""

    node: str = field(default_factory=socket.gethostname)
    worker_id: str = field(default_factory=lambda: uuid.uuid4().hex)


class OutboxWorkers:
    """This process as an outbox worker: its heartbeat, and the leases it takes back."""

    _engine: AsyncEngine
    _clock: Callable[[], datetime]
    worker: WorkerIdentity
    _dead_after: timedelta
    _unmarked: dict[int, Any]  # sent, the sent mark not written yet (Outbox)

    async def _write_unmarked(self) -> None:
        raise NotImplementedError  # Outbox writes them

    async def start(self) -> None:
        """Announce this worker and take back at once the leases of workers that are gone
        (a predecessor that was killed, if its heartbeat has stopped long enough)."""
        await self.heartbeat()
        await self.take_back_leases()

    async def heartbeat(self) -> None:
        """Say this worker is alive; announce it again if its row is gone (a database
        restored without it, or pruned while this process could not reach it)."""
        now = self._clock()
        async with self._engine.begin() as connection:
            beat = await connection.execute(
                update(WORKERS)
                .where(WORKERS.c.worker_id == self.worker.worker_id)
                .values(heartbeat_at=now)
            )
            if not getattr(beat, "rowcount", 0):
                await connection.execute(
                    insert(WORKERS).values(
                        worker_id=self.worker.worker_id,
                        node=self.worker.node,
                        started_at=now,
                        heartbeat_at=now,
                    )
                )

    async def take_back_leases(self) -> int:
        """Rows leased by a worker that is gone go back to pending, due now.

        Gone: its heartbeat is older than `dead_after` (killed, or cut off from the
        database that long) or its row is deleted (it stopped cleanly). A live
        worker's leases are never taken, whatever machine or node name it has; this
        worker's own are its own. Workers gone for a day are forgotten.
        """
        now = self._clock()
        alive = select(WORKERS.c.worker_id).where(WORKERS.c.heartbeat_at > now - self._dead_after)
        async with self._engine.begin() as connection:
            result = await connection.execute(
                update(OUTBOX)
                .where(o.status == "sending")
                .where(
                    or_(
                        o.lease_owner.is_(None),
                        and_(
                            o.lease_owner != self.worker.worker_id,
                            o.lease_owner.not_in(alive),
                        ),
                    )
                )
                .values(status="pending", next_attempt_at=now, lease_owner=None)
            )
            await connection.execute(
                delete(WORKERS)
                .where(WORKERS.c.heartbeat_at < now - FORGET_AFTER)
                .where(WORKERS.c.worker_id != self.worker.worker_id)
            )
            return int(getattr(result, "rowcount", 0) or 0)

    async def stop(self) -> None:
        """Leave cleanly: this worker's row goes and its leases with it, so a successor
        or a sibling sends what it held at once instead of after `dead_after`.

        Called once serving has ended (no send of this process is in flight). Best
        effort: with the database unreachable, the stopped heartbeat says it instead.
        """
        try:
            await self._write_unmarked()
            async with self._engine.begin() as connection:
                await connection.execute(
                    update(OUTBOX)
                    .where(o.status == "sending", o.lease_owner == self.worker.worker_id)
                    # A message sent whose mark is still unwritten is not released: sent
                    # again only if its lease runs out, as after a crash.
                    .where(o.id.not_in(list(self._unmarked)))
                    .values(status="pending", next_attempt_at=self._clock(), lease_owner=None)
                )
                await connection.execute(
                    delete(WORKERS).where(WORKERS.c.worker_id == self.worker.worker_id)
                )
        except (SQLAlchemyError, OSError) as exc:
            log.warning("outbox worker could not sign off: %s", describe(exc))

    async def _beat(self) -> None:
        await self.heartbeat()
        # Another process that died mid-send must not hold its chats' messages for
        # the whole lease: its heartbeat stopped, take them.
        await self.take_back_leases()

    @staticmethod
    async def _guarded(
        step: str, action: Callable[[], Awaitable[object]], failing: dict[str, int]
    ) -> bool:
        """Run one step of a pass; an error is logged (its kind and the driver's
        message, no borrower's data) when a run of failures starts, and on recovery."""
        try:
            await action()
        except Exception as exc:  # one bad pass must not end delivery for everyone
            failing[step] = failing.get(step, 0) + 1
            if failing[step] == 1:
                log.error(
                    "outbox %s failed, trying again at the next tick: %s", step, describe(exc)
                )
            return False
        passes = failing.pop(step, 0)
        if passes:
            log.warning("outbox %s works again after %d failed passes", step, passes)
        return True


# A quoted value in a driver's message may be a statement's parameter (a borrower's
# text, a name): masked, the message still says what went wrong.
_QUOTED = re.compile(r"'[^']*'")


def describe(error: BaseException) -> str:
    """An error for a log line or a row's last_error: its kind and first line, never a
    borrower's data. SQLAlchemy's message quotes the statement, so a failed statement
    is described by the driver's error alone, with quoted values masked."""
    shown: BaseException = error
    if isinstance(error, StatementError) and isinstance(error.orig, BaseException):
        shown = error.orig
    lines = str(shown).strip().splitlines()
    text = lines[0] if lines else ""
    if shown is not error or isinstance(error, SQLAlchemyError):
        text = _QUOTED.sub("'…'", text)
    return cut_reason(f"{type(shown).__name__}: {text}" if text else type(shown).__name__)


def cut_reason(reason: str) -> str:
    return reason if len(reason) <= MAX_REASON else reason[: MAX_REASON - 1] + "…"
