"""Each policy limit on plans, at the limit and one minor unit (or day) either side.

Every test names the rule it protects, so a mutant that survives points at a
rule nobody checks.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from decimal import Decimal

import pytest

from bot.domain.plans import (
    PlanError,
    add_months,
    extension_options,
    first_due_date,
    hardship_plan_options,
    make_option,
    plan_for_monthly,
    plan_options,
    promise_after_due,
    promise_date_ok,
    schedule,
    schedule_option,
    smallest_monthly_offer,
    split_evenly,
)
from bot.domain.policy import (
    ExtensionPolicy,
    HardshipPolicy,
    InstallmentPolicy,
    Policy,
    PromisePolicy,
    SupportLine,
)

D = Decimal
USD25 = InstallmentPolicy(
    terms_months=(2, 3, 6, 12), max_term_months=12, min_installment={"USD": D(25)}
)


def policy(
    minimum: str = "25", max_term: int = 12, terms: tuple[int, ...] = (3,)
) -> InstallmentPolicy:
    return InstallmentPolicy(
        terms_months=terms,
        max_term_months=max_term,
        min_installment={"USD": D(minimum), "JPY": D(minimum)},
    )


# ---- splitting ----


def test_split_accepts_one_installment_and_zero_amount() -> None:
    assert split_evenly(D("10.00"), "USD", 1) == (D("10.00"),)
    assert split_evenly(D(0), "USD", 1) == (D(0),)
    with pytest.raises(PlanError, match=r"^a plan needs at least one installment$"):
        split_evenly(D("10.00"), "USD", 0)
    with pytest.raises(PlanError, match=r"^a plan cannot cover a negative amount$"):
        split_evenly(D("-0.01"), "USD", 1)
    with pytest.raises(PlanError, match="minor unit"):
        split_evenly(D("0.005"), "USD", 1)


def test_an_option_names_its_largest_installment() -> None:
    option = make_option(D("100.00"), "USD", 3)
    assert option.months == 3
    assert option.amounts == (D("33.34"), D("33.33"), D("33.33"))
    assert option.installment == D("33.34")
    assert option.total == D("100.00")


# ---- the minimum installment, on the smallest (last) installment ----


def test_an_installment_exactly_at_the_minimum_is_offered() -> None:
    (option,) = plan_options(D("75.00"), "USD", policy("25"))
    assert option.amounts == (D(25), D(25), D(25))


def test_a_last_installment_one_cent_under_the_minimum_is_not_offered() -> None:
    # 74.99 over 3 months is 25.00 / 25.00 / 24.99: the last one is under 25.
    assert plan_options(D("74.99"), "USD", policy("25")) == ()


def test_two_month_plans_are_offered_and_one_month_plans_never() -> None:
    options = plan_options(D("50.00"), "USD", policy("25", terms=(1, 2, 3)))
    assert [o.months for o in options] == [2]
    assert plan_options(D("0.01"), "USD", policy("0", terms=(1,))) == ()


def test_nothing_is_offered_on_a_zero_or_negative_balance() -> None:
    assert plan_options(D(0), "USD", policy("0")) == ()
    assert plan_options(D("-1.00"), "USD", policy("0")) == ()


# ---- "I can pay X a month" ----


def test_an_offer_exactly_at_the_minimum_is_accepted_one_cent_less_is_not() -> None:
    at = plan_for_monthly(D("75.00"), "USD", D("25.00"), policy("25"))
    assert at.reason == "ok" and at.accepted is not None
    assert at.accepted.amounts == (D(25), D(25), D(25))
    below = plan_for_monthly(D("75.00"), "USD", D("24.99"), policy("25"))
    assert below.reason == "below_minimum" and below.accepted is None
    assert smallest_monthly_offer(D("75.00"), "USD", policy("25")) == D(25)


def test_an_offer_making_exactly_the_longest_term_is_accepted_one_cent_less_is_not() -> None:
    at = plan_for_monthly(D("120.00"), "USD", D("10.00"), policy("1", max_term=12))
    assert at.reason == "ok" and at.accepted is not None and at.accepted.months == 12
    longer = plan_for_monthly(D("120.00"), "USD", D("9.99"), policy("1", max_term=12))
    assert longer.reason == "too_long" and longer.accepted is None
    assert smallest_monthly_offer(D("120.00"), "USD", policy("1", max_term=12)) == D(10)


def test_an_offer_of_the_whole_balance_is_paying_in_full() -> None:
    assert plan_for_monthly(D("100.00"), "USD", D("100.00"), USD25).reason == "above_total"
    assert plan_for_monthly(D("100.00"), "USD", D("100.01"), USD25).reason == "above_total"
    just_under = plan_for_monthly(D("100.00"), "USD", D("99.99"), USD25)
    assert just_under.reason == "ok" and just_under.accepted is not None
    assert just_under.accepted.amounts == (D(50), D(50))


def test_1000_a_month_on_1200_never_asks_more_than_1000() -> None:
    decision = plan_for_monthly(D("1200.00"), "USD", D("1000"), USD25)
    assert decision.reason == "ok" and decision.accepted is not None
    assert sum(decision.accepted.amounts) == D("1200.00")
    assert all(a <= D(1000) for a in decision.accepted.amounts)


def test_a_fractional_offer_is_rounded_down_never_up() -> None:
    # 199.6 JPY a month: rounding to 200 would give 5 x 200, more than offered.
    decision = plan_for_monthly(D(1000), "JPY", D("199.6"), policy("100"))
    assert decision.accepted is not None
    assert decision.accepted.months == 6
    assert decision.accepted.installment == D(167)


def test_an_offer_under_one_minor_unit_is_below_any_minimum() -> None:
    decision = plan_for_monthly(D("10.00"), "USD", D("0.009"), policy("0"))
    assert decision.reason == "below_minimum" and decision.accepted is None


def test_spread_too_thin_for_the_minimum_is_refused_with_the_smallest_that_works() -> None:
    # 25 a month on 100.01 needs 5 months of 20.00: under 25. 4 months asks 25.01
    # first, above the offer: refused, never offered instead (CONC 7.3).
    decision = plan_for_monthly(D("100.01"), "USD", D(25), USD25)
    assert decision.reason == "below_minimum" and decision.accepted is None
    assert smallest_monthly_offer(D("100.01"), "USD", USD25) == D("25.01")


def test_a_two_month_plan_can_be_the_smallest_that_works() -> None:
    decision = plan_for_monthly(D("50.00"), "USD", D(10), USD25)
    assert decision.accepted is None
    assert smallest_monthly_offer(D("50.00"), "USD", USD25) == D(25)


def test_no_plan_works_when_even_two_months_is_under_the_minimum() -> None:
    decision = plan_for_monthly(D("40.00"), "USD", D(5), USD25)
    assert decision.reason == "below_minimum" and decision.accepted is None
    assert smallest_monthly_offer(D("40.00"), "USD", USD25) is None


def test_nothing_to_pay() -> None:
    decision = plan_for_monthly(D(0), "USD", D(10), USD25)
    assert (decision.accepted, decision.reason) == (None, "nothing_to_pay")


# ---- the minimum the bot states is the one it accepts ----


@pytest.mark.parametrize(
    ("amount", "smallest"),
    [
        ("1320.50", "110.05"),  # 12 months: the longest term sets the minimum, not 25
        ("300.00", "25.00"),  # 12 x 25
        ("100.01", "25.01"),  # 4 months: 25.01 / 25 / 25 / 25
        ("50.00", "25.00"),  # 2 months
    ],
)
def test_smallest_monthly_offer_is_accepted_and_one_cent_less_is_not(
    amount: str, smallest: str
) -> None:
    assert smallest_monthly_offer(D(amount), "USD", USD25) == D(smallest)
    assert plan_for_monthly(D(amount), "USD", D(smallest), USD25).reason == "ok"
    assert plan_for_monthly(D(amount), "USD", D(smallest) - D("0.01"), USD25).reason != "ok"


def test_no_smallest_offer_when_no_plan_fits() -> None:
    assert smallest_monthly_offer(D("40.00"), "USD", USD25) is None
    assert smallest_monthly_offer(D(0), "USD", USD25) is None


# ---- hardship (R11) ----


def test_hardship_plans_are_longer_and_smaller() -> None:
    usual = Policy(
        version="1",
        lender_name="L",
        support_lines={
            "default": (
                SupportLine(number="988", name={"en": "L", "zh_Hans": "L", "zh_Hant": "L"}),
            )
        },
        installments=InstallmentPolicy(
            terms_months=(3, 6, 12), max_term_months=12, min_installment={"USD": D(25)}
        ),
        extensions=ExtensionPolicy(options_days=(7,), max_per_account=1),
        hardship=HardshipPolicy(payment_holiday_days=30),
    )
    amount = D("300.00")
    assert [o.months for o in plan_options(amount, "USD", usual.installments)] == [3, 6, 12]
    relief = hardship_plan_options(amount, "USD", usual)
    assert [o.months for o in relief] == [6, 12, 24]
    assert relief[-1].installment == D("12.50")
    today = date(2026, 11, 22)
    assert first_due_date(today, usual.hardship_installments()) == today + timedelta(days=37)


# ---- dates ----


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2027, 1, 31), 0, date(2027, 1, 31)),
        (date(2027, 1, 31), 1, date(2027, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # leap year
        (date(2027, 1, 31), 2, date(2027, 3, 31)),  # back to the 31st: no drift
        (date(2027, 1, 31), 3, date(2027, 4, 30)),
        (date(2026, 11, 30), 1, date(2026, 12, 30)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),  # across the year
        (date(2026, 11, 15), 14, date(2028, 1, 15)),
        (date(2026, 1, 1), 11, date(2026, 12, 1)),
        (date(2026, 1, 28), 1, date(2026, 2, 28)),  # the last day every month has
        (date(2099, 12, 29), 2, date(2100, 2, 28)),  # 2100 is no leap year
        (date(1999, 12, 29), 2, date(2000, 2, 29)),  # 2000 is
        (date(2027, 3, 31), 1, date(2027, 4, 30)),  # 29th-31st are clamped where short
    ],
)
def test_add_months_keeps_the_day_clamped_to_the_month_end(
    start: date, months: int, expected: date
) -> None:
    assert add_months(start, months) == expected


@pytest.mark.parametrize("day", [28, 29, 30, 31])
def test_add_months_matches_the_calendar_for_every_month_of_four_years(day: int) -> None:
    start = date(2027, 1, day)
    for months in range(48):  # through a leap year (2028) and three common ones
        year, month = divmod(2027 * 12 + months, 12)
        last = calendar.monthrange(year, month + 1)[1]
        assert add_months(start, months) == date(year, month + 1, min(day, last))


def test_a_plan_from_the_31st_falls_on_each_month_end_without_drifting() -> None:
    rows = schedule(D("400.00"), "USD", 4, date(2027, 1, 31))
    assert [d for d, _ in rows] == [
        date(2027, 1, 31),
        date(2027, 2, 28),
        date(2027, 3, 31),
        date(2027, 4, 30),
    ]
    assert [a for _, a in rows] == [D(100)] * 4
    assert schedule_option(make_option(D("400.00"), "USD", 4), date(2027, 1, 31)) == rows


def test_the_first_installment_is_never_today_or_earlier() -> None:
    today = date(2026, 11, 22)
    usual = InstallmentPolicy(
        terms_months=(3,), max_term_months=3, min_installment={}, first_due_in_days=1
    )
    assert first_due_date(today, usual) == date(2026, 11, 23)
    holiday = usual.model_copy(update={"payment_holiday_days": 30})
    assert first_due_date(today, holiday) == date(2026, 12, 23)


# ---- extensions ----

EXT = ExtensionPolicy(options_days=(14, 7, 14), max_per_account=2)


def test_extensions_stop_exactly_at_the_limit_per_account() -> None:
    due = date(2026, 12, 1)
    assert [d for d, _ in extension_options(due, 1, EXT, today=due)] == [7, 14]
    assert extension_options(due, 2, EXT, today=due) == ()
    assert extension_options(due, 3, EXT, today=due) == ()


def test_an_extension_of_an_account_not_yet_due_runs_from_the_due_date() -> None:
    due = date(2026, 12, 1)
    options = extension_options(due, 0, EXT, today=date(2026, 11, 22))
    assert options == ((7, date(2026, 12, 8)), (14, date(2026, 12, 15)))


def test_an_extension_of_a_late_account_runs_from_today_not_into_the_past() -> None:
    # 44 days late: 30 more days from the old due date would already be over.
    due = date(2026, 10, 10)
    today = date(2026, 11, 23)
    options = extension_options(
        due, 0, ExtensionPolicy(options_days=(30,), max_per_account=1), today=today
    )
    assert options == ((30, date(2026, 12, 23)),)


def test_an_extension_on_the_due_date_runs_from_it() -> None:
    due = date(2026, 11, 22)
    assert extension_options(due, 0, EXT, today=due)[0] == (7, date(2026, 11, 29))


# ---- promises (R10) ----


@pytest.mark.parametrize(
    ("offset", "verdict"),
    [(-1, "in_past"), (0, "ok"), (1, "ok"), (30, "ok"), (31, "too_far")],
)
def test_promise_window(offset: int, verdict: str) -> None:
    today = date(2026, 11, 22)
    promised = today + timedelta(days=offset)
    assert promise_date_ok(today, promised, PromisePolicy(max_days_ahead=30)) == verdict


@pytest.mark.parametrize(
    ("today", "promised", "after_due"),
    [
        (date(2026, 11, 22), date(2026, 12, 1), False),  # on the due date
        (date(2026, 11, 22), date(2026, 12, 2), True),  # one day after it
        (date(2026, 11, 22), date(2026, 11, 30), False),
        (date(2026, 12, 1), date(2026, 12, 2), True),  # due today, paid tomorrow
        (date(2026, 12, 2), date(2026, 12, 3), False),  # already late: nothing new to say
    ],
)
def test_a_promise_after_the_due_date_of_an_account_not_yet_due_is_flagged(
    today: date, promised: date, after_due: bool
) -> None:
    assert promise_after_due(today, promised, date(2026, 12, 1)) is after_due


def test_an_installment_of_nothing_is_no_installment() -> None:
    # With no minimum set, one cent still cannot be split into 0.01 + 0.00.
    assert plan_options(D("0.01"), "USD", policy("0", terms=(2,))) == ()
    # Two cents can: small balances are not special.
    (two,) = plan_options(D("0.02"), "USD", policy("0", terms=(2,)))
    assert two.amounts == (D("0.01"), D("0.01"))
    assert smallest_monthly_offer(D("0.01"), "USD", policy("0")) is None
    thin = plan_for_monthly(D("0.03"), "USD", D("0.01"), policy("0"))
    assert thin.accepted is not None and thin.accepted.amounts == (D("0.01"),) * 3
