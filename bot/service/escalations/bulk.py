"""Cases the bot opens by the thousand (the planner's person stages): one statement
for a batch instead of one per case, under the same rules as `open_unless_open`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, String, any_, bindparam, insert, select
from sqlalchemy.dialects.postgresql import ARRAY
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
_OPENED = select(_CASES.c.account_id, _CASES.c.id).where(
    _CASES.c.ticket.in_(bindparam("tickets", expanding=True))
)
# PostgreSQL takes the whole list as one array parameter: one statement text and one
# prepared statement whatever the length, planned from the table's statistics (the
# planner ANALYZEs what it fills, bot.service.reminders.planner). A plan made while
# the table was still empty is replanned when ANALYZE changes its statistics.
_TEXTS = ARRAY(String)
_OPEN_AMONG_PG = select(_CASES.c.account_id).where(
    _CASES.c.account_id == any_(bindparam("accounts", type_=_TEXTS)),
    _CASES.c.status != "closed",
)
_OPENED_PG = select(_CASES.c.account_id, _CASES.c.id).where(
    _CASES.c.ticket == any_(bindparam("tickets", type_=_TEXTS))
)
_INSERT = insert(_CASES)
# An IN list renders one statement text per length, and the drivers keep a prepared
# statement per text (sqlite3 up to 128 a connection, asyncpg up to 100, each with its
# plan on the server): chunks of every length from 1 to 1,000 would fill both with
# statements used once. Each list is padded (its last value repeated, which changes
# nothing in an IN) to one of a few lengths, so these lookups are a fixed set of texts.
SHAPES = (4, 16, 64, 256, 1_024)
CHUNK = SHAPES[-1]  # accounts or tickets looked up at once


def shaped(values: Sequence[str]) -> list[str]:
    """`values` (1 to CHUNK of them) padded to the next length of SHAPES."""
    size = next(shape for shape in SHAPES if shape >= len(values))
    return [*values, *[values[-1]] * (size - len(values))]


def chunks(values: Sequence[str]) -> list[list[str]]:
    """`values` as IN lists of CHUNK at most, each of one of the SHAPES."""
    return [shaped(values[start : start + CHUNK]) for start in range(0, len(values), CHUNK)]


async def _look_up(
    session: AsyncSession,
    statements: tuple[Select[Any], Select[Any]],
    name: str,
    values: Sequence[str],
) -> list[Any]:
    """The statement's rows for `values`: on PostgreSQL in one array, elsewhere CHUNK
    at a time in IN lists of a few shapes."""
    listed, arrayed = statements
    if session.get_bind().dialect.name == "postgresql":
        return list((await session.execute(arrayed, {name: list(values)})).all())
    found: list[Any] = []
    for chunk in chunks(values):
        found += (await session.execute(listed, {name: chunk})).all()
    return found


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
    already = {
        row[0]
        for row in await _look_up(
            session, (_OPEN_AMONG, _OPEN_AMONG_PG), "accounts", [c[1] for c in cases]
        )
    }
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
    found = await _look_up(session, (_OPENED, _OPENED_PG), "tickets", [case[0] for case in to_open])
    return {row[0]: row[1] for row in found}
