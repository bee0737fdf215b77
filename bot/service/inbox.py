"""The inbox: an update is written down before the channel is told it arrived.

Telegram forgets an update once the next getUpdates confirms it (or the webhook
answers 200), so the update must be in the database by then; a crash while
handling it leaves it here, and the next start hands it to the runtime again.
Handling claims the update in the runtime's transaction (exactly once) and
stamps `handled_at`, so a replayed update that was in fact handled is ignored.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col

from bot.store.tables import InboxRow, table_of

# Every batch of updates runs these: built once, run with parameters.
_INBOX = table_of(InboxRow)
_KNOWN = select(_INBOX.c.update_key).where(
    _INBOX.c.channel == bindparam("the_channel"),
    _INBOX.c.update_key.in_(bindparam("keys", expanding=True)),
)
_KEEP = insert(_INBOX)
_HANDLED = (
    update(_INBOX)
    .where(
        _INBOX.c.channel == bindparam("the_channel"),
        _INBOX.c.update_key == bindparam("the_key"),
    )
    .values(handled_at=bindparam("when"))
)


async def stamp_handled(session: AsyncSession, channel: str, key: str, now: datetime) -> None:
    """In the transaction that claims the update: it was handled, a replay is ignored."""
    await session.execute(_HANDLED, {"the_channel": channel, "the_key": key, "when": now})


class Inbox:
    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], clock: Callable[[], datetime]
    ) -> None:
        self._sessions = sessions
        self._clock = clock

    async def record(self, channel: str, updates: Sequence[tuple[str, dict[str, Any]]]) -> None:
        """Keep a batch of raw updates (key, payload); one already kept is left as it is."""
        if not updates:
            return
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

    async def unhandled(self, channel: str) -> list[dict[str, Any]]:
        """Updates kept but never handled (a crash came in between), oldest first."""
        async with self._sessions() as session:
            query = (
                select(InboxRow)
                .where(col(InboxRow.channel) == channel, col(InboxRow.handled_at).is_(None))
                .order_by(col(InboxRow.received_at), col(InboxRow.update_key))
            )
            return [dict(row.payload) for row in (await session.execute(query)).scalars()]
