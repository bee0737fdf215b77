"""The one place that writes escalations: opened, raised, taken, passed on, closed.

An escalation is a borrower's case waiting for a person (R13, R15). Before this
module five places wrote the rows, each with its own idea of which rows a change
applies to ("open", "not closed", one ticket); here every change is one named
function, in the caller's transaction. `tests/test_architecture.py` fails when
any other module of the bot writes `EscalationRow`.

The console learns of every change from the statements themselves (bot/store/live.py
watches the escalations table), so nothing here announces anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, case, exists, func, insert, literal, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.engine.types import EscalationReason, Priority
from bot.service.escalations.ranking import FIRST as FIRST
from bot.service.escalations.ranking import PRIORITIES as _RANK
from bot.service.escalations.ranking import SECOND as SECOND
from bot.service.escalations.ranking import rank_at as _rank_at
from bot.service.escalations.ranking import rank_of as rank_of
from bot.store.tables import EscalationRow, EscalationTicketRow, table_of

OUTCOME_CHARS = 32  # the outcome column's size
QUEUE = "queue"  # the owner of an escalation no person holds
_ESCALATIONS = table_of(EscalationRow)
_TICKETS = table_of(EscalationTicketRow)


def new_case(
    ticket: str,
    account_id: str | None,
    conversation_id: int | None,
    reason: EscalationReason,
    priority: Priority,
    now: datetime,
    *,
    note: str = "",
    due_on: date | None = None,
) -> dict[str, Any]:
    """The columns of a case opening now, in the queue, nobody's yet."""
    return {
        "ticket": ticket,
        "account_id": account_id,
        "conversation_id": conversation_id,
        "reason": reason.value,
        "priority": priority.value,
        "status": "open",
        "owner": QUEUE,
        "note": note,
        "due_on": due_on,
        "created_at": now,
        "rank_group": rank_of(reason.value, priority.value),
    }


async def open_case(
    session: AsyncSession,
    *,
    ticket: str,
    account_id: str | None,
    conversation_id: int | None,
    reason: EscalationReason,
    priority: Priority,
    now: datetime,
    due_on: date | None = None,
) -> str:
    """A new case in the agents' queue, written with the event that raised it; or,
    when the account has a case for the same reason not closed yet (another
    conversation's, or another process's written at this very moment), that case,
    losing nothing (`_fold_into`). Returns the ticket of the case that holds it.

    The database holds the rule (ux_escalations_open_reason, migration 0018): the
    insert runs in a savepoint, and a second writer's insert fails there, after the
    first's commit on PostgreSQL, and finds the first's case."""
    values = new_case(ticket, account_id, conversation_id, reason, priority, now, due_on=due_on)
    if account_id is None:  # a chat not linked to an account: nothing to share a case with
        await session.execute(insert(_ESCALATIONS).values(values))
        return ticket
    for _ in range(3):  # the open case may close between the failed insert and the read
        try:
            async with session.begin_nested():
                await session.execute(insert(_ESCALATIONS).values(values))
            return ticket
        except IntegrityError:
            held = await _fold_into(session, values)
            if held is not None:
                return held
    raise RuntimeError("an open case kept appearing and closing")  # pragma: no cover


async def _fold_into(session: AsyncSession, new: dict[str, Any]) -> str | None:
    """Add a case that was about to open to the account's open one for its reason:
    the higher priority of the two, the earlier answer date (R15: the first
    complaint's days run), and, while no person holds it, the conversation and
    ticket the borrower was given last, so their notes and answers reach it, its
    wait counted from that request. A person's case stays where they hold it.
    None when the case was closed, taken or folded into meanwhile (retried)."""
    found = await session.execute(
        select(
            _ESCALATIONS.c.id,
            _ESCALATIONS.c.ticket,
            _ESCALATIONS.c.status,
            _ESCALATIONS.c.priority,
            _ESCALATIONS.c.due_on,
        ).where(
            _ESCALATIONS.c.account_id == new["account_id"],
            _ESCALATIONS.c.reason == new["reason"],
            _ESCALATIONS.c.status != "closed",
        )
    )
    row = found.first()
    if row is None:
        return None
    higher = max(Priority(row.priority), Priority(new["priority"]), key=_RANK.index)
    dates = [d for d in (row.due_on, new["due_on"]) if d is not None]
    changes: dict[str, Any] = {
        "priority": higher.value,
        "rank_group": rank_of(new["reason"], higher.value),
        "due_on": min(dates) if dates else None,
    }
    if row.status == "open" and new["conversation_id"] is not None:
        # The borrower's new request is the one they wait on now: the desk's timers
        # (a wait notice, the way back to the bot) count from it, in its chat.
        changes |= {
            "conversation_id": new["conversation_id"],
            "ticket": new["ticket"],
            "created_at": new["created_at"],
            "wait_noticed_at": None,
            "returned_at": None,
        }
    held = await session.execute(
        update(_ESCALATIONS)
        .where(
            _ESCALATIONS.c.id == row.id,
            _ESCALATIONS.c.status == row.status,
            _ESCALATIONS.c.ticket == row.ticket,
        )
        .values(changes)
        .returning(_ESCALATIONS.c.ticket)
    )
    ticket: str | None = held.scalar_one_or_none()
    if ticket is not None:
        # The ticket the case no longer shows was told to the borrower all the same.
        other = row.ticket if ticket == new["ticket"] else new["ticket"]
        await session.execute(
            insert(_TICKETS).values(
                ticket=other, escalation_id=row.id, created_at=new["created_at"]
            )
        )
    return ticket


