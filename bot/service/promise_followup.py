"""Promise and plan follow-up (issue 31 point 3): each payment an arrangement asked
for is judged kept or broken (bot/domain/promises.py) against the lender's payments
file, recorded once, and followed up through `Runtime.on_trigger`: a thank-you for a
kept one, a kind offer of a new date, a plan or a person for a broken one. A broken
one is marked recovered when the missed amount is paid after all or the borrower
agrees a new arrangement. `repaybot promises report` prints the figures.

Exactly once: a checkpoint is recorded under a unique key (arrangement, due date),
inserted with ON CONFLICT DO NOTHING, so two processes record it once; its follow-up
is sent by `on_trigger` under the trigger key `promise:<row id>`, claimed in the
transaction that queues the message, so a crash between sending and marking the
row sent never sends twice (the rerun is a duplicate, and is marked then).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.domain.promises import Outcome, checkpoints, judge
from bot.service.events import Trigger
from bot.service.followup_rules import follow_up_hold
from bot.service.triggers import zone
from bot.store.tables import (
    AccountRow,
    ArrangementRow,
    ConversationRow,
    PaymentRow,
    PromiseOutcomeRow,
    table_of,
)

if TYPE_CHECKING:
    from bot.service.runtime import Runtime

TRIGGERS = {Outcome.KEPT.value: "promise_kept", Outcome.BROKEN.value: "promise_broken"}
# Arrangements whose payments are judged: running, or settled by the payments import.
JUDGED = ("active", "kept", "broken")
# A checkpoint found later than this after its date is recorded but not followed up:
# a thank-you or a "we noticed" weeks late would confuse more than help.
FOLLOW_UP_WITHIN = timedelta(days=14)
# How long after the payments import settles an arrangement it is still judged.
SETTLED_WITHIN = timedelta(days=30)
BATCH = 500  # follow-ups sent per run at most; the next run takes the rest

_OUTCOMES = table_of(PromiseOutcomeRow)
_INSERT_IF_ABSENT: dict[str, Any] = {
    "postgresql": postgresql_insert(_OUTCOMES).on_conflict_do_nothing(),
    "sqlite": sqlite_insert(_OUTCOMES).on_conflict_do_nothing(),
}


async def follow_up_promises(runtime: Runtime, now: datetime) -> int:
    """The periodic job: record what is decided, note recoveries, send follow-ups."""
    async with runtime.sessions() as session, session.begin():
        await record_outcomes(session, now)
        await note_recoveries(session, now)
    sent = 0
    for outcome_id in await _waiting(runtime, now):
        sent += await _follow_up(runtime, outcome_id, now)
    return sent


async def record_outcomes(session: AsyncSession, now: datetime) -> int:
    """Every checkpoint decided as of `now` and not yet recorded; returns how many."""
    settled_since = now - SETTLED_WITHIN
    query = (
        select(ArrangementRow, col(AccountRow.timezone))
        .join(AccountRow, col(AccountRow.account_id) == col(ArrangementRow.account_id))
        .where(col(ArrangementRow.status).in_(JUDGED))
        # One settled by the payments import long ago has been judged already.
        .where(
            (col(ArrangementRow.status) == "active")
            | (col(ArrangementRow.ended_at) >= settled_since)
        )
    )
    insert = _INSERT_IF_ABSENT[session.get_bind().dialect.name]
    recorded = 0
    for arrangement, timezone in (await session.execute(query)).all():
        points = checkpoints(
            (
                (date.fromisoformat(i["due_date"]), Decimal(i["amount"]))
                for i in arrangement.installments or ()
            ),
            arrangement.new_due_date,
            arrangement.amount,
        )
        paid = await paid_since(session, arrangement)
        today = now.astimezone(zone(timezone)).date()
        for judged in judge(points, paid, today):
            done = await session.execute(
                insert,
                {
                    "arrangement_id": arrangement.id,
                    "account_id": arrangement.account_id,
                    "kind": arrangement.kind,
                    "due_on": judged.due_on,
                    "amount_due": judged.amount_due,
                    "currency": arrangement.currency,
                    "outcome": judged.outcome.value,
                    "found_at": now,
                },
            )
            recorded += int(getattr(done, "rowcount", 0) or 0)
    return recorded


async def paid_since(session: AsyncSession, arrangement: ArrangementRow) -> Decimal:
    """Everything the account paid from the day the arrangement was made (as the
    payments import settles it, bot.service.payments._settle)."""
    query = select(func.coalesce(func.sum(PaymentRow.amount), 0)).where(
        col(PaymentRow.account_id) == arrangement.account_id,
        col(PaymentRow.paid_on) >= arrangement.created_at.date(),
    )
    return Decimal(str((await session.execute(query)).scalar_one()))


async def note_recoveries(session: AsyncSession, now: datetime) -> int:
    """Broken ones made good: the missed amount paid after all, or a new arrangement."""
    query = (
        select(PromiseOutcomeRow, ArrangementRow)
        .join(ArrangementRow, col(ArrangementRow.id) == col(PromiseOutcomeRow.arrangement_id))
        .where(col(PromiseOutcomeRow.outcome) == Outcome.BROKEN.value)
        .where(col(PromiseOutcomeRow.recovered_at).is_(None))
    )
    recovered = 0
    for outcome, arrangement in (await session.execute(query)).all():
        how = None
        if await paid_since(session, arrangement) >= outcome.amount_due:
            how = "payment"
        elif await _newer_arrangement(session, outcome):
            how = "new_arrangement"
        if how is not None:
            outcome.recovered_at = now
            outcome.recovered_by = how
            recovered += 1
    return recovered


async def _newer_arrangement(session: AsyncSession, outcome: PromiseOutcomeRow) -> bool:
    query = (
        select(func.count())
        .select_from(ArrangementRow)
        .where(col(ArrangementRow.account_id) == outcome.account_id)
        .where(col(ArrangementRow.created_at) > outcome.found_at)
    )
    return int((await session.execute(query)).scalar_one()) > 0


async def _waiting(runtime: Runtime, now: datetime) -> list[int]:
    """The outcomes still to follow up, one per arrangement: when several of its
    payments were decided at once (a plan paid off early, a first run over old
    arrangements), only the latest is spoken of; the others are marked "merged"."""
    async with runtime.sessions() as session, session.begin():
        query = (
            select(PromiseOutcomeRow)
            .where(col(PromiseOutcomeRow.followed_up_at).is_(None))
            .order_by(col(PromiseOutcomeRow.id))
            .limit(BATCH)
        )
        latest: dict[str, PromiseOutcomeRow] = {}
        for row in (await session.execute(query)).scalars():
            kept = latest.get(row.arrangement_id)
            if kept is not None and kept.due_on > row.due_on:
                _mark(row, "merged", now)
                continue
            if kept is not None:
                _mark(kept, "merged", now)
            latest[row.arrangement_id] = row
        return [row.id for row in latest.values() if row.id is not None]


async def _follow_up(runtime: Runtime, outcome_id: int, now: datetime) -> int:
    """One checkpoint's follow-up: sent, deferred (R1, R4) or held for good."""
    async with runtime.sessions() as session, session.begin():
        outcome = await session.get(PromiseOutcomeRow, outcome_id)
        if outcome is None or outcome.followed_up_at is not None:
            return 0
        held = await _held(session, outcome, now)
        if held == "wait":
            return 0
        if held is not None:
            _mark(outcome, held, now)
            return 0
        conversation_id = await _conversation_of(session, outcome.account_id)
        assert conversation_id is not None  # noqa: S101 - _held checked it
        name, due_on = TRIGGERS[outcome.outcome], outcome.due_on
    trigger = Trigger(name, conversation_id, f"promise:{outcome_id}", on=due_on)
    handled = await runtime.on_trigger(trigger)
    done = "sent" if handled.queued or handled.duplicate else "held"
    async with runtime.sessions() as session, session.begin():
        await session.execute(
            update(PromiseOutcomeRow)
            .where(col(PromiseOutcomeRow.id) == outcome_id)
            .values(followed_up_at=now, follow_up=done)
        )
    return 1 if handled.queued else 0  # a duplicate was sent by another run


