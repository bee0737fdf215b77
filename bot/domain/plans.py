"""Installment arithmetic and the policy limits on what the bot may agree to.

Every amount is a Decimal on the currency's minor unit. A schedule sums to the
amount exactly: the remainder of an even split is spread one minor unit at a
time over the first installments, so installments differ by at most one unit.
Nothing here returns a plan outside the policy: what the bot may not agree
to goes to a person, never through a loophole in the arithmetic.

Dates: installments fall on the same day of each calendar month, clamped to
the month's end, and nothing the bot agrees to is due before today.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from functools import lru_cache

from bot.domain.money import minor_unit
from bot.domain.policy import ExtensionPolicy, InstallmentPolicy, Policy, PromisePolicy


class PlanError(ValueError):
    """Arithmetic asked for something impossible (a programming error upstream)."""


def split_evenly(amount: Decimal, currency: str, count: int) -> tuple[Decimal, ...]:
    """`count` installments summing to `amount`, larger ones first, within one minor unit.

    Larger first, so the borrower's later payments never grow.
    """
    if count < 1:
        raise PlanError("a plan needs at least one installment")
    if amount < 0:
        raise PlanError("a plan cannot cover a negative amount")
    unit = minor_unit(currency)
    if amount % unit != 0:
        raise PlanError(f"{amount} is not on the minor unit of {currency}")
    units = int(amount / unit)
    base, extra = divmod(units, count)
    # Built from two values rather than one product per installment: a policy's
    # longest terms run to dozens of months, and each plan offered is split.
    return ((base + 1) * unit,) * extra + (base * unit,) * (count - extra)


@dataclass(frozen=True)
class PlanOption:
    """A plan the bot may offer; `installment` is the largest one (the first)."""

    months: int
    installment: Decimal  # the largest installment
    amounts: tuple[Decimal, ...]
    total: Decimal  # what the plan covers: exactly the sum of `amounts`


def make_option(amount: Decimal, currency: str, months: int) -> PlanOption:
    """The even split of `amount` over `months` as one offer (no policy check)."""
    amounts = split_evenly(amount, currency, months)
    return PlanOption(months=months, installment=amounts[0], amounts=amounts, total=amount)


# ---- dates ----


def add_months(start: date, months: int) -> date:
    """The same day `months` calendar months later, clamped to that month's last day.

    Always counted from `start`, never from the previous result, so a plan
    begun on the 31st goes Jan 31, Feb 28 (29), Mar 31: no drift.
    """
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    # Written `< 29`, not `<= 28`: at 28 `<` would send the 28th to the clamp, which gives
    # 28 too, a wrong version no test could tell apart.
    if start.day < 29:  # every month has the day
        return date(year, month + 1, start.day)
    return date(year, month + 1, min(start.day, _days_in_month(year, month + 1)))


# Days in each month of a common year (calendar.monthrange also works out a weekday).
_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _days_in_month(year: int, month: int) -> int:
    if month == 2 and calendar.isleap(year):
        return 29
    return _MONTH_DAYS[month - 1]


def first_due_date(today: date, policy: InstallmentPolicy) -> date:
    """When the first installment of a plan agreed today falls due (never before today).

    A payment holiday (hardship) pushes it further out by its days.
    """
    return today + timedelta(days=policy.first_due_in_days + policy.payment_holiday_days)


def due_dates(start: date, count: int) -> tuple[date, ...]:
    """`count` monthly due dates, the first on `start` (see `add_months`)."""
    return tuple(add_months(start, i) for i in range(count))


# The same for every plan begun on the same day, and a long term is dozens of dates:
# kept per start and count. (mutmut reaches a body only when it is not decorated.)
_due_dates = lru_cache(maxsize=512)(due_dates)


def schedule_option(option: PlanOption, start: date) -> tuple[tuple[date, Decimal], ...]:
    """Due dates and amounts of `option`: the first on `start`, then monthly on its day."""
    dates = _due_dates(start, len(option.amounts))
    # Not mutated: there are as many dates as amounts, so `strict` never has to fail.
    return tuple(zip(dates, option.amounts, strict=True))  # pragma: no mutate


def schedule(
    amount: Decimal, currency: str, months: int, start: date
) -> tuple[tuple[date, Decimal], ...]:
    """Due dates and amounts of `amount` split evenly over `months`, starting on `start`."""
    return schedule_option(make_option(amount, currency, months), start)


# ---- plans inside policy ----


def _fits(option: PlanOption, policy: InstallmentPolicy, currency: str) -> bool:
    # The last installment is the smallest: every installment meets the minimum,
    # and is at least one minor unit (an installment of nothing is no installment).
    floor = max(policy.minimum_for(currency), minor_unit(currency))
    return option.amounts[-1] >= floor


def plan_options(
    amount: Decimal, currency: str, policy: InstallmentPolicy
) -> tuple[PlanOption, ...]:
    """The policy's terms whose every installment meets the minimum; never a 1-month plan.

    A 1-month "plan" is just the full payment, which the script offers on its own.
    """
    if amount <= 0:  # pragma: no mutate (at 0 `<` is the same: no installment of nothing fits)
        return ()
    options = (make_option(amount, currency, m) for m in sorted(set(policy.terms_months)) if m > 1)
    return tuple(o for o in options if _fits(o, policy, currency))


def hardship_plan_options(amount: Decimal, currency: str, policy: Policy) -> tuple[PlanOption, ...]:
    """R11: the plans offered first to a borrower in difficulty (longer, smaller)."""
    return plan_options(amount, currency, policy.hardship_installments())


@dataclass(frozen=True)
class PlanDecision:
    """The answer to "I can pay X a month": a plan inside policy, or none and why.

    No plan above the offer is ever made instead (CONC 7.3): a refusal states the
    smallest monthly that works (`smallest_monthly_offer`) and offers a person
    (R11, R14). Reasons: ok, below_minimum, too_long, nothing_to_pay, and
    above_total: the offer covers the whole balance, so the answer is paying in
    full (no plan).
    """

    accepted: PlanOption | None
    reason: str


def _longest_fitting(
    amount: Decimal, currency: str, policy: InstallmentPolicy
) -> PlanOption | None:
    # Installments shrink as the term grows, so the longest term that fits
    # gives the smallest installments the policy allows.
    for months in range(policy.max_term_months, 1, -1):
        option = make_option(amount, currency, months)
        if _fits(option, policy, currency):
            return option
    return None


def smallest_monthly_offer(
    amount: Decimal, currency: str, policy: InstallmentPolicy
) -> Decimal | None:
    """The smallest "I can pay X a month" that `plan_for_monthly` accepts; None if none is.

    This, not the policy's bare minimum installment, is the minimum to state:
    the longest term can make the real minimum higher. An offer of exactly
    this is accepted; one minor unit less is not.
    """
    if amount <= 0:  # pragma: no mutate (at 0 `<` is the same: no installment of nothing fits)
        return None
    longest = _longest_fitting(amount, currency, policy)
    return None if longest is None else longest.installment


def plan_for_monthly(
    amount: Decimal, currency: str, monthly: Decimal, policy: InstallmentPolicy
) -> PlanDecision:
    """Answer "I can pay X a month" with a plan inside policy, or say why there is none.

    The offer is rounded down to the minor unit first, so an accepted plan
    never asks for more a month than the borrower said they can pay. An
    offer at or above the balance is paying in full ("above_total").
    """
    if amount <= 0:
        return PlanDecision(None, "nothing_to_pay")
    if monthly >= amount:
        return PlanDecision(None, "above_total")
    monthly = monthly.quantize(minor_unit(currency), rounding=ROUND_FLOOR)
    minimum = policy.minimum_for(currency)
    if monthly <= 0 or monthly < minimum:
        return PlanDecision(None, "below_minimum")
    months = int((amount / monthly).to_integral_value(rounding=ROUND_CEILING))
    if months > policy.max_term_months:
        return PlanDecision(None, "too_long")
    # `monthly` is below `amount`, so `months` is at least 2.
    option = make_option(amount, currency, months)
    if not _fits(option, policy, currency):
        # Spreading the amount over `months` leaves installments under the minimum.
        return PlanDecision(None, "below_minimum")
    return PlanDecision(option, "ok")


# ---- extensions and promises ----


def extension_options(
    due_date: date, extensions_used: int, policy: ExtensionPolicy, *, today: date
) -> tuple[tuple[int, date], ...]:
    """(days, new due date) for each extension the policy allows; none once used up.

    An extension runs from the later of today and the due date: extending a
    loan already 44 days late by 30 days must not give a date in the past.
    """
    if extensions_used >= policy.max_per_account:
        return ()
    start = max(today, due_date)
    return tuple((days, start + timedelta(days=days)) for days in sorted(set(policy.options_days)))


def promise_date_ok(today: date, promised: date, policy: PromisePolicy) -> str:
    """ "ok", "in_past" or "too_far": a promise must be real and near enough to mean something."""
    if promised < today:
        return "in_past"
    if promised > today + timedelta(days=policy.max_days_ahead):
        return "too_far"
    return "ok"


def promise_after_due(today: date, promised: date, due_date: date) -> bool:
    """True when an account not yet due would be paid after its due date.

    The borrower should hear plainly that the payment would then be late.
    """
    return today <= due_date < promised
