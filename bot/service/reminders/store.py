"""The reminders' own statements: queue once (a batch in one statement), put a held
one back, claim what is due, settle how it went. Reading the portfolio is
bot.service.reminders.portfolio."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    DateTime,
    and_,
    bindparam,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.tables import (
    AccountRow,
    ArrangementRow,
    ChannelLinkRow,
    ChargeRow,
    ConversationRow,
    EscalationRow,
    ReminderRow,
    table_of,
)

ACCOUNTS = table_of(AccountRow)
CHARGES = table_of(ChargeRow)
CONVERSATIONS = table_of(ConversationRow)
LINKS = table_of(ChannelLinkRow)
ARRANGEMENTS = table_of(ArrangementRow)
REMINDERS = table_of(ReminderRow)
ESCALATIONS = table_of(EscalationRow)
BATCH = 20_000
# Reminders still to go out: what a stage already has in this cycle.
OPEN = ("queued", "sending", "sent", "superseded", "person", "skipped")
HISTORY_DAYS = 8  # R2 looks back 7 days; one more for the borrower's own day


# A reminder to insert: account, stage, cycle (its due date), conversation, send_at, reason.
NewReminder = tuple[str, str, date, int | None, datetime | None, str | None]
# One statement a batch: the rows travel as arrays (PostgreSQL) or one JSON array
# (SQLite) and the database unpacks them, instead of a statement's parameters per row.
# The statements are built once and a batch's rows go in as execute()'s parameters:
# `statement.bindparams(rows=...)` would clone the statement per batch, and SQLAlchemy's
# cloned bound parameters sit in a reference cycle (`_cloned_set` holds the parameter
# itself), so each batch's rows (a megabyte or more) would wait for the cyclic
# collector, and the compiled cache would keep the first batch's for the process's life.
_NOW = bindparam("now", type_=DateTime(timezone=True))
_POSTGRESQL = text(
    "INSERT INTO reminders (account_id, stage, cycle, conversation_id, status, send_at,"
    " reason, attempts, created_at, updated_at, sent_at)"
    " SELECT a, s, c, conv, CAST(:status AS VARCHAR), t, r, 0,"
    " CAST(:now AS TIMESTAMPTZ), CAST(:now AS TIMESTAMPTZ), NULL"
    " FROM unnest(CAST(:accounts AS VARCHAR[]), CAST(:stages AS VARCHAR[]),"
    " CAST(:cycles AS DATE[]), CAST(:conversations AS INTEGER[]),"
    " CAST(:send_at AS TIMESTAMPTZ[]), CAST(:reasons AS VARCHAR[])) AS u(a, s, c, conv, t, r)"
    " ON CONFLICT (account_id, stage, cycle) DO NOTHING RETURNING account_id"
).bindparams(_NOW)
_SQLITE = text(
    "INSERT INTO reminders (account_id, stage, cycle, conversation_id, status, send_at,"
    " reason, attempts, created_at, updated_at, sent_at)"
    " SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'),"
    " json_extract(value, '$[2]'), json_extract(value, '$[3]'), :status,"
    " json_extract(value, '$[4]'), json_extract(value, '$[5]'), 0, :now, :now, NULL"
    " FROM json_each(:rows) WHERE true"  # WHERE: SQLite reads ON CONFLICT as a join otherwise
    " ON CONFLICT (account_id, stage, cycle) DO NOTHING RETURNING account_id"
).bindparams(_NOW)


async def queue_many(
    session: AsyncSession, status: str, rows: Sequence[NewReminder], now: datetime
) -> list[str]:
    """Insert a batch of reminders of one status in one statement; one already there
    (same account, stage, cycle) is left as it is. The accounts whose row was inserted."""
    if not rows:
        return []
    dialect = session.get_bind().dialect
    if dialect.name == "postgresql":
        accounts, stages, cycles, conversations, send_at, reasons = zip(*rows, strict=True)
        statement = _POSTGRESQL
        values: dict[str, Any] = {
            "accounts": list(accounts),
            "stages": list(stages),
            "cycles": list(cycles),
            "conversations": list(conversations),
            "send_at": list(send_at),
            "reasons": list(reasons),
        }
    else:
        # As SQLAlchemy itself writes a date and a UTC moment into SQLite's text columns.
        day = REMINDERS.c.cycle.type.dialect_impl(dialect).bind_processor(dialect)
        moment = REMINDERS.c.send_at.type.dialect_impl(dialect).bind_processor(dialect)
        assert day is not None and moment is not None  # noqa: S101 - SQLite has both
        packed = json.dumps(
            [
                (a, s, day(c), conv, moment(t.astimezone(UTC)) if t else None, r)
                for a, s, c, conv, t, r in rows
            ]
        )
        statement, values = _SQLITE, {"rows": packed}
    result = await session.execute(statement, {"status": status, "now": now, **values})
    return list(result.scalars())


async def queue(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> int:
    """Insert whole reminder rows (any status, as a sent follow-up is kept for R2);
    one already there (same account, stage, cycle) is left as it is. The planner's
    batches go through `queue_many` instead."""
    if not rows:
        return 0
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(REMINDERS).on_conflict_do_nothing(
        index_elements=["account_id", "stage", "cycle"]
    )
    result = await session.execute(statement.returning(REMINDERS.c.id), list(rows))
    return len(result.all())


async def requeue_held(
    session: AsyncSession, account_id: str, stage: str, cycle: date, values: dict[str, Any]
) -> int:
    """A held reminder whose hold has lifted goes back in the queue (once: conditional)."""
    statement = (
        update(REMINDERS)
        .where(
            REMINDERS.c.account_id == account_id,
            REMINDERS.c.stage == stage,
            REMINDERS.c.cycle == cycle,
            REMINDERS.c.status == "held",
        )
        .values(**values)
    )
    result = await session.execute(statement)
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


# A claim left by a process that stopped mid-send is taken back after this long;
# the runtime's claim of the trigger key keeps a second send from happening.
STALE_CLAIM = timedelta(minutes=10)


async def claim_due(session: AsyncSession, now: datetime, limit: int) -> list[Any]:
    """Claim up to `limit` reminders whose moment has come: a conditional UPDATE, so
    of several processes exactly one gets each row, on SQLite and PostgreSQL alike."""
    due = (
        select(REMINDERS.c.id)
        .where(
            or_(
                and_(REMINDERS.c.status == "queued", REMINDERS.c.send_at <= now),
                and_(REMINDERS.c.status == "sending", REMINDERS.c.updated_at <= now - STALE_CLAIM),
            )
        )
        .order_by(REMINDERS.c.send_at)
        .limit(limit)
        .scalar_subquery()
    )
    statement = (
        update(REMINDERS)
        .where(REMINDERS.c.id.in_(due), REMINDERS.c.status.in_(("queued", "sending")))
        .where(or_(REMINDERS.c.status == "queued", REMINDERS.c.updated_at <= now - STALE_CLAIM))
        .values(status="sending", updated_at=now, attempts=REMINDERS.c.attempts + 1)
        .returning(
            REMINDERS.c.id,
            REMINDERS.c.account_id,
            REMINDERS.c.stage,
            REMINDERS.c.cycle,
            REMINDERS.c.conversation_id,
        )
    )
    return list(await session.execute(statement))


async def settle(session: AsyncSession, reminder_id: int, values: dict[str, Any]) -> None:
    """Record how one claimed reminder ended (sent, held, superseded, queued again)."""
    await session.execute(update(REMINDERS).where(REMINDERS.c.id == reminder_id).values(**values))
