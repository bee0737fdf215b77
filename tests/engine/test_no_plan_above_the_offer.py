"""CONC 7.3 through the action the script calls: "I can pay X a month" is answered
with a plan of at most X a month, or refused with the smallest monthly that works;
never with a plan above X (issue 30: the counter-offer path is gone)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.money import minor_unit
from bot.engine.actions import ACTIONS, HARDSHIP_SAID, ActionRun
from bot.engine.types import Context
from tests.engine.driver import NOW, make_account, shipped_policy

CURRENCIES = ("USD", "JPY", "KWD")  # 2, 0 and 3 minor digits
POLICY = shipped_policy()


def _offer(balance: Decimal, currency: str, monthly: Decimal, *, hardship: bool) -> ActionRun:
    account = make_account(currency=currency, principal=str(balance), interest="0", fee="0")
    run = ActionRun(
        Context(account, POLICY, NOW, id_seed="t"),
        {HARDSHIP_SAID: True} if hardship else {},
        monthly,
        {},
        [],
        verified=True,
        locale="en",
    )
    ACTIONS["propose_monthly"].run(run)
    return run


@st.composite
def balances(draw: st.DrawFn) -> tuple[Decimal, str]:
    currency = draw(st.sampled_from(CURRENCIES))
    units = draw(st.integers(min_value=1, max_value=10**6))
    return units * minor_unit(currency), currency


@pytest.mark.rule("R11")
@settings(max_examples=300, deadline=None)
@given(balances(), st.integers(min_value=1, max_value=4000), st.booleans())
def test_no_plan_above_the_offer_is_ever_proposed(
    balance: tuple[Decimal, str], offered: int, hardship: bool
) -> None:
    amount, currency = balance
    monthly = Decimal(offered)
    run = _offer(amount, currency, monthly, hardship=hardship)
    decision = run.vars["plan_decision"]
    plan = run.get("plan")
    if decision == "ok":
        assert plan is not None
        assert all(row["amount"].amount <= monthly for row in plan["installments"])
        return
    assert plan is None and "plan_months" not in run.vars
    smallest = run.get("min_monthly_offer")
    if decision != "above_total" and smallest is not None:
        # The minimum stated is above the offer, and is itself accepted.
        assert smallest.amount > monthly
        assert _offer(amount, currency, smallest.amount, hardship=hardship).get("plan")
