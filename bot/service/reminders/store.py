"""The reminders' own statements: queue once, put a held one back, claim what is due,
settle how it went. Reading the portfolio is bot.service.reminders.portfolio."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    and_,
    or_,
    select,
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
BATCH = 5000
# Reminders still to go out: what a stage already has in this cycle.
OPEN = ("queued", "sending", "sent", "superseded", "person", "skipped")
HISTORY_DAYS = 8  # R2 looks back 7 days; one more for the borrower's own day


async def queue(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> int:
    """Insert reminders; one already there (same account, stage, cycle) is left as it is."""
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
