"""Cases the bot opens by the thousand (the planner's person stages): one statement
for a batch instead of one per case, under the same rules as `open_unless_open`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import bindparam, exists, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.engine.types import EscalationReason, Priority
from bot.service import escalations
from bot.store.tables import EscalationRow, table_of

_CASES = table_of(EscalationRow)


# escalations.open_unless_open for many cases in one executemany: each row's check
# and write are still one statement; only the round trips and the building go.
# The columns a case opening now is written with (escalations.new_case, one writer).
_OPENED_COLUMNS = tuple(
    escalations.new_case(
        "", "", None, EscalationReason.REMINDER_STAGE, Priority.NORMAL, datetime.min
    )
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
    rows = [
        escalations.new_case(ticket, account_id, conversation_id, reason, priority, now, note=note)
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
