"""A batch's person stages open their cases together (issue 31 point 8): each account
gets one case, weighed for the worklist; an account that has a case open by the time
the batch is written (a borrower asked for a person meanwhile) gets none, and its
stage is taken back to be looked at again. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col

from bot.engine.types import EscalationReason, Priority
from bot.service import escalations
from bot.service.reminders.person_stage import hand_to_person
from bot.service.reminders.store import NewReminder
from bot.store.tables import AccountRow, ChargeRow, EscalationRow, ReminderRow, table_of

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
