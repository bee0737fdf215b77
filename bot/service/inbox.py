"""The inbox: an update is written down before the channel is told it arrived.

Telegram forgets an update once the next getUpdates confirms it (or the webhook
answers 200), so the update must be in the database by then; a crash while
handling it leaves it here, and the next start hands it to the runtime again.
Handling claims the update in the runtime's transaction (exactly once), stamps
`handled_at` and drops the raw update (R18: it holds the borrower's words and
Telegram profile), so a replayed update that was in fact handled is ignored and
nothing of it is kept beyond the transcript.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from enum import Enum
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col

from bot.store.retry import retrying
from bot.store.tables import InboxRow, table_of

# Every batch of updates runs these: built once, run with parameters.
_INBOX = table_of(InboxRow)
_KNOWN = select(_INBOX.c.update_key).where(
    _INBOX.c.channel == bindparam("the_channel"),
    _INBOX.c.update_key.in_(bindparam("keys", expanding=True)),
)
_KEEP = insert(_INBOX)
_FIRST_HANDLING = (
    update(_INBOX)
    .where(
        _INBOX.c.channel == bindparam("the_channel"),
        _INBOX.c.update_key == bindparam("the_key"),
        _INBOX.c.handled_at.is_(None),
    )
    # R18: the raw update is dropped in the very transaction that handles it: it
    # commits with the handling (a crash before leaves it whole for the replay), and
    # the row stays as the claim a redelivery is recognised by.
    .values(handled_at=bindparam("when"), payload=bindparam("dropped"))
)
DROPPED: dict[str, Any] = {}  # what a handled update's payload becomes
_KEPT = select(_INBOX.c.handled_at).where(
    _INBOX.c.channel == bindparam("the_channel"),
    _INBOX.c.update_key == bindparam("the_key"),
)


class Claim(Enum):
    """What the inbox says of an update the runtime is about to handle."""

    FIRST = "first"  # kept and never handled: it is handled now, in this transaction
    HANDLED = "handled"  # kept and handled before: a replay, ignored
    NOT_KEPT = "not_kept"  # never kept here: the caller decides another way


async def claim_kept(session: AsyncSession, channel: str, key: str, now: datetime) -> Claim:
    """Stamp the kept update handled, in the transaction that handles it.

    The stamp is the claim: one UPDATE whose WHERE wants it unhandled. A second
    handler racing in waits for the first one's row lock (PostgreSQL) or write
    lock (SQLite), finds it stamped and changes nothing. Only when nothing was
    stamped does a second statement tell a replay from an update never kept.
    """
    params = {"the_channel": channel, "the_key": key}
    stamped = await session.execute(_FIRST_HANDLING, {**params, "when": now, "dropped": DROPPED})
    if int(getattr(stamped, "rowcount", 0) or 0) == 1:
        return Claim.FIRST
    kept = (await session.execute(_KEPT, params)).first()
    return Claim.NOT_KEPT if kept is None else Claim.HANDLED


class Inbox:
    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], clock: Callable[[], datetime]
    ) -> None:
        self._sessions = sessions
        self._clock = clock

    async def record(self, channel: str, updates: Sequence[tuple[str, dict[str, Any]]]) -> None:
        """Keep a batch of raw updates (key, payload); one already kept is left as it is.

        A dropped connection is retried (bot.store.retry): running the batch again
        is harmless, what the first try kept is found known. Raises when the
        database stays out of reach: the caller must not confirm the batch then."""
        if not updates:
            return
        await retrying(lambda: self._record(channel, updates), what="inbox write")

    async def _record(self, channel: str, updates: Sequence[tuple[str, dict[str, Any]]]) -> None:
        now = self._clock()
        async with self._sessions() as session, session.begin():
            keys = [key for key, _ in updates]
            found = await session.execute(_KNOWN, {"the_channel": channel, "keys": keys})
            known = set(found.scalars())
            new = []
            for key, payload in updates:
                if key not in known:
                    new.append(
                        {
                            "channel": channel,
                            "update_key": key,
                            "payload": payload,
                            "received_at": now,
                            "handled_at": None,
                        }
                    )
                    known.add(key)
            if new:
                await session.execute(_KEEP, new)

    async def unhandled(
        self, channel: str, *, older_than: timedelta | None = None
    ) -> list[dict[str, Any]]:
        """Updates kept but never handled (a crash came in between), oldest first;
        with `older_than`, only those kept at least that long ago.

        A parked update (bot.service.failures) is stamped handled: never replayed here."""
        before = self._clock() - older_than if older_than is not None else None
        return await retrying(lambda: self._unhandled(channel, before), what="inbox replay")

    async def _unhandled(self, channel: str, before: datetime | None) -> list[dict[str, Any]]:
        async with self._sessions() as session:
            query = (
                select(InboxRow)
                .where(col(InboxRow.channel) == channel, col(InboxRow.handled_at).is_(None))
                .order_by(col(InboxRow.received_at), col(InboxRow.update_key))
            )
            if before is not None:
                query = query.where(col(InboxRow.received_at) < before)
            return [dict(row.payload) for row in (await session.execute(query)).scalars()]
