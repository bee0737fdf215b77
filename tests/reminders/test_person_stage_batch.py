"""A batch's person stages open their cases together (issue 31 point 8): each account
gets one case, weighed for the worklist; an account that has a case open by the time
the batch is written (a borrower asked for a person meanwhile) gets none, and its
stage is taken back to be looked at again. On SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col

from bot.domain.cadence import RemindersPolicy
from bot.engine.types import EscalationReason, Priority
from bot.service import escalations, worklist
from bot.service.escalations.bulk import open_many_unless_open
from bot.service.reminders import plan_reminders
from bot.service.reminders.person_stage import hand_to_person
from bot.service.reminders.store import NewReminder
from bot.store.tables import (
    AccountRow,
    ChargeRow,
    EscalationRow,
    PaymentRow,
    ReminderRow,
    table_of,
)
from tests.reminders.test_planner_memory import NOW as PLANNED
from tests.reminders.test_planner_memory import _portfolio as portfolio

NOW = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)  # 11:00 in Shanghai
DUE = date(2026, 11, 7)  # 30 days before: the person's stage
NEXT_DAY = datetime(2026, 12, 7, 16, 0, tzinfo=UTC)
ACCOUNTS = [f"P-{n}" for n in range(5)]


async def _accounts(sessions: async_sessionmaker[AsyncSession]) -> None:
    account: dict[str, Any] = {
        "borrower_name": "Borrower", "phone": "+8613800000000", "birth_date": date(1990, 5, 17),
        "locale": "zh_Hans", "locale_chosen": False, "timezone": "Asia/Shanghai",
        "currency": "CNY", "due_date": DUE, "extensions_used": 0, "collection_paused": False,
        "breathing_space": False, "opted_out": False, "unreachable": False,
        "verify_failures": 0, "created_at": NOW, "updated_at": NOW,
    }  # fmt: skip
    async with sessions() as session, session.begin():
        await session.execute(
            table_of(AccountRow).insert(), [{**account, "account_id": a} for a in ACCOUNTS]
        )
        await session.execute(
            table_of(ChargeRow).insert(),
            [
                {"account_id": a, "charge_id": f"{a}-P", "kind": "principal",
                 "description": "Card", "amount": Decimal("100.00"), "posted_on": DUE}
                for a in ACCOUNTS
            ],
        )  # fmt: skip


async def test_a_batch_opens_one_weighed_case_per_account_and_none_beside_an_open_one(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await _accounts(sessions)
    async with sessions() as session, session.begin():
        # P-3 asked for a person after the batch was read.
        await escalations.open_unless_open(
            session,
            ticket="T-ASKED",
            account_id="P-3",
            conversation_id=None,
            reason=EscalationReason.REQUESTED,
            priority=Priority.NORMAL,
            now=NOW,
        )
    rows: list[NewReminder] = [(a, "late_30", DUE, None, None, "person") for a in ACCOUNTS]
    async with sessions() as session, session.begin():
        assert await hand_to_person(session, rows, NOW) == 4
    async with sessions() as session, session.begin():
        assert await hand_to_person(session, rows, NOW) == 0  # recorded: once
    async with sessions() as session:
        cases = (await session.execute(select(EscalationRow))).scalars().all()
        stages = (await session.execute(select(col(ReminderRow.account_id)))).scalars().all()
    opened = {c.account_id or "": c for c in cases if c.reason == "reminder_stage"}
    assert sorted(opened) == ["P-0", "P-1", "P-2", "P-4"]
    assert sorted(stages) == ["P-0", "P-1", "P-2", "P-4"]  # P-3's taken back
    for case in opened.values():
        # Weighed as the worklist weighs every case: 100 owed, 30 days past due.
        assert (case.status, case.note, case.amount_due, case.weight) == (
            "open",
            "late_30",
            Decimal("100.00"),
            Decimal("3000.00"),
        )
        # Weighed again when the borrower's next day begins (midnight in Shanghai).
        assert case.reweigh_at is not None
        assert case.reweigh_at.replace(tzinfo=case.reweigh_at.tzinfo or UTC) == NEXT_DAY


async def _reweighed(sessions: async_sessionmaker[AsyncSession]) -> int:
    """How many open cases the worklist's own weighing would change now."""
    async with sessions() as session, session.begin():
        return await worklist.reweigh(session, NOW)


