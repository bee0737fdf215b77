"""Cases the bot opens by the thousand (the planner's person stages): one statement
for a batch instead of one per case, under the same rules as `open_unless_open`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import bindparam, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.engine.types import EscalationReason, Priority
from bot.service import escalations
from bot.store.tables import EscalationRow, table_of

_CASES = table_of(EscalationRow)


# Which of a chunk's accounts already have an open case: one lookup per chunk on the
# one-open-case index (migration 0018), instead of a NOT EXISTS per row. Per row, the
# check was planned once per prepared statement; on PostgreSQL a plan made while the
# table was still empty scanned the whole table for each case, so a portfolio's
# first planning grew with the square of the cases it opened.
_OPEN_AMONG = select(_CASES.c.account_id).where(
    _CASES.c.account_id.in_(bindparam("accounts", expanding=True)),
    _CASES.c.status != "closed",
)
_INSERT = insert(_CASES)
CHUNK = 1_000  # accounts or tickets looked up at once (an IN list)


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
    accounts = [case[1] for case in cases]
    already: set[str] = set()
    for start in range(0, len(accounts), CHUNK):
        found = await session.execute(_OPEN_AMONG, {"accounts": accounts[start : start + CHUNK]})
        already.update(found.scalars())
    to_open = [case for case in cases if case[1] not in already]
    if not to_open:
        return {}
    rows = [
        escalations.new_case(ticket, account_id, conversation_id, reason, priority, now, note=note)
        for ticket, account_id, conversation_id, note in to_open
    ]
    try:
        async with session.begin_nested():
            await session.execute(_INSERT, rows)
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
    tickets = [case[0] for case in to_open]
    opened: dict[str, int] = {}
    for start in range(0, len(tickets), CHUNK):
        found = await session.execute(
            select(_CASES.c.account_id, _CASES.c.id).where(
                _CASES.c.ticket.in_(tickets[start : start + CHUNK])
            )
        )
        opened.update({account_id: case_id for account_id, case_id in found})
    return opened
