"""The account as every event reads it: the account and its charges in one
statement (issue 11), the charges in posting order, a disputed one marked (R8)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col

from bot.service.accounts_import import import_accounts
from bot.store.repositories import read_account
from bot.store.tables import AccountRow, ChargeRow, DisputeRow

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
NOW = datetime(2026, 11, 22, 15, 0, tzinfo=UTC)
Sessions = async_sessionmaker[AsyncSession]


async def test_the_charges_come_in_posting_order_with_the_account(sessions: Sessions) -> None:
    await import_accounts(sessions, FIXTURES / "accounts.csv")
    async with sessions() as session:
        read = await read_account(session, account_id="T-EN", now=NOW)
    assert read is not None
    account, stored = read
    assert [c.charge_id for c in account.charges] == ["T-EN-P", "T-EN-I", "T-EN-F"]
    assert [c.amount for c in account.charges] == [
        Decimal("1200.00"),
        Decimal("85.50"),
        Decimal("35.00"),
    ]
    assert account.charges[0].posted_on == date(2026, 10, 1)
    assert account.total == Decimal("1320.50")
    assert account.disputed_charge_ids == frozenset()
    # The stored row keeps the account's own columns, for the runtime's counters.
    assert (stored.account_id, stored.verify_failures, stored.unreachable) == ("T-EN", 0, False)


async def test_a_disputed_charge_is_marked_and_the_others_are_not(sessions: Sessions) -> None:
    await import_accounts(sessions, FIXTURES / "accounts.csv")
    async with sessions() as session, session.begin():
        session.add(
            DisputeRow(
                id="D-1",
                account_id="T-EN",
                charge_ids=["T-EN-F"],
                amount=Decimal("35.00"),
                currency="USD",
                reason="never late",
                answer_due_on=date(2026, 12, 22),
                created_at=NOW,
            )
        )
        await session.flush()
        await session.execute(
            update(ChargeRow).where(col(ChargeRow.charge_id) == "T-EN-F").values(dispute_id="D-1")
        )
    async with sessions() as session:
        read = await read_account(session, account_id="T-EN", now=NOW)
    assert read is not None
    assert read[0].disputed_charge_ids == frozenset({"T-EN-F"})
    assert len(read[0].charges) == 3


async def test_an_account_without_charges_reads_with_none(sessions: Sessions) -> None:
    await import_accounts(sessions, FIXTURES / "accounts.csv")
    async with sessions() as session, session.begin():
        await session.execute(delete(ChargeRow).where(col(ChargeRow.account_id) == "T-EN"))
    async with sessions() as session:
        read = await read_account(session, account_id="T-EN", now=NOW)
        missing = await read_account(session, account_id="NOBODY", now=NOW)
    assert read is not None
    account, stored = read
    assert account.charges == ()
    assert account.total == Decimal(0)
    assert account.borrower_name == "Alex Morgan"
    assert stored.account_id == "T-EN"
    assert missing is None
    async with sessions() as session:
        assert await session.get(AccountRow, "T-EN") is not None
