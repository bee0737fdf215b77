"""Issue 34 point 5 (R7): payments from the lender's file lower what the statement and
the plan show, the same day, and are not taken off twice once the lender's next
account file has them. Driven through `payments import` and the runtime."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.service.accounts_import import import_accounts
from bot.service.outbox import OutgoingMessage
from bot.service.payments import import_payments
from tests.negotiation.test_one_arrangement import _tap
from tests.negotiation.test_payments import HEADER, _plan, _status
from tests.runtime.conftest import FIXTURES, NOW, WebChat

TODAY = NOW.date().isoformat()


async def _pay(web: WebChat, tmp_path: Path, amount: str, reference: str = "BANK-1") -> str:
    path = tmp_path / f"{reference}.csv"
    path.write_text(HEADER + f"T-EN,{amount},USD,{TODAY},{reference}\n", encoding="utf-8")
    return str(await import_payments(web.app.sessions, path, now=NOW))


async def _statement(web: WebChat, user: str) -> OutgoingMessage:
    """The statement the borrower sees next: back to my options after the plan."""
    (statement,) = await _tap(web, user, 0)
    return statement


@pytest.mark.rule("R7")
async def test_r7_a_payment_lowers_the_statement_and_what_is_left_on_the_plan(
    web: WebChat, tmp_path: Path
) -> None:
    await _plan(web)  # $1,320.50 in 3: $440.17, $440.17, $440.16
    assert await _pay(web, tmp_path, "440.17") == "1 payment recorded"
    text = (await _statement(web, "payer")).text
    assert "Payments received since these figures: $440.17" in text
    assert "Total due: $880.33" in text
    assert "the next payment of $440.17" in text
    assert "$880.33 is left to pay under the plan" in text
    assert "$1,320.50 is left" not in text


@pytest.mark.rule("R7")
async def test_r7_a_partial_payment_lowers_the_next_installment(
    web: WebChat, tmp_path: Path
) -> None:
    await _plan(web)
    await _pay(web, tmp_path, "100.00")
    text = (await _statement(web, "payer")).text
    assert "Total due: $1,220.50" in text
    assert "the next payment of $340.17" in text
    assert "$1,220.50 is left to pay under the plan" in text


@pytest.mark.rule("R7")
async def test_r7_a_payment_larger_than_the_plan_keeps_it_and_asks_for_nothing_more(
    web: WebChat, tmp_path: Path
) -> None:
    plan = await _plan(web)
    assert await _pay(web, tmp_path, "1500.00") == "1 payment recorded; 1 arrangement kept"
    assert await _status(web, plan.id) == "kept"
    statement = await _statement(web, "payer")
    assert "Total due: $0.00" in statement.text
    assert "left to pay under the plan" not in statement.text
    assert "You can also tell me what you can pay each month" not in statement.text
    (answer,) = await web.say("payer", "I can pay 300 a month")
    assert "There is nothing to pay on your account right now" in answer.text


@pytest.mark.rule("R7")
async def test_r7_the_lenders_next_file_has_the_payment_so_it_is_not_taken_off_twice(
    web: WebChat, tmp_path: Path
) -> None:
    await _plan(web)
    await _pay(web, tmp_path, "440.17")
    # The lender's next account file (imported after the payment day) includes it.
    await import_accounts(web.app.sessions, FIXTURES / "accounts.csv")
    text = (await _statement(web, "payer")).text
    assert "Payments received" not in text
    assert "Total due: $1,320.50" in text
    # The plan still counts what was paid towards it.
    assert "$880.33 is left to pay under the plan" in text
