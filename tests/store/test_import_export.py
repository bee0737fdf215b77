"""The lender's export in, the conversations' results out: exact, repeatable, all or nothing."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.service.accounts_import import ImportRejected, import_accounts
from bot.service.exports import export
from bot.store.repositories import get_account, write_account
from bot.store.tables import AccountRow, ArrangementRow, ChargeRow, DisputeRow, EscalationRow

DATA = Path(__file__).resolve().parents[2] / "data"
Sessions = async_sessionmaker[AsyncSession]


async def count(sessions: Sessions, table: type) -> int:
    async with sessions() as session:
        return int((await session.execute(select(func.count()).select_from(table))).scalar_one())


@pytest.mark.parametrize("name", ["demo_accounts.csv", "demo_accounts.jsonl"])
async def test_demo_portfolio_imports_and_reimports_without_duplicates(
    sessions: Sessions, name: str
) -> None:
    report = await import_accounts(sessions, DATA / name)
    assert report.accounts_created == 7 and report.charges_created == 22
    again = await import_accounts(sessions, DATA / name)
    assert again.accounts_created == 0 and again.accounts_updated == 0
    assert again.charges_created == 0 and again.charges_updated == 0
    assert await count(sessions, AccountRow) == 7
    assert await count(sessions, ChargeRow) == 22
    async with sessions() as session:
        account = await get_account(session, account_id="DEMO-HANT-2")
    assert account is not None
    assert account.locale == "zh_Hant" and account.currency == "TWD"
    assert account.total == Decimal(47400)


async def test_both_formats_describe_the_same_accounts(sessions: Sessions) -> None:
    await import_accounts(sessions, DATA / "demo_accounts.csv")
    report = await import_accounts(sessions, DATA / "demo_accounts.jsonl")
    assert report.accounts_created == 0 and report.charges_created == 0


HEADER = (
    "account_id,borrower_name,phone,birth_date,locale,timezone,currency,due_date,"
    "charge_id,charge_kind,charge_description,charge_amount,charge_posted_on\n"
)
GOOD = "A1,Ann,+15550100009,1980-01-01,en,America/New_York,USD,2026-11-01,C1,principal,Loan,100.00,2026-10-01\n"


async def test_a_changed_export_updates_in_place_and_drops_vanished_charges(
    sessions: Sessions, tmp_path: Path
) -> None:
    first = tmp_path / "first.csv"
    first.write_text(
        HEADER + GOOD + GOOD.replace("C1,principal,Loan,100.00", "C2,late_fee,Fee,5.00")
    )
    await import_accounts(sessions, first)
    second = tmp_path / "second.csv"
    second.write_text(HEADER + GOOD.replace("100.00", "90.00"))
    report = await import_accounts(sessions, second)
    assert (report.charges_updated, report.charges_removed) == (1, 1)
    async with sessions() as session:
        account = await get_account(session, account_id="A1")
    assert account is not None and account.total == Decimal("90.00")


async def test_a_reimport_keeps_a_language_the_borrower_chose(
    sessions: Sessions, tmp_path: Path
) -> None:
    """/language outlives the lender's next file; an account whose borrower never
    chose takes the file's language, and a chosen one still takes everything else."""
    other = GOOD.replace("A1,Ann,", "A2,Bo,").replace(",C1,", ",D1,")
    first = tmp_path / "first.csv"
    first.write_text(HEADER + GOOD + other)
    await import_accounts(sessions, first)
    async with sessions() as session, session.begin():  # as /language's SetLocale writes it
        await write_account(session, "A1", locale="zh_Hans", locale_chosen=True)
    second = tmp_path / "second.csv"
    hant = ",zh-Hant,America/New_York,"
    second.write_text(
        HEADER
        + GOOD.replace(",en,America/New_York,", hant)
        + other.replace(",en,America/New_York,", hant)
    )
    report = await import_accounts(sessions, second)
    assert report.accounts_updated == 1  # A2's language; A1's file row changes nothing kept
    renamed = tmp_path / "renamed.csv"
    renamed.write_text(HEADER + GOOD.replace("A1,Ann,", "A1,Ann Lee,") + other)
    assert (await import_accounts(sessions, renamed)).accounts_updated == 2
    async with sessions() as session:
        chosen = await get_account(session, account_id="A1")
        from_file = await get_account(session, account_id="A2")
    assert chosen is not None and from_file is not None
    assert (chosen.locale, chosen.borrower_name) == ("zh_Hans", "Ann Lee")
    assert from_file.locale == "en"  # the file's language, again


