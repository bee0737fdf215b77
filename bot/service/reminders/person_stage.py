"""A stage of the cadence that is a person's (policy `person: true`, day +30 by
default): the planner records it and opens a case in the agents' queue, once.

Once per account, stage and due date however often and on however many processes
the planner runs: the reminder row's unique key decides, and the case is opened in
the same transaction as the row, only by the run whose insert went in (on
PostgreSQL a second process's insert waits for the first to commit, then finds the
row). Not while the account has a case open or taken: the row is taken back in the
same transaction, so the stage is looked at again once that case is closed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import uuid4

from sqlalchemy import bindparam, delete
from sqlalchemy.ext.asyncio import AsyncSession

from bot.engine.types import EscalationReason, Priority
from bot.service.escalations.bulk import open_many_unless_open
from bot.service.reminders.store import REMINDERS, NewReminder, queue_many


def ticket() -> str:
    """A case reference like the others in the queue."""
    return f"T-{uuid4().hex[:10].upper()}"


async def hand_to_person(session: AsyncSession, rows: Sequence[NewReminder], now: datetime) -> int:
    """Record each person's stage and open its case; returns how many cases opened.
    A batch's cases are opened in one executemany, each with its place in the
    worklist (days past due x amount) as it goes in: one at a time they cost some
    5 ms of CPU each, and a portfolio's day can bring tens of thousands (a third of
    the benchmark's accounts)."""
    recorded = set(await queue_many(session, "person", rows, now))
    fresh = [row for row in rows if row[0] in recorded]  # the others: recorded before
    opened = await open_many_unless_open(
        session,
        [
            (ticket(), account_id, conversation_id, stage)
            for account_id, stage, _, conversation_id, _, _ in fresh
        ],
        reason=EscalationReason.REMINDER_STAGE,
        priority=Priority.NORMAL,
        now=now,
    )
    # A stage whose account has a case open already is taken back (see the module).
    taken_back = [
        {"account": account_id, "stage": stage, "cycle": cycle}
        for account_id, stage, cycle, _, _, _ in fresh
        if account_id not in opened
    ]
    if taken_back:
        await session.execute(_TAKE_BACK, taken_back)
    return len(opened)


_TAKE_BACK = delete(REMINDERS).where(
    REMINDERS.c.account_id == bindparam("account"),
    REMINDERS.c.stage == bindparam("stage"),
    REMINDERS.c.cycle == bindparam("cycle", type_=REMINDERS.c.cycle.type),
)
