"""Invariants of money and plans, on any amount, currency and policy (issue 17 point 2)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.accounts import Account, Charge, ChargeKind
from bot.domain.money import minor_unit
from bot.domain.plans import (
    extension_options,
    first_due_date,
    plan_for_monthly,
    plan_options,
    schedule_option,
    smallest_monthly_offer,
)
from bot.domain.policy import ExtensionPolicy, InstallmentPolicy

CURRENCIES = ["USD", "JPY", "KWD", "TWD"]  # 2, 0, 3 and 2 minor digits
DATES = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))


@st.composite
def money(draw: st.DrawFn, max_units: int = 10**8) -> tuple[Decimal, str]:
    currency = draw(st.sampled_from(CURRENCIES))
    return draw(st.integers(min_value=1, max_value=max_units)) * minor_unit(currency), currency


@st.composite
def policies(draw: st.DrawFn) -> InstallmentPolicy:
    longest = draw(st.integers(min_value=1, max_value=60))
    terms = draw(st.lists(st.integers(min_value=1, max_value=longest), min_size=1, max_size=4))
    minimum = draw(st.decimals(min_value=0, max_value=3000, places=2))
    return InstallmentPolicy(
        terms_months=tuple(terms),
        max_term_months=longest,
        min_installment={c: minimum for c in CURRENCIES},
        first_due_in_days=draw(st.integers(min_value=1, max_value=31)),
        payment_holiday_days=draw(st.integers(min_value=0, max_value=90)),
    )


@given(money(), policies(), DATES)
def test_every_offered_schedule_sums_exactly_and_dates_strictly_increase(
    amount_currency: tuple[Decimal, str], policy: InstallmentPolicy, today: date
) -> None:
    amount, currency = amount_currency
    start = first_due_date(today, policy)
    assert start > today  # a plan date is never in the past, nor today
    for option in plan_options(amount, currency, policy):
        rows = schedule_option(option, start)
        assert sum((a for _, a in rows), Decimal(0)) == amount == option.total
        assert len(rows) == option.months
        assert all(a < b for (a, _), (b, _) in pairwise(rows))
        # Never more than one a month: the span is exactly the term.
        last = rows[-1][0]
        assert (last.year - start.year) * 12 + last.month - start.month == option.months - 1


@given(money(), policies(), st.integers(min_value=0, max_value=10**8))
def test_an_accepted_offer_never_asks_more_than_offered_nor_less_than_the_minimum(
    amount_currency: tuple[Decimal, str], policy: InstallmentPolicy, offer_units: int
) -> None:
    amount, currency = amount_currency
    offered = offer_units * minor_unit(currency)
    decision = plan_for_monthly(amount, currency, offered, policy)
    if offered >= amount:
        assert decision.reason == "above_total" and decision.accepted is None
    if decision.accepted is not None:
        assert all(a <= offered for a in decision.accepted.amounts)
        assert all(a >= policy.minimum_for(currency) for a in decision.accepted.amounts)
        assert 2 <= decision.accepted.months <= policy.max_term_months
        assert sum(decision.accepted.amounts, Decimal(0)) == amount


@given(money(max_units=10**7), policies())
def test_the_stated_minimum_is_exactly_the_smallest_accepted_offer(
    amount_currency: tuple[Decimal, str], policy: InstallmentPolicy
) -> None:
    amount, currency = amount_currency
    smallest = smallest_monthly_offer(amount, currency, policy)
    if smallest is None:
        # No offer at all below the whole balance is accepted.
        below_total = amount - minor_unit(currency)
        assert plan_for_monthly(amount, currency, below_total, policy).reason != "ok"
        return
    assert plan_for_monthly(amount, currency, smallest, policy).reason == "ok"
    one_less = smallest - minor_unit(currency)
    assert plan_for_monthly(amount, currency, one_less, policy).reason != "ok"


@given(DATES, DATES, st.lists(st.integers(1, 120), min_size=1, max_size=4))
def test_an_extension_never_ends_before_today(due: date, today: date, days: list[int]) -> None:
    policy = ExtensionPolicy(options_days=tuple(days), max_per_account=1)
    for extra, new_due in extension_options(due, 0, policy, today=today):
        assert new_due == max(due, today) + timedelta(days=extra)
        assert new_due > today and new_due > due


@st.composite
def accounts(draw: st.DrawFn) -> Account:
    amounts = draw(st.lists(st.integers(0, 10**6), min_size=1, max_size=6))
    charges = tuple(
        Charge(f"C{i}", ChargeKind.OTHER, "charge", units * Decimal("0.01"), date(2026, 1, 1))
        for i, units in enumerate(amounts)
    )
    disputed = draw(st.sets(st.sampled_from([c.charge_id for c in charges])))
    return Account(
        account_id="A",
        borrower_name="B",
        phone="+1",
        birth_date=date(1990, 1, 1),
        locale="en",
        timezone="UTC",
        currency="USD",
        due_date=date(2026, 11, 1),
        charges=charges,
        disputed_charge_ids=frozenset(disputed),
    )


@given(accounts(), policies())
@pytest.mark.rule("R8")
def test_a_disputed_charge_is_in_no_schedule_R8(
    account: Account, policy: InstallmentPolicy
) -> None:
    held = sum(
        (c.amount for c in account.charges if c.charge_id in account.disputed_charge_ids),
        Decimal(0),
    )
    assert account.collectible_total == account.total - held
    assert account.disputed_total == held
    for option in plan_options(account.collectible_total, "USD", policy):
        assert sum(option.amounts, Decimal(0)) == account.total - held