@pytest.mark.parametrize(
    ("bad_row", "field"),
    [
        (GOOD.replace("+15550100009", "5550100"), "phone"),
        (GOOD.replace("1980-01-01", "1980-02-30"), "birth_date"),
        (GOOD.replace("1980-01-01", "2990-01-01"), "birth_date"),
        (GOOD.replace(",en,", ",fr,"), "locale"),
        (GOOD.replace("America/New_York", "Mars/Base"), "timezone"),
        (GOOD.replace(",USD,", ",XYZ,"), "currency"),
        (GOOD.replace("principal", "penalty"), "charge_kind"),
        (GOOD.replace("100.00", "-5.00"), "charge_amount"),
        (GOOD.replace("100.00", "10.005"), "charge_amount"),
        (GOOD.replace("100.00", "lots"), "charge_amount"),
        (GOOD.replace("Ann", ""), "borrower_name"),
    ],
)
async def test_a_bad_row_rejects_the_file_with_its_line_and_writes_nothing(
    sessions: Sessions, tmp_path: Path, bad_row: str, field: str
) -> None:
    path = tmp_path / "export.csv"
    other = GOOD.replace("A1", "A2").replace("C1", "C9")
    path.write_text(HEADER + other + bad_row, encoding="utf-8")
    with pytest.raises(ImportRejected) as rejected:
        await import_accounts(sessions, path)
    assert [(p.line, p.field) for p in rejected.value.problems] == [(3, field)]
    assert rejected.value.problems[0].reason
    assert await count(sessions, AccountRow) == 0  # the good row before it was not written


async def test_rows_of_one_account_must_agree_and_charges_must_be_unique(
    sessions: Sessions, tmp_path: Path
) -> None:
    path = tmp_path / "export.csv"
    path.write_text(HEADER + GOOD + GOOD.replace("Ann", "Anne") + GOOD, encoding="utf-8")
    with pytest.raises(ImportRejected) as rejected:
        await import_accounts(sessions, path)
    reasons = {(p.line, p.field) for p in rejected.value.problems}
    assert (3, "borrower_name") in reasons
    assert (4, "charge_id") in reasons


async def test_jsonl_problems_name_their_line(sessions: Sessions, tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    path.write_text('{"account_id": "A1", "charges": []}\n', encoding="utf-8")
    with pytest.raises(ImportRejected) as rejected:
        await import_accounts(sessions, path)
    assert rejected.value.problems[0].line == 1
    path.write_text("not json\n", encoding="utf-8")
    with pytest.raises(ImportRejected):
        await import_accounts(sessions, path)


async def test_exports_in_csv_and_jsonl(sessions: Sessions) -> None:
    await import_accounts(sessions, DATA / "demo_accounts.csv")
    now = datetime(2026, 11, 22, tzinfo=UTC)
    async with sessions() as session, session.begin():
        session.add(
            ArrangementRow(
                id="A-1",
                account_id="DEMO-EN-1",
                kind="installment_plan",
                amount=Decimal("100.00"),
                currency="USD",
                installments=[
                    {"due_date": "2026-12-01", "amount": "50.00"},
                    {"due_date": "2026-12-31", "amount": "50.00"},
                ],
                script_version="v1",
                created_at=now,
            )
        )
        session.add(
            DisputeRow(
                id="D-1",
                account_id="DEMO-EN-1",
                charge_ids=["DEMO-EN-1-F"],
                amount=Decimal("35.00"),
                currency="USD",
                reason="never notified",
                answer_due_on=date(2026, 12, 22),
                created_at=now,
            )
        )
        session.add(
            EscalationRow(
                account_id="DEMO-EN-1", reason="crisis", priority="urgent", created_at=now
            )
        )
    out = io.StringIO()
    assert await export(sessions, what="arrangements", fmt="csv", out=out) == 1
    (row,) = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert row["installments"] == "2026-12-01:50.00;2026-12-31:50.00"
    assert row["amount"] == "100.00" and row["script_version"] == "v1"
    out = io.StringIO()
    await export(sessions, what="disputes", fmt="jsonl", out=out)
    dispute = json.loads(out.getvalue())
    assert dispute["charge_ids"] == ["DEMO-EN-1-F"] and dispute["amount"] == "35.00"
    out = io.StringIO()
    await export(sessions, what="escalations", fmt="jsonl", out=out)
    assert json.loads(out.getvalue())["priority"] == "urgent"
