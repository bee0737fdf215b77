"""The transactional outbox: replies are queued with the state, then delivered.

A channel claims pending rows, sends them, and marks them sent with the id the
channel gave the message. A crash between sending and marking resends at most
the one message in flight; the channels' idempotency keys keep that visible.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col

from bot.store.tables import OutboxRow


async def mark_sent(
    sessions: async_sessionmaker[AsyncSession],
    *,
    outbox_ids: Sequence[int],
    now: datetime,
    external_message_id: str | None = None,
) -> None:
    if not outbox_ids:
        return
    async with sessions() as session, session.begin():
        await session.execute(
            update(OutboxRow)
            .where(col(OutboxRow.id).in_(list(outbox_ids)))
            .values(status="sent", sent_at=now, external_message_id=external_message_id)
        )
