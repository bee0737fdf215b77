"""Rows written when their transaction commits: one INSERT per table, in the order added.

Every handled message writes a transcript line in, one out per reply, and an
outbox row per reply. Added as ORM objects, each went through the unit of
work (identity map, dependency sort, an INSERT ... RETURNING id per row) for
ids nobody reads. Kept here instead, they are written just before the commit
with one executemany per table, in the order they were added, so transcript ids
still follow the conversation. A transaction that rolls back writes none of
them, and a session used again starts with nothing pending.

Used for tables nobody reads back in the transaction that writes them (the
outbox and the transcript): a row added here is not visible to a query until
the commit, or until `write_pending` writes what is pending so far.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, event, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, SessionTransaction
from sqlalchemy.sql.dml import Insert

_KEY = "repaybot.insert_at_commit"
_inserts: dict[Table, Insert] = {}


def insert_at_commit(session: AsyncSession, table: Table, row: dict[str, Any]) -> None:
    """Write `row` (every column but the generated id) when `session` commits."""
    pending: dict[Table, list[dict[str, Any]]] = session.sync_session.info.setdefault(_KEY, {})
    pending.setdefault(table, []).append(row)


def _insert(table: Table) -> Insert:
    statement = _inserts.get(table)
    if statement is None:
        statement = _inserts[table] = insert(table)
    return statement


async def write_pending(session: AsyncSession) -> None:
    """Write the rows pending so far now, for a query later in this transaction
    (claiming the first reply for delivery); rows added after go at the commit."""
    await session.run_sync(_write_pending)


@event.listens_for(Session, "before_commit")
def _write_pending(session: Session) -> None:
    pending: dict[Table, list[dict[str, Any]]] | None = session.info.pop(_KEY, None)
    for table, rows in (pending or {}).items():
        session.execute(_insert(table), rows)


@event.listens_for(Session, "after_transaction_end")
def _forget_pending(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the whole transaction, not a savepoint
        session.info.pop(_KEY, None)
