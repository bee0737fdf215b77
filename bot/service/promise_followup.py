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

When: a follow-up is a bot-started message, so the contact rules the reminders obey
decide it (bot.domain.contact_rules.follow_up_check, on the account as the planner
reads it): R1's hours in the borrower's zone (or in every zone of their country),
R4's quiet windows and, for a broken promise's follow-up, R2's counts defer it to
a later run; R3, R12, R16, a person or an unreachable chat hold it for good. A sent
broken-promise follow-up is kept with the reminders sent, so R2 counts it too.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.domain.cadence import ContactRules
from bot.domain.contact_hours import local_day, zones_for
from bot.domain.contact_rules import R1, R2, R4, follow_up_check
from bot.domain.promises import Outcome, checkpoints, judge
from bot.service.events import Trigger
from bot.service.reminders.portfolio import contacts
from bot.service.reminders.store import queue
from bot.service.triggers import zone
from bot.store.tables import (
    AccountRow,
    ArrangementRow,
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
# The contact rules a follow-up waits for; any other hold keeps it back for good
# (R3, R12, R16, a person, unreachable): it would be stale by the time they lift.
WAIT_FOR = frozenset({R1, R2, R4})
# A broken promise's follow-up, as the reminders table keeps it for R2's counts
# (not a cadence stage: the planner and sender never queue or send it).
FOLLOW_UP_STAGE = "promise_follow_up"

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
    """One checkpoint's follow-up: sent, deferred (R1, R2, R4) or held for good."""
    rules = runtime.registry.newest_policy().reminders.contact
    async with runtime.sessions() as session, session.begin():
        outcome = await session.get(PromiseOutcomeRow, outcome_id)
        if outcome is None or outcome.followed_up_at is not None:
            return 0
        held, conversation_id = await _held(session, outcome, now, rules)
        if held in WAIT_FOR:
            return 0  # the next run looks again: deferred, not dropped
        if held is not None or conversation_id is None:
            _mark(outcome, held or "no_chat", now)
            return 0
        name, due_on = TRIGGERS[outcome.outcome], outcome.due_on
        account_id, reminder = outcome.account_id, outcome.outcome == Outcome.BROKEN.value
    trigger = Trigger(name, conversation_id, f"promise:{outcome_id}", on=due_on)
    handled = await runtime.on_trigger(trigger)
    done = "sent" if handled.queued or handled.duplicate else "held"
    async with runtime.sessions() as session, session.begin():
        await session.execute(
            update(PromiseOutcomeRow)
            .where(col(PromiseOutcomeRow.id) == outcome_id)
            .values(followed_up_at=now, follow_up=done)
        )
        if done == "sent" and reminder:
            await _count_for_r2(session, account_id, conversation_id, due_on, now)
    return 1 if handled.queued else 0  # a duplicate was sent by another run


async def _held(
    session: AsyncSession, outcome: PromiseOutcomeRow, now: datetime, rules: ContactRules
) -> tuple[str | None, int | None]:
    """What holds the follow-up (a rule to wait for, or one that holds it for good),
    or None to send it now; and the borrower's linked chat to send it to."""
    if outcome.recovered_at is not None:
        return "recovered", None  # made good before the follow-up could go: nothing to say
    # The account as the reminders see it (bot/service/reminders/portfolio.py): the
    # same facts and the same contact rules decide a reminder and a follow-up.
    found = await contacts(session, now, ids=[outcome.account_id], linked_only=False)
    if not found:
        return "no_account", None
    candidate = found[0]
    contact = candidate.contact
    zones = zones_for(contact.timezone, contact.phone)
    today = local_day(zones, now) if zones else now.astimezone(UTC).date()
    if today - outcome.due_on > FOLLOW_UP_WITHIN:
        return "stale", None
    reminder = outcome.outcome == Outcome.BROKEN.value
    return follow_up_check(contact, now, rules, reminder=reminder), candidate.conversation_id


async def _count_for_r2(
    session: AsyncSession, account_id: str, conversation_id: int, due_on: date, now: datetime
) -> None:
    """A broken promise's follow-up asks for the payment: it is kept with the
    reminders sent, where R2 counts them (the planner and the next follow-up)."""
    await queue(
        session,
        [
            {
                "account_id": account_id,
                "stage": FOLLOW_UP_STAGE,
                "cycle": due_on,
                "conversation_id": conversation_id,
                "status": "sent",
                "send_at": now,
                "reason": None,
                "attempts": 1,
                "created_at": now,
                "updated_at": now,
                "sent_at": now,
            }
        ],
    )


def _mark(outcome: PromiseOutcomeRow, how: str, now: datetime) -> None:
    outcome.followed_up_at = now
    outcome.follow_up = how
