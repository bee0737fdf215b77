"""What an operator sees of the outbox: the messages a channel refused for good, and
putting one back to be sent again (`repaybot outbox failed|retry`).

Only ids, the channel, the chat, times and the reason are shown: a message's text
is a borrower's business and never leaves the outbox here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col

from bot.store import live
from bot.store.tables import OutboxRow


@dataclass(frozen=True)
class FailedMessage:
    row_id: int
    channel: str
    chat_key: str
    queued_at: datetime
    attempts: int
    reason: str


async def failed_messages(
    sessions: async_sessionmaker[AsyncSession], *, limit: int
) -> list[FailedMessage]:
    """The newest failed rows first: the ones an operator has not seen yet."""
    query = (
        select(
            col(OutboxRow.id),
            col(OutboxRow.channel),
            col(OutboxRow.chat_key),
            col(OutboxRow.created_at),
            col(OutboxRow.attempts),
            col(OutboxRow.last_error),
        )
        .where(col(OutboxRow.status) == "failed")
        .order_by(col(OutboxRow.id).desc())
        .limit(limit)
    )
    async with sessions() as session:
        rows = (await session.execute(query)).all()
    return [
        FailedMessage(int(i), str(ch), str(chat), when, int(tries), str(reason or "unknown"))
        for i, ch, chat, when, tries, reason in rows
        if i is not None  # a stored row always has its id; the column type allows None
    ]


async def retry_failed(sessions: async_sessionmaker[AsyncSession], row_id: int) -> str | None:
    """Put one failed row back to pending, due at once; a running bot's outbox sends it.

    Due as of when it was queued, a time the bot's own clock wrote: the clock of the
    machine an operator types on may run ahead of the bot's. Returns the status the
    row had (only "failed" is changed), None when there is no such row. Its attempts
    start again, so a channel still down gets the full backoff; last_error stays
    until a new outcome replaces it.
    """
    async with sessions() as session, session.begin():
        status = (
            await session.execute(
                select(col(OutboxRow.status)).where(col(OutboxRow.id) == row_id).with_for_update()
            )
        ).scalar_one_or_none()
        if status == "failed":
            retried = await session.execute(
                update(OutboxRow)
                .where(col(OutboxRow.id) == row_id)
                .values(
                    status="pending",
                    attempts=0,
                    next_attempt_at=col(OutboxRow.created_at),
                    lease_owner=None,
                )
                .returning(col(OutboxRow.conversation_id))
            )
            live.mark(session, retried.scalars())  # "Sending" again, live
    return None if status is None else str(status)