async def test_cases_go_in_weighed_as_the_worklist_weighs_them(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """The key is worked out before the insert (worklist.opening_keys) from what the
    worklist's weighing reads after it: a payment not in the charges yet, another
    charge, a zone nobody knows. Weighing them all again changes none."""
    await _accounts(sessions)
    async with sessions() as session, session.begin():
        await session.execute(
            update(AccountRow)
            .where(col(AccountRow.account_id) == "P-1")
            .values(timezone="Mars/Base")
        )
        await session.execute(
            table_of(ChargeRow).insert(),
            {"account_id": "P-2", "charge_id": "P-2-F", "kind": "fee", "description": "Late fee",
             "amount": Decimal("25.50"), "posted_on": DUE},
        )  # fmt: skip
        await session.execute(
            table_of(PaymentRow).insert(),
            {"reference": "PAY-1", "account_id": "P-0", "amount": Decimal("40.00"),
             "currency": "CNY", "paid_on": DUE, "imported_at": NOW, "reflected": False},
        )  # fmt: skip
    rows: list[NewReminder] = [(a, "late_30", DUE, None, None, "person") for a in ACCOUNTS]
    async with sessions() as session, session.begin():
        assert await hand_to_person(session, rows, NOW) == 5
    async with sessions() as session:
        cases = (await session.execute(select(EscalationRow))).scalars().all()
    weights = {c.account_id: (c.amount_due, c.weight) for c in cases}
    assert weights["P-0"] == (Decimal("60.00"), Decimal("1800.00"))  # 100 less 40 paid, x30
    assert weights["P-2"] == (Decimal("125.50"), Decimal("3765.00"))
    assert all(c.reweigh_at is not None for c in cases)
    assert await _reweighed(sessions) == 0


async def test_cases_opened_one_by_one_after_a_refused_batch_are_weighed_too(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """A batch the one-open-case index refuses (here: two cases for one account in it)
    is opened case by case; those cases are weighed as the batch's would have been."""
    await _accounts(sessions)
    cases = [(f"T-{a}", a, None, "late_30") for a in ACCOUNTS] + [("T-P-0-AGAIN", "P-0", None, "")]
    async with sessions() as session, session.begin():
        opened = await open_many_unless_open(
            session,
            cases,
            reason=EscalationReason.REMINDER_STAGE,
            priority=Priority.NORMAL,
            now=NOW,
        )
    assert sorted(opened) == ACCOUNTS
    async with sessions() as session:
        found = (await session.execute(select(EscalationRow))).scalars().all()
    assert sorted(c.ticket for c in found) == [f"T-{a}" for a in ACCOUNTS]
    assert {c.weight for c in found} == {Decimal("3000.00")}  # 100 owed, 30 days past due
    assert await _reweighed(sessions) == 0


async def test_a_portfolio_planned_twice_queues_and_opens_once(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """The planner's batch goes in as two transactions (the bot's reminders, the
    person's stages with their cases), side by side on PostgreSQL: every due account
    gets its row once, each person's stage one weighed case, and a second run (or a
    run beside it) adds nothing."""
    await portfolio(sessions, 120)
    first, beside = await asyncio.gather(
        plan_reminders(sessions, RemindersPolicy(), PLANNED, size=25),
        plan_reminders(sessions, RemindersPolicy(), PLANNED, size=40),
    )
    again = await plan_reminders(sessions, RemindersPolicy(), PLANNED, size=25)
    async with sessions() as session:
        reminders = (await session.execute(select(ReminderRow))).scalars().all()
        cases = (await session.execute(select(EscalationRow))).scalars().all()
    keys = [(r.account_id, r.stage, r.cycle) for r in reminders]
    assert (
        len(keys) == len(set(keys)) == first.queued + first.person + beside.queued + beside.person
    )
    persons = sorted(r.account_id for r in reminders if r.status == "person")
    assert persons and sorted(c.account_id or "" for c in cases) == persons
    assert any(r.status == "queued" for r in reminders)
    assert (again.queued, again.person) == (0, 0)
    assert await _reweighed(sessions) == 0


async def test_an_older_case_with_the_same_ticket_is_not_counted_as_opened(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """Tickets are random: an older, closed case of another account may carry the
    ticket a new case gets. Only the cases this call opened come back."""
    await _accounts(sessions)
    async with sessions() as session, session.begin():
        await session.execute(
            table_of(EscalationRow).insert(),
            {**escalations.new_case("T-SAME", "P-4", None, EscalationReason.REQUESTED,
                                    Priority.NORMAL, NOW), "status": "closed"},
        )  # fmt: skip
    async with sessions() as session, session.begin():
        opened = await open_many_unless_open(
            session,
            [("T-SAME", "P-0", None, "late_30")],
            reason=EscalationReason.REMINDER_STAGE,
            priority=Priority.NORMAL,
            now=NOW,
        )
    async with sessions() as session:
        new = (
            await session.execute(
                select(EscalationRow).where(col(EscalationRow.account_id) == "P-0")
            )
        ).scalar_one()
    assert opened == {"P-0": new.id}