async def open_unless_open(
    session: AsyncSession,
    *,
    ticket: str,
    account_id: str,
    conversation_id: int | None,
    reason: EscalationReason,
    priority: Priority,
    now: datetime,
    note: str = "",
) -> bool:
    """A case the bot opens on its own (a reminder stage that is a person's), unless
    the account has one open or taken already: whoever holds that one has the
    account. One INSERT ... SELECT ... WHERE NOT EXISTS, so the check and the write
    are one statement. True when the case was opened."""
    values = new_case(ticket, account_id, conversation_id, reason, priority, now, note=note)
    already = exists().where(
        _ESCALATIONS.c.account_id == account_id, _ESCALATIONS.c.status != "closed"
    )
    chosen = select(
        *(literal(v, _ESCALATIONS.c[k].type).label(k) for k, v in values.items())
    ).where(~already)
    try:
        async with session.begin_nested():
            opened = await session.execute(insert(_ESCALATIONS).from_select(list(values), chosen))
    except IntegrityError:
        return False  # another process's case for the account went in first (migration 0018)
    return int(getattr(opened, "rowcount", 0) or 0) > 0


async def raise_priority(session: AsyncSession, conversation_id: int, priority: Priority) -> None:
    """Every case of the conversation not closed yet and below `priority` moves up to
    it (a crisis while a person holds the chat: their queue shows it as urgent, R12;
    a possible crisis as high, and an urgent case stays urgent)."""
    lower = [p.value for p in _RANK[: _RANK.index(priority)]]
    await session.execute(
        update(EscalationRow)
        .where(col(EscalationRow.conversation_id) == conversation_id)
        .where(col(EscalationRow.status) != "closed")
        .where(col(EscalationRow.priority).in_(lower))
        .values(priority=priority.value, rank_group=_rank_at(priority.value))
    )


async def reprioritize(
    session: AsyncSession,
    conversation_id: int | None,
    reason: EscalationReason,
    priority: Priority,
    note: str = "",
) -> None:
    """The conversation's cases for `reason` not closed yet move to `priority`, up or
    down (a possible crisis: urgent when not safe, normal when safe), with `note`
    added below the case's note for the person on it."""
    where = (
        (col(EscalationRow.conversation_id) == conversation_id)
        & (col(EscalationRow.reason) == reason.value)
        & (col(EscalationRow.status) != "closed")
    )
    values: dict[str, object] = {
        "priority": priority.value,
        "rank_group": _rank_at(priority.value),
    }
    if note:
        current = col(EscalationRow.note)
        values["note"] = case((current == "", literal(note)), else_=current + "\n" + literal(note))
    await session.execute(
        update(EscalationRow)
        .where(where)
        .values(**values)
        .execution_options(synchronize_session=False)
    )


async def raise_unanswered(
    session: AsyncSession,
    *,
    reason: EscalationReason,
    opened_before: datetime,
    note: str,
) -> int:
    """Cases for `reason` still at high priority, opened before `opened_before`, go
    to urgent: nobody answered the question that opened them. One conditional
    update: run twice, or on several processes at once, it raises each case once."""
    current = col(EscalationRow.note)
    raised = await session.execute(
        update(EscalationRow)
        .where(col(EscalationRow.reason) == reason.value)
        .where(col(EscalationRow.priority) == Priority.HIGH.value)
        .where(col(EscalationRow.status) != "closed")
        .where(col(EscalationRow.created_at) <= opened_before)
        .values(
            priority=Priority.URGENT.value,
            rank_group=_rank_at(Priority.URGENT.value),
            note=case((current == "", literal(note)), else_=current + "\n" + literal(note)),
        )
        .execution_options(synchronize_session=False)
    )
    return int(getattr(raised, "rowcount", 0) or 0)


async def take(session: AsyncSession, conversation_id: int, owner: str) -> None:
    """A person took the conversation over: its open cases are theirs now."""
    await session.execute(
        update(EscalationRow)
        .where(col(EscalationRow.conversation_id) == conversation_id)
        .where(col(EscalationRow.status) == "open")
        .values(status="taken", owner=owner)
    )


