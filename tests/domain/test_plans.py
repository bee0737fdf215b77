"""Negotiation arithmetic, checked on many amounts by hypothesis."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.money import minor_unit, quantize
from bot.domain.plans import (
    PlanError,
    extension_options,
    plan_for_monthly,
    plan_options,
    promise_date_ok,
    schedule,
    split_evenly,
)
from bot.domain.policy import ExtensionPolicy, InstallmentPolicy, PromisePolicy

CURRENCIES = ["USD", "JPY", "KWD", "CNY", "TWD"]  # 2, 0, 3, 2, 2 minor digits (Babel)
POLICY = InstallmentPolicy(
    terms_months=(3, 6, 12),
    max_term_months=12,
    min_installment={"USD": Decimal(25), "JPY": Decimal(3000), "KWD": Decimal(10)},
    default_min_installment=Decimal(10),
)


@st.composite
def amounts(draw: st.DrawFn) -> tuple[Decimal, str]:
    currency = draw(st.sampled_from(CURRENCIES))
    units = draw(st.integers(min_value=0, max_value=10**9))
    return units * minor_unit(currency), currency


@given(amounts(), st.integers(min_value=1, max_value=120))
def test_split_sums_exactly_and_differs_by_at_most_one_minor_unit(
    money: tuple[Decimal, str], count: int
) -> None:
    amount, currency = money
    parts = split_evenly(amount, currency, count)
    assert len(parts) == count
    assert sum(parts, Decimal(0)) == amount
    assert max(parts) - min(parts) <= minor_unit(currency)
    assert all(p % minor_unit(currency) == 0 for p in parts)
    assert list(parts) == sorted(parts, reverse=True)


@given(amounts())
def test_plan_options_never_leave_policy(money: tuple[Decimal, str]) -> None:
    amount, currency = money
    for option in plan_options(amount, currency, POLICY):
        assert 2 <= option.months <= POLICY.max_term_months
        assert option.months in POLICY.terms_months
        assert min(option.amounts) >= POLICY.minimum_for(currency)
        assert sum(option.amounts, Decimal(0)) == amount


@given(amounts(), st.decimals(min_value=Decimal("0.01"), max_value=Decimal(10**8), places=2))
def test_a_monthly_offer_is_answered_inside_policy_or_not_at_all(
    money: tuple[Decimal, str], monthly: Decimal
) -> None:
    amount, currency = money
    decision = plan_for_monthly(amount, currency, monthly, POLICY)
    for option in (decision.accepted, decision.nearest):
        if option is None:
            continue
        assert 2 <= option.months <= POLICY.max_term_months
        assert min(option.amounts) >= POLICY.minimum_for(currency)
        assert sum(option.amounts, Decimal(0)) == amount
    if decision.accepted is not None:
        assert decision.reason == "ok"
        assert decision.accepted.installment <= quantize(monthly, currency) + minor_unit(currency)


def test_examples() -> None:
    assert split_evenly(Decimal("100.00"), "USD", 3) == (
        Decimal("33.34"),
        Decimal("33.33"),
        Decimal("33.33"),
    )
    assert split_evenly(Decimal(1000), "JPY", 3) == (Decimal(334), Decimal(333), Decimal(333))
    decision = plan_for_monthly(Decimal("1320.50"), "USD", Decimal(200), POLICY)
    assert decision.accepted is not None and decision.accepted.months == 7
    too_small = plan_for_monthly(Decimal("1320.50"), "USD", Decimal(20), POLICY)
    assert too_small.reason == "below_minimum"
    assert too_small.nearest is not None and too_small.nearest.months == 12
    too_long = plan_for_monthly(Decimal("100000.00"), "USD", Decimal(100), POLICY)
    assert too_long.reason == "too_long" and too_long.nearest is not None
    assert plan_for_monthly(Decimal("50.00"), "USD", Decimal(60), POLICY).reason == "above_total"
    assert plan_for_monthly(Decimal("40.00"), "USD", Decimal(5), POLICY).nearest is None


@pytest.mark.parametrize(
    ("amount", "count"), [(Decimal("-1.00"), 2), (Decimal("1.001"), 2), (Decimal(10), 0)]
)
def test_impossible_splits_are_refused(amount: Decimal, count: int) -> None:
    with pytest.raises(PlanError):
        split_evenly(amount, "USD", count)


def test_schedule_dates_follow_the_interval() -> None:
    rows = schedule(Decimal("90.00"), "USD", 3, date(2026, 12, 1), 30)
    assert [d for d, _ in rows] == [date(2026, 12, 1), date(2026, 12, 31), date(2027, 1, 30)]


def test_extensions_are_limited_per_account() -> None:
    policy = ExtensionPolicy(options_days=(7, 14), max_per_account=1)
    due = date(2026, 11, 18)
    assert extension_options(due, 0, policy) == ((7, due + timedelta(7)), (14, due + timedelta(14)))
    assert extension_options(due, 1, policy) == ()


def test_promise_dates_R10() -> None:
    policy = PromisePolicy(max_days_ahead=30)
    today = date(2026, 11, 22)
    assert promise_date_ok(today, today, policy) == "ok"
    assert promise_date_ok(today, today - timedelta(1), policy) == "in_past"
    assert promise_date_ok(today, today + timedelta(31), policy) == "too_far"
