"""Issue 7 point 3: payments from the lender's file mark arrangements kept or broken."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlmodel import col

from bot.service.accounts_import import ImportRejected
from bot.service.payments import import_payments, settle_status
from bot.store.tables import ArrangementRow, PaymentRow
from tests.negotiation.test_one_arrangement import _agree_plan
from tests.runtime.conftest import NOW, WebChat

HEADER = "account,amount,currency,paid_on,reference\n"


async def _plan(web: WebChat, user: str = "payer") -> ArrangementRow:
    await web.say(user, f"/start {await web.link('T-EN')}")
    await web.say(user, "1990-05-17")
    await _agree_plan(web, user, 0)  # 3 x $440.17/440.17/440.16, first on Nov 29
    async with web.app.sessions() as session:
        query = select(ArrangementRow).where(col(ArrangementRow.account_id) == "T-EN")
        return (await session.execute(query)).scalars().one()


async def _status(web: WebChat, reference: str) -> str:
    async with web.app.sessions() as session:
        row = await session.get(ArrangementRow, reference)
        assert row is not None
        return row.status


async def test_paying_everything_keeps_the_plan_and_a_reimport_changes_nothing(
    web: WebChat, tmp_path: Path
) -> None:
    plan = await _plan(web)
    path = tmp_path / "payments.csv"
    path.write_text(
        HEADER + "T-EN,440.17,USD,2026-11-28,BANK-1\n" + "T-EN,880.33,USD,2026-11-29,BANK-2\n",
        encoding="utf-8",
    )
    report = await import_payments(web.app.sessions, path, now=NOW)
    assert str(report) == "2 payments recorded; 1 arrangement kept"
    assert await _status(web, plan.id) == "kept"
    again = await import_payments(web.app.sessions, path, now=NOW)
    assert str(again) == "0 payments recorded; 2 already imported"
    async with web.app.sessions() as session:
        count = (await session.execute(select(func.count()).select_from(PaymentRow))).scalar()
    assert count == 2


async def test_too_little_by_an_installments_date_breaks_the_plan(
    web: WebChat, tmp_path: Path
) -> None:
    plan = await _plan(web)
    path = tmp_path / "payments.jsonl"
    record = {
        "account": "T-EN",
        "amount": "100.00",
        "currency": "USD",
        "paid_on": "2026-11-29",
        "reference": "BANK-9",
    }
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    report = await import_payments(web.app.sessions, path, now=NOW + timedelta(days=10))
    assert report.broken == [plan.id]
    assert await _status(web, plan.id) == "broken"


async def test_a_bad_row_rejects_the_whole_file_with_line_numbers(
    web: WebChat, tmp_path: Path
) -> None:
    path = tmp_path / "payments.csv"
    path.write_text(
        HEADER
        + "T-EN,440.17,USD,2026-11-28,OK-1\n"
        + "T-EN,-5,USD,2026-11-28,BAD-1\n"
        + "T-EN,10.00,USD,28/11/2026,BAD-2\n"
        + "T-EN,10.00,USD,2026-11-28,OK-1\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportRejected) as rejected:
        await import_payments(web.app.sessions, path, now=NOW)
    assert [(p.line, p.field) for p in rejected.value.problems] == [
        (3, "amount"),
        (4, "paid_on"),
        (5, "reference"),
    ]
    wrong = tmp_path / "wrong.csv"
    wrong.write_text(
        HEADER + "T-EN,10,USD,2026-11-28,A\nT-HANS,10,USD,2026-11-28,B\nNOPE,1,USD,2026-11-28,C\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportRejected) as rejected:
        await import_payments(web.app.sessions, wrong, now=NOW)
    assert [(p.line, p.field) for p in rejected.value.problems] == [
        (3, "currency"),
        (4, "account"),
    ]
    async with web.app.sessions() as session:
        assert (await session.execute(select(func.count()).select_from(PaymentRow))).scalar() == 0


@pytest.mark.parametrize(
    ("paid", "today", "status"),
    [
        ("300", date(2026, 12, 2), "kept"),
        ("100", date(2026, 12, 2), None),  # the first installment is due that very day
        ("99.99", date(2026, 12, 3), "broken"),
        ("100", date(2026, 12, 3), None),
    ],
)
def test_settling_compares_what_was_paid_with_what_fell_due(
    paid: str, today: date, status: str | None
) -> None:
    installments = [
        {"due_date": "2026-12-02", "amount": "100"},
        {"due_date": "2027-01-02", "amount": "200"},
    ]
    assert settle_status(Decimal("300"), installments, Decimal(paid), today) == status