async def transfer(session: AsyncSession, conversation_id: int, to: str | None) -> None:
    """The cases not closed follow the conversation to another person (`to`), or back
    to the queue (`to` is None), open again for whoever takes them next."""
    status, owner = ("open", QUEUE) if to is None else ("taken", to)
    await session.execute(
        update(EscalationRow)
        .where(col(EscalationRow.conversation_id) == conversation_id)
        .where(col(EscalationRow.status) != "closed")
        .values(status=status, owner=owner)
    )


async def close_all(
    session: AsyncSession, conversation_id: int, outcome: str, now: datetime
) -> None:
    """A hand-back with an outcome closes every case the person was asked about.

    A closed case keeps its worklist key as it stood at the close (the caller weighs
    it first, bot/service/worklist.py) and no next weighing: nothing moves it again."""
    await session.execute(
        update(EscalationRow)
        .where(col(EscalationRow.conversation_id) == conversation_id)
        .where(col(EscalationRow.status) != "closed")
        .values(status="closed", outcome=outcome[:OUTCOME_CHARS], closed_at=now, reweigh_at=None)
    )


async def close_ticket(
    session: AsyncSession, conversation_id: int, ticket: str, outcome: str, now: datetime
) -> bool:
    """Close one case of the conversation with what came of it, its worklist key
    kept as it stood (see close_all); False when the conversation has no case with
    that ticket."""
    closed = await session.execute(
        update(EscalationRow)
        .where(col(EscalationRow.conversation_id) == conversation_id)
        .where(col(EscalationRow.ticket) == ticket)
        .values(status="closed", outcome=outcome, closed_at=now, reweigh_at=None)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(closed, "rowcount", 0) or 0) > 0


async def add_note(
    session: AsyncSession, conversation_id: int | None, ticket: str, text: str
) -> None:
    """The borrower's words for the person on the case (a complaint's details, R15),
    added below what the case's note says already."""
    note = col(EscalationRow.note)
    await session.execute(
        update(EscalationRow)
        .where(col(EscalationRow.conversation_id) == conversation_id)
        .where(col(EscalationRow.ticket) == ticket)
        .values(note=case((note == "", literal(text)), else_=note + "\n" + literal(text)))
        .execution_options(synchronize_session=False)
    )


_SET_KEY = (
    update(_ESCALATIONS)
    .where(_ESCALATIONS.c.id == bindparam("key_id"))
    .values(
        rank_group=bindparam("key_rank"),
        amount_due=bindparam("key_amount"),
        due_date=bindparam("key_due"),
        weight=bindparam("key_weight"),
        reweigh_at=bindparam("key_again"),
    )
)


async def set_worklist_keys(session: AsyncSession, keys: Sequence[dict[str, Any]]) -> None:
    """Write the worklist's key of each case given (`key_id`, `key_rank`, `key_amount`,
    `key_due`, `key_weight`, `key_again`), in one executemany."""
    if keys:
        await session.execute(_SET_KEY, list(keys))


async def mark_waited(session: AsyncSession, escalation_id: int, now: datetime) -> bool:
    """Claim the wait notice of one case: True once, however many processes ask."""
    return await _mark_once(session, escalation_id, col(EscalationRow.wait_noticed_at), now)


async def mark_returned(session: AsyncSession, escalation_id: int, now: datetime) -> bool:
    """Claim the return to the bot of one untaken case: True once. It stays open."""
    return await _mark_once(session, escalation_id, col(EscalationRow.returned_at), now)


async def _mark_once(session: AsyncSession, escalation_id: int, mark: Any, now: datetime) -> bool:
    claimed = await session.execute(
        update(EscalationRow)
        .where(col(EscalationRow.id) == escalation_id)
        .where(mark.is_(None))
        .values({mark.key: now})
        .execution_options(synchronize_session=False)
    )
    return int(getattr(claimed, "rowcount", 0) or 0) > 0


async def forget_notes(
    session: AsyncSession,
    *,
    account_id: str | None = None,
    closed_before: datetime | None = None,
    dry_run: bool = False,
) -> int:
    """Empty the borrower's words kept on cases (R18), keeping reason and outcome: an
    erased account's, or every closed case opened before `closed_before` (R17)."""
    where = [col(EscalationRow.note) != ""]
    if account_id is not None:
        where.append(col(EscalationRow.account_id) == account_id)
    if closed_before is not None:
        where += [
            col(EscalationRow.status) == "closed",
            col(EscalationRow.created_at) < closed_before,
        ]
    if dry_run:
        counted = await session.execute(
            select(func.count()).select_from(EscalationRow).where(*where)
        )
        return int(counted.scalar_one())
    done = await session.execute(
        update(EscalationRow)
        .where(*where)
        .values(note="")
        .execution_options(synchronize_session=False)
    )
    return int(getattr(done, "rowcount", 0) or 0)
