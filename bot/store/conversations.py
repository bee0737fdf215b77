"""The runtime's statements: claiming an event, and reading and saving a conversation.

Every event runs these, so each is built once (building a statement costs more
than running it on SQLite) and run with parameters, in the caller's session.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Row, bindparam, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import Update

from bot.store.tables import AccountRow, ConversationRow, OutboxRow, ProcessedUpdateRow, table_of

_PROCESSED = table_of(ProcessedUpdateRow)
_CONVERSATIONS = table_of(ConversationRow)
_OUTBOX = table_of(OutboxRow)

# Claiming an event: one INSERT ... ON CONFLICT DO NOTHING per dialect.
_CLAIM_EVENT: dict[str, Any] = {
    "postgresql": postgresql_insert(_PROCESSED).on_conflict_do_nothing(),
    "sqlite": sqlite_insert(_PROCESSED).on_conflict_do_nothing(),
}
_CONVERSATION = (
    select(_CONVERSATIONS)
    .where(
        _CONVERSATIONS.c.channel == bindparam("the_channel"),
        _CONVERSATIONS.c.chat_key == bindparam("the_chat"),
    )
    .with_for_update()
)
# The latest row sent as a channel message (ix_outbox_chat finds it).
_SHOWN_AS = (
    select(_OUTBOX.c.payload)
    .where(_OUTBOX.c.channel == bindparam("the_channel"))
    .where(_OUTBOX.c.chat_key == bindparam("the_chat"))
    .where(_OUTBOX.c.external_message_id == bindparam("the_message"))
    .order_by(_OUTBOX.c.id.desc())
    .limit(1)
)
# One UPDATE per set of columns saved (the record's columns: in practice one).
_saves: dict[tuple[str, ...], Update] = {}


async def claim_processed(session: AsyncSession, channel: str, key: str, now: datetime) -> bool:
    """Claim an event by its key in processed_updates; False when it was claimed before.

    A duplicate, even one racing in from another process, is recognised without an
    error that would end the transaction (ON CONFLICT DO NOTHING)."""
    claim = _CLAIM_EVENT[session.get_bind().dialect.name]
    claimed = await session.execute(
        claim, {"channel": channel, "update_key": key, "processed_at": now}
    )
    return int(getattr(claimed, "rowcount", 0) or 0) == 1


async def conversation_of_chat(
    session: AsyncSession, channel: str, chat_key: str
) -> Row[Any] | None:
    """The chat's conversation row, locked: on PostgreSQL by the row lock (and by BEGIN
    IMMEDIATE on SQLite), so one chat's events are handled one after the other,
    whichever process receives them. A Core row: the event only reads it, and saves
    its record with one UPDATE (`save_conversation`)."""
    found = await session.execute(_CONVERSATION, {"the_channel": channel, "the_chat": chat_key})
    return found.one_or_none()


async def locked_conversation(
    session: AsyncSession, conversation_id: int
) -> ConversationRow | None:
    """The conversation by id, locked for the rest of the transaction."""
    return await session.get(ConversationRow, conversation_id, with_for_update=True)


async def account_row(session: AsyncSession, account_id: str) -> AccountRow | None:
    """The account as an ORM object, for a change its flush writes only if it differs."""
    return await session.get(AccountRow, account_id)


async def save_conversation(
    session: AsyncSession, conversation_id: int, columns: Mapping[str, object], now: datetime
) -> None:
    """The conversation's `columns` as given, with one prebuilt UPDATE: the ORM's flush
    of the row (each attribute's history, the JSON columns compared by value) cost
    more than the statement."""
    names = tuple(columns)
    statement = _saves.get(names)
    if statement is None:
        statement = _saves[names] = (
            update(_CONVERSATIONS)
            .where(_CONVERSATIONS.c.id == bindparam("the_id"))
            .values({name: bindparam(f"new_{name}") for name in (*names, "updated_at")})
        )
    values = {f"new_{name}": value for name, value in columns.items()}
    await session.execute(statement, {**values, "new_updated_at": now, "the_id": conversation_id})


async def shown_payload(
    session: AsyncSession, channel: str, chat_key: str, message_key: str
) -> Any:
    """The payload of the latest outbox row sent as this channel message (a
    multi-select edited in place is one message for several rows), or None."""
    found = await session.execute(
        _SHOWN_AS, {"the_channel": channel, "the_chat": chat_key, "the_message": message_key}
    )
    return found.scalar_one_or_none()
