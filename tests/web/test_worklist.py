"""The queue's order follows the money (issue 29 point 7): each case keeps its key
(bot/service/worklist.py), and every writer that changes what an account owes moves
its case, on SQLite and PostgreSQL. Every change goes through the real path: the
borrower's dispute through the chat, the lender's payments file and account file."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlmodel import col

from bot.service import desk, desk_timers
from bot.service.accounts_import import import_accounts
from bot.service.payments import import_payments
from bot.store.tables import EscalationRow
from tests.runtime.conftest import FIXTURES, NOW
from tests.web.conftest import Console


async def _order(console: Console, now: datetime = NOW) -> list[str]:
    app = console.chat.app
    async with app.sessions() as session:
        return [i.account_id or "" for i in await desk.queue(session, app.scripts.policy, now)]


async def _api_order(console: Console) -> list[str]:
    async with console.api() as api:
        listed = (await api.get("/api/escalations")).json()
    return [item["account_id"] for item in listed["items"]]


async def test_a_dispute_a_payment_and_a_new_charge_each_move_the_case(
    console: Console, tmp_path: Path
) -> None:
    # On 22 November, each case by days past due × what may be collected:
    # T-HANS 52 days × 8,520 CNY, T-HANT 5 × 6,510 HKD, T-EN 4 × 1,320.50 USD.
    await console.escalation("w-en", "T-EN")
    await console.escalation("w-hans", "T-HANS", "1985-03-09")
    await console.escalation("w-hant", "T-HANT", "1978-12-24")
    assert await _order(console) == ["T-HANS", "T-HANT", "T-EN"]

    # R8: the borrower disputes the card balance through the chat; 510 HKD is left to
    # collect (5 days × 510 = 2,550, below T-EN's 5,282), so the case moves down.
    chat = console.chat
    (back,) = chat.sender.sent["w-hant"][-1].buttons  # on with the assistant, case open
    await chat.press_data("w-hant", "w-hant", back[1])
    (select_charges,) = await chat.press("w-hant", "對費用有異議")
    balance = [label for label, _ in select_charges.buttons if "6,000" in label]
    assert len(balance) == 1, select_charges.buttons
    await chat.press("w-hant", balance[0])
    await chat.press("w-hant", "繼續")
    (recorded,) = await chat.say("w-hant", "這筆結欠不對")
    assert "D-" in recorded.text, recorded.text
    assert await _order(console) == ["T-HANS", "T-EN", "T-HANT"]

    # R7: the lender's payments file: T-HANS paid 8,500 of 8,520 (52 days × 20 left).
    paid = tmp_path / "payments.csv"
    paid.write_text(
        "account,amount,currency,paid_on,reference\nT-HANS,8500.00,CNY,2026-11-21,P-1\n",
        encoding="utf-8",
    )
    await import_payments(chat.app.sessions, paid, now=NOW)
    assert await _order(console) == ["T-EN", "T-HANT", "T-HANS"]
    assert await _api_order(console) == ["T-EN", "T-HANT", "T-HANS"]

    # A new charge in the lender's account file (100,000 CNY on T-HANS) puts it first.
    accounts = tmp_path / "accounts.csv"
    fixture = (FIXTURES / "accounts.csv").read_text(encoding="utf-8")
    accounts.write_text(
        fixture + "T-HANS,王小明,+8613800000001,1985-03-09,zh-Hans,Asia/Shanghai,CNY,"
        "2026-10-01,T-HANS-X,other,分期手續費,100000.00,2026-11-20\n",
        encoding="utf-8",
    )
    await import_accounts(chat.app.sessions, accounts)
    assert await _order(console) == ["T-HANS", "T-EN", "T-HANT"]
    async with chat.app.sessions() as session:
        kept = await session.scalar(
            select(col(EscalationRow.amount_due)).where(col(EscalationRow.account_id) == "T-HANS")
        )
    # The payment's day is before the file's: the file reflects it now (R7).
    assert kept is not None and Decimal(kept) == Decimal("108520.00")


async def test_the_clock_counts_a_new_day_so_the_product_stays_true(
    console: Console, tmp_path: Path
) -> None:
    """Days past due × amount is not an order that holds over time: a case due earlier
    with less owed falls behind one that owes more as days pass. The desk's clock
    weighs each case again once its account has begun a new day."""
    await console.escalation("d-en", "T-EN")
    await console.escalation("d-hans", "T-HANS", "1985-03-09")
    paid = tmp_path / "payments.csv"
    paid.write_text(
        "account,amount,currency,paid_on,reference\nT-HANS,8418.00,CNY,2026-11-21,P-2\n",
        encoding="utf-8",
    )
    await import_payments(console.chat.app.sessions, paid, now=NOW)
    # 22 November: T-HANS 52 days × 102 = 5,304 before T-EN 4 × 1,320.50 = 5,282.
    assert await _order(console) == ["T-HANS", "T-EN"]
    # 23 November: 53 × 102 = 5,406 behind 5 × 1,320.50 = 6,602.50.
    tomorrow = NOW + timedelta(days=1)
    await desk_timers.run(console.chat.app.runtime, tomorrow)
    assert await _order(console, tomorrow) == ["T-EN", "T-HANS"]
    async with console.chat.app.sessions() as session:
        weights = dict(
            (
                await session.execute(
                    select(col(EscalationRow.account_id), col(EscalationRow.weight))
                )
            ).all()
        )
    assert {k: Decimal(v) for k, v in weights.items()} == {
        "T-EN": Decimal("6602.50"),
        "T-HANS": Decimal("5406.00"),
    }


async def test_a_closed_case_keeps_the_key_it_had_at_its_close(
    console: Console, tmp_path: Path
) -> None:
    """The CRM API lists closed cases with what was owed: as it stood at the close
    (4 days × 1,320.50 on 22 November), whatever is paid or however many days pass
    after, and with no next weighing kept for the clock."""
    ticket = await console.escalation("k-en", "T-EN")
    async with console.api() as api:
        assert (await api.post(f"/api/escalations/{ticket}/take")).status_code == 200
        closed = await api.post(f"/api/escalations/{ticket}/close", json={"outcome": "callback"})
        assert closed.status_code == 200
    paid = tmp_path / "payments.csv"
    paid.write_text(
        "account,amount,currency,paid_on,reference\nT-EN,1000.00,USD,2026-11-22,P-3\n",
        encoding="utf-8",
    )
    await import_payments(console.chat.app.sessions, paid, now=NOW)
    later = NOW + timedelta(days=3)
    await desk_timers.run(console.chat.app.runtime, later)
    async with console.chat.app.sessions() as session:
        case = await desk.escalation(session, ticket)
        assert case is not None and case.status == "closed"
        kept = (Decimal(case.amount_due), Decimal(case.weight), case.reweigh_at)
        assert kept == (Decimal("1320.50"), Decimal("5282.00"), None)
        which = desk.QueueFilter(statuses=("closed",))
        (item,) = await desk.queue(session, console.chat.app.scripts.policy, later, which)
    assert (item.days_past_due, item.amount_due) == (4, Decimal("1320.50"))
