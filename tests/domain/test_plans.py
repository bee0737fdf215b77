"""Negotiation arithmetic, checked on many amounts by hypothesis."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.money import minor_digits, minor_unit
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

CURRENCIES = ["USD", "JPY", "KWD", "BHD", "CNY", "TWD"]  # 2, 0, 3, 3, 2, 2 minor digits (Babel)
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
    option = decision.accepted
    if option is not None:
        assert 2 <= option.months <= POLICY.max_term_months
        assert min(option.amounts) >= POLICY.minimum_for(currency)
        assert sum(option.amounts, Decimal(0)) == amount
        assert decision.reason == "ok"
        # Never more a month than the borrower offered.
        assert option.installment <= monthly
    else:
        assert decision.reason != "ok"
    if amount > 0 and monthly >= amount:
        assert decision.reason == "above_total" and decision.accepted is None


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
    assert too_small.accepted is None
    too_long = plan_for_monthly(Decimal("100000.00"), "USD", Decimal(100), POLICY)
    assert too_long.reason == "too_long" and too_long.accepted is None
    assert plan_for_monthly(Decimal("50.00"), "USD", Decimal(60), POLICY).reason == "above_total"
    assert plan_for_monthly(Decimal("40.00"), "USD", Decimal(5), POLICY).accepted is None


@pytest.mark.parametrize(
    ("amount", "count"), [(Decimal("-1.00"), 2), (Decimal("1.001"), 2), (Decimal(10), 0)]
)
def test_impossible_splits_are_refused(amount: Decimal, count: int) -> None:
    with pytest.raises(PlanError):
        split_evenly(amount, "USD", count)


def test_schedule_falls_on_the_same_day_of_each_month() -> None:
    rows = schedule(Decimal("90.00"), "USD", 3, date(2026, 11, 30))
    assert [d for d, _ in rows] == [date(2026, 11, 30), date(2026, 12, 30), date(2027, 1, 30)]


def test_extensions_are_limited_per_account() -> None:
    policy = ExtensionPolicy(options_days=(7, 14), max_per_account=1)
    due = date(2026, 11, 18)
    assert extension_options(due, 0, policy, today=due) == (
        (7, due + timedelta(7)),
        (14, due + timedelta(14)),
    )
    assert extension_options(due, 1, policy, today=due) == ()


@pytest.mark.rule("R10")
def test_promise_dates_R10() -> None:
    policy = PromisePolicy(max_days_ahead=30)
    today = date(2026, 11, 22)
    assert promise_date_ok(today, today, policy) == "ok"
    assert promise_date_ok(today, today - timedelta(1), policy) == "in_past"
    assert promise_date_ok(today, today + timedelta(31), policy) == "too_far"


def test_currencies_cover_zero_two_and_three_minor_digits() -> None:
    assert {minor_digits(c) for c in CURRENCIES} == {0, 2, 3}


@st.composite
def policies(draw: st.DrawFn) -> InstallmentPolicy:
    max_term = draw(st.integers(min_value=1, max_value=36))
    terms = draw(st.lists(st.integers(min_value=1, max_value=max_term), min_size=1, max_size=5))
    minimum = draw(st.decimals(min_value=0, max_value=5000, places=0))
    return InstallmentPolicy(
        terms_months=tuple(terms),
        max_term_months=max_term,
        min_installment={"USD": minimum, "JPY": minimum * 100},
        default_min_installment=minimum,
    )


@given(amounts(), policies(), st.decimals(min_value=0, max_value=Decimal(10**7), places=3))
def test_any_policy_is_respected(
    money: tuple[Decimal, str], policy: InstallmentPolicy, monthly: Decimal
) -> None:
    """Whatever a manager writes in policy.yaml, no offer leaves it."""
    amount, currency = money
    minimum = policy.minimum_for(currency)
    decision = plan_for_monthly(amount, currency, monthly, policy)
    offered = [*plan_options(amount, currency, policy), decision.accepted]
    for option in offered:
        if option is None:
            continue
        assert 2 <= option.months <= policy.max_term_months
        assert min(option.amounts) >= minimum
        assert sum(option.amounts, Decimal(0)) == amount
        assert option.installment == max(option.amounts)


@given(
    amounts(),
    st.integers(min_value=1, max_value=60),
    st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
)
def test_schedule_sums_and_falls_monthly(
    money: tuple[Decimal, str], months: int, start: date
) -> None:
    amount, currency = money
    rows = schedule(amount, currency, months, start)
    assert rows[0][0] == start
    assert sum((a for _, a in rows), Decimal(0)) == amount
    # One installment per calendar month, each on the start's day or its month's last.
    for (a, _), (b, _) in pairwise(rows):
        assert a < b
        assert (b.year * 12 + b.month) - (a.year * 12 + a.month) == 1
    assert all(d.day == start.day or (d + timedelta(1)).day == 1 for d, _ in rows)


@pytest.mark.parametrize(
    ("amount", "currency", "parts"),
    [
        (Decimal("10.000"), "KWD", ("3.334", "3.333", "3.333")),
        (Decimal("0.005"), "BHD", ("0.002", "0.002", "0.001")),
        (Decimal(7), "JPY", ("4", "3")),
        (Decimal(0), "USD", ("0", "0")),
    ],
)
def test_split_examples_in_other_currencies(
    amount: Decimal, currency: str, parts: tuple[str, ...]
) -> None:
    assert split_evenly(amount, currency, len(parts)) == tuple(Decimal(p) for p in parts)


def test_split_rejects_amounts_off_the_minor_unit_of_each_currency() -> None:
    with pytest.raises(PlanError):
        split_evenly(Decimal("100.5"), "JPY", 2)
    with pytest.raises(PlanError):
        split_evenly(Decimal("1.0001"), "KWD", 2)


def test_plan_options_skip_terms_below_the_minimum_and_one_month() -> None:
    policy = InstallmentPolicy(
        terms_months=(1, 3, 6, 12), max_term_months=12, min_installment={"USD": Decimal(25)}
    )
    assert [o.months for o in plan_options(Decimal("300.00"), "USD", policy)] == [3, 6, 12]
    assert [o.months for o in plan_options(Decimal("100.00"), "USD", policy)] == [3]
    assert plan_options(Decimal("40.00"), "USD", policy) == ()
    assert plan_options(Decimal(0), "USD", policy) == ()


def test_monthly_offer_rounds_down_to_the_minor_unit() -> None:
    decision = plan_for_monthly(Decimal(1000), "JPY", Decimal("250.9"), _jpy_policy())
    assert decision.accepted is not None
    assert decision.accepted.months == 4
    assert decision.accepted.installment == Decimal(250)


def _jpy_policy() -> InstallmentPolicy:
    return InstallmentPolicy(
        terms_months=(3,), max_term_months=12, min_installment={"JPY": Decimal(100)}
    )


def test_monthly_offer_reasons() -> None:
    assert plan_for_monthly(Decimal(0), "USD", Decimal(10), POLICY).reason == "nothing_to_pay"
    exact = plan_for_monthly(Decimal("100.00"), "USD", Decimal("100.00"), POLICY)
    assert exact == plan_for_monthly(Decimal("100.00"), "USD", Decimal(500), POLICY)
    assert exact.reason == "above_total" and exact.accepted is None
    zero = plan_for_monthly(Decimal("300.00"), "USD", Decimal(0), POLICY)
    assert zero.reason == "below_minimum" and zero.accepted is None
    # 100.01 over 5 months is below 25 a month; 4 months would ask 25.01: refused.
    uneven = plan_for_monthly(Decimal("100.01"), "USD", Decimal(25), POLICY)
    assert uneven.reason == "below_minimum" and uneven.accepted is None
    too_long = plan_for_monthly(Decimal("100000.00"), "USD", Decimal(100), POLICY)
    assert too_long.reason == "too_long" and too_long.accepted is None


def test_extension_limit_zero_offers_nothing() -> None:
    policy = ExtensionPolicy(options_days=(30, 7, 7), max_per_account=0)
    due = date(2026, 1, 31)
    assert extension_options(due, 0, policy, today=due) == ()
    policy = ExtensionPolicy(options_days=(30, 7, 7), max_per_account=2)
    assert [d for d, _ in extension_options(due, 1, policy, today=due)] == [7, 30]


@pytest.mark.rule("R10")
def test_promise_on_the_last_allowed_day_R10() -> None:
    """R10: the promise window is the policy's, counted in whole days."""
    policy = PromisePolicy(max_days_ahead=30)
    today = date(2026, 11, 22)
    assert promise_date_ok(today, today + timedelta(30), policy) == "ok"