async def _held(session: AsyncSession, outcome: PromiseOutcomeRow, now: datetime) -> str | None:
    """ "wait", the rule that holds the follow-up for good, or None to send it now."""
    if outcome.recovered_at is not None:
        return "recovered"  # made good before the follow-up could go: nothing to say
    account = await session.get(AccountRow, outcome.account_id)
    if account is None:
        return "no_account"
    local_today = now.astimezone(zone(account.timezone)).date()
    if local_today - outcome.due_on > FOLLOW_UP_WITHIN:
        return "stale"
    hold = follow_up_hold(account, now)
    if hold is not None:
        return "wait" if hold.wait else hold.rule
    conversation = await _conversation_row(session, outcome.account_id)
    if conversation is None:
        return "no_chat"
    if conversation.owner != "bot":
        return "person"  # a person is talking with them: theirs to raise
    return None


def _mark(outcome: PromiseOutcomeRow, how: str, now: datetime) -> None:
    outcome.followed_up_at = now
    outcome.follow_up = how


async def _conversation_row(session: AsyncSession, account_id: str) -> ConversationRow | None:
    """The account's chat the borrower used last."""
    query = (
        select(ConversationRow)
        .where(col(ConversationRow.account_id) == account_id)
        .order_by(col(ConversationRow.updated_at).desc())
        .limit(1)
    )
    return (await session.execute(query)).scalars().first()


async def _conversation_of(session: AsyncSession, account_id: str) -> int | None:
    row = await _conversation_row(session, account_id)
    return row.id if row is not None else None
