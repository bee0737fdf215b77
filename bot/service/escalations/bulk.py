"""Cases the bot opens by the thousand (the planner's person stages): one statement
for a batch instead of one per case, under the same rules as `open_unless_open`,
each case weighed for the worklist as it goes in."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.engine.types import EscalationReason, Priority
from bot.service import escalations, worklist
from bot.service.lookups import SHAPES as SHAPES
from bot.service.lookups import Lookup
from bot.store.tables import EscalationRow, table_of

_CASES = table_of(EscalationRow)


# Which of a chunk's accounts already have an open case: one lookup per chunk on the
# one-open-case index (migration 0018), instead of a NOT EXISTS per row. Per row, the
# check was planned once per prepared statement; on PostgreSQL a plan made while the
# table was still empty scanned the whole table for each case, so a portfolio's
# first planning grew with the square of the cases it opened. (On PostgreSQL the
# planner ANALYZEs what it fills, bot.service.reminders.planner, and a plan made
# while the table was still empty is replanned when ANALYZE changes its statistics.)
_OPEN_AMONG = Lookup(
    select(_CASES.c.account_id).where(_CASES.c.status != "closed"), _CASES.c.account_id
)
_OPENED = Lookup(select(_CASES.c.account_id, _CASES.c.id), _CASES.c.ticket)
_INSERT = insert(_CASES)
# On PostgreSQL a batch's cases go in as one statement, each column of their own an
# array (as the planner's reminders, bot.service.reminders.store), the ids they got
# coming back with them: an executemany of 6,000 rows ran the statement 6,000 times.
# What every case of the batch shares (`new_case`'s other columns) is one parameter.
# In the order of unnest's columns below.
_OWN: tuple[str, ...] = ("ticket", "account_id", "conversation_id", "note", "amount_due")
_OWN += ("due_date", "weight", "reweigh_at")
_SHARED = ("reason", "priority", "status", "owner", "due_on", "created_at", "rank_group")
_INSERT_PG = text(
    "INSERT INTO escalations (ticket, account_id, conversation_id, note, amount_due, due_date,"
    " weight, reweigh_at, reason, priority, status, owner, due_on, created_at, rank_group)"
    " SELECT u.*, CAST(:reason AS VARCHAR), CAST(:priority AS VARCHAR),"
    " CAST(:status AS VARCHAR), CAST(:owner AS VARCHAR), CAST(:due_on AS DATE),"
    " CAST(:created_at AS TIMESTAMPTZ), CAST(:rank_group AS INTEGER)"
    " FROM unnest(CAST(:ticket AS VARCHAR[]), CAST(:account_id AS VARCHAR[]),"
    " CAST(:conversation_id AS INTEGER[]), CAST(:note AS VARCHAR[]),"
    " CAST(:amount_due AS NUMERIC[]), CAST(:due_date AS DATE[]), CAST(:weight AS NUMERIC[]),"
    " CAST(:reweigh_at AS TIMESTAMPTZ[])) AS u"
    " RETURNING account_id, id"
)


async def open_many_unless_open(
    session: AsyncSession,
    cases: Sequence[tuple[str, str, int | None, str]],
    *,
    reason: EscalationReason,
    priority: Priority,
    now: datetime,
) -> dict[str, int]:
    """`escalations.open_unless_open` for each (ticket, account_id, conversation_id,
    note), each case weighed for the worklist (`worklist.opening_keys`); the case
    opened by account (the tickets are new, so a ticket found afterwards is a case
    this call opened). When another writer's case for one of the accounts went in
    meanwhile (the one-open-case index, migration 0018, refuses the whole
    statement), the batch is opened case by case instead, and weighed after."""
    if not cases:
        return {}
    already = {row[0] for row in await _OPEN_AMONG(session, [c[1] for c in cases])}
    to_open = [case for case in cases if case[1] not in already]
    if not to_open:
        return {}
    keys = await worklist.opening_keys(session, now, [case[1] for case in to_open])
    rank = escalations.rank_of(reason.value, priority.value)
    rows = [
        {
            **escalations.new_case(
                ticket, account_id, conversation_id, reason, priority, now, note=note
            ),
            **worklist.key_columns({**keys[account_id], "key_rank": rank}),
        }
        for ticket, account_id, conversation_id, note in to_open
    ]
    postgresql = session.get_bind().dialect.name == "postgresql"
    try:
        async with session.begin_nested():
            if postgresql:
                inserted = await session.execute(_INSERT_PG, _columns(rows))
                return {row[0]: row[1] for row in inserted.all()}
            await session.execute(_INSERT, rows)
        weigh = False
    except IntegrityError:
        # Another writer opened a case for one of them since the lookup.
        for ticket, account_id, conversation_id, note in to_open:
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
        weigh = True
    found = await _OPENED(session, [case[0] for case in to_open])
    # Tickets are random (ten hex digits): among 300,000 cases two share one with a
    # chance of a few percent, and an older case found by its ticket is not this call's.
    ours = {case[1] for case in to_open}
    opened = {row[0]: row[1] for row in found if row[0] in ours}
    if weigh:  # the cases opened one by one went in unweighed
        await escalations.set_worklist_keys(
            session,
            [
                {**keys[account], "key_id": case, "key_rank": rank}
                for account, case in opened.items()
            ],
        )
    return opened


def _columns(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """`rows` (each `new_case`'s columns and its key) as _INSERT_PG's parameters: the
    columns every case of the batch shares (one reason, priority and moment) once."""
    shared = {name: rows[0][name] for name in _SHARED}
    return {**shared, **{name: [row[name] for row in rows] for name in _OWN}}
