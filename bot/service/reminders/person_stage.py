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

from sqlalchemy import bindparam, delete, exists, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.engine.types import EscalationReason, Priority
from bot.service import escalations, worklist
from bot.service.reminders.store import REMINDERS, NewReminder, queue_many
from bot.store.tables import EscalationRow, table_of

_CASES = table_of(EscalationRow)


def ticket() -> str:
    """A case reference like the others in the queue."""
    return f"T-{uuid4().hex[:10].upper()}"


async def hand_to_person(session: AsyncSession, rows: Sequence[NewReminder], now: datetime) -> int:
    """Record each person's stage and open its case; returns how many cases opened.
    A batch's cases are opened in one executemany and weighed for the worklist
    together: one at a time they cost some 5 ms of CPU each, and a portfolio's day
    can bring tens of thousands (a third of the benchmark's accounts)."""
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
    # Their place in the worklist (days past due x amount), as every writer of a case does.
    await worklist.reweigh(session, now, case_ids=list(opened.values()))
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


# escalations.open_unless_open for many cases in one executemany: each row's check
# and write are still one statement; only the round trips and the building go.
_OPENED_COLUMNS = (
    "ticket",
    "account_id",
    "conversation_id",
    "reason",
    "priority",
    "status",
    "owner",
    "note",
    "created_at",
    "rank_group",
)
_OPEN_MANY = insert(_CASES).from_select(
    list(_OPENED_COLUMNS),
    select(*(bindparam(k, type_=_CASES.c[k].type).label(k) for k in _OPENED_COLUMNS)).where(
        ~exists().where(
            _CASES.c.account_id == bindparam("account_id", type_=_CASES.c.account_id.type),
            _CASES.c.status != "closed",
        )
    ),
)
CHUNK = 1_000  # tickets looked up at once (an IN list)


async def open_many_unless_open(
    session: AsyncSession,
    cases: Sequence[tuple[str, str, int | None, str]],
    *,
    reason: EscalationReason,
    priority: Priority,
    now: datetime,
) -> dict[str, int]:
    """`escalations.open_unless_open` for each (ticket, account_id, conversation_id,
    note); the case opened by account (the tickets are new, so a ticket found
    afterwards is a case this call opened). When another writer's case for one of
    the accounts went in meanwhile (the one-open-case index, migration 0018, refuses
    the whole statement), the batch is opened case by case instead."""
    if not cases:
        return {}
    rank = escalations.rank_of(reason.value, priority.value)
    fixed = {"reason": reason.value, "priority": priority.value, "status": "open"}
    rows = [
        {
            **fixed,
            "ticket": ticket,
            "account_id": account_id,
            "conversation_id": conversation_id,
            "owner": escalations.QUEUE,
            "note": note,
            "created_at": now,
            "rank_group": rank,
        }
        for ticket, account_id, conversation_id, note in cases
    ]
    try:
        async with session.begin_nested():
            await session.execute(_OPEN_MANY, rows)
    except IntegrityError:
        for ticket, account_id, conversation_id, note in cases:
            await escalations.open_unless_open(
                session,
                ticket=ticket,
                account_id=account_id,
                conversation_id=conversation_id,
                reason=reason,
                priority=priority,
                now=now,
                note=note,
            )
    tickets = [case[0] for case in cases]
    opened: dict[str, int] = {}
    for start in range(0, len(tickets), CHUNK):
        found = await session.execute(
            select(_CASES.c.account_id, _CASES.c.id).where(
                _CASES.c.ticket.in_(tickets[start : start + CHUNK])
            )
        )
        opened.update({account_id: case_id for account_id, case_id in found})
    return opened
