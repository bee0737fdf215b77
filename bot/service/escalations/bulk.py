"""Cases the bot opens by the thousand (the planner's person stages): one statement
for a batch instead of one per case, under the same rules as `open_unless_open`,
each case weighed for the worklist as it goes in."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import insert, select
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
    try:
        async with session.begin_nested():
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
    opened = {row[0]: row[1] for row in found}
    if weigh:  # the cases opened one by one went in unweighed
        await escalations.set_worklist_keys(
            session,
            [
                {**keys[account], "key_id": case, "key_rank": rank}
                for account, case in opened.items()
            ],
        )
    return opened
