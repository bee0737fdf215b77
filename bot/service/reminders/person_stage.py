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

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from bot.engine.types import EscalationReason, Priority
from bot.service import escalations, worklist
from bot.service.reminders.store import REMINDERS, NewReminder, queue_many


def ticket() -> str:
    """A case reference like the others in the queue."""
    return f"T-{uuid4().hex[:10].upper()}"


async def hand_to_person(session: AsyncSession, rows: Sequence[NewReminder], now: datetime) -> int:
    """Record each person's stage and open its case; returns how many cases opened."""
    recorded = set(await queue_many(session, "person", rows, now))
    opened = 0
    for account_id, stage, cycle, conversation_id, _, _ in rows:
        if account_id not in recorded:
            continue  # recorded before, and its case opened then
        if await escalations.open_unless_open(
            session,
            ticket=ticket(),
            account_id=account_id,
            conversation_id=conversation_id,
            reason=EscalationReason.REMINDER_STAGE,
            priority=Priority.NORMAL,
            now=now,
            note=stage,
        ):
            opened += 1
            # Its place in the worklist (days past due x amount), as every writer of a case does.
            await worklist.reweigh(session, now, [account_id])
            continue
        await session.execute(
            delete(REMINDERS).where(
                REMINDERS.c.account_id == account_id,
                REMINDERS.c.stage == stage,
                REMINDERS.c.cycle == cycle,
            )
        )
    return opened
