"""Installment arithmetic and the policy limits on what the bot may agree to.

Every amount is a Decimal on the currency's minor unit. A schedule sums to the
amount exactly: the remainder of an even split is spread one minor unit at a
time over the first installments, so installments differ by at most one unit.
Nothing here returns a plan outside the policy: what the bot may not agree
to goes to a person, never through a loophole in the arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from bot.domain.money import minor_unit
from bot.domain.policy import ExtensionPolicy, InstallmentPolicy, PromisePolicy


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
    return tuple((base + (1 if i < extra else 0)) * unit for i in range(count))


@dataclass(frozen=True)
class PlanOption:
    """A plan the bot may offer; `installment` is the largest one (the first)."""

    months: int
    installment: Decimal  # the largest installment
    amounts: tuple[Decimal, ...]


def make_option(amount: Decimal, currency: str, months: int) -> PlanOption:
    """The even split of `amount` over `months` as one offer (no policy check)."""
    amounts = split_evenly(amount, currency, months)
    return PlanOption(months=months, installment=amounts[0], amounts=amounts)


def schedule(
    amount: Decimal, currency: str, months: int, start: date, interval_days: int
) -> tuple[tuple[date, Decimal], ...]:
    """Due dates and amounts: the first on `start`, then every `interval_days`.

    A fixed interval rather than calendar months keeps every gap equal and
    never lands on the 31st of February.
    """
    amounts = split_evenly(amount, currency, months)
    return tuple((start + timedelta(days=interval_days * i), a) for i, a in enumerate(amounts))


def _fits(option: PlanOption, policy: InstallmentPolicy, currency: str) -> bool:
    # The last installment is the smallest: every installment meets the minimum.
    return option.amounts[-1] >= policy.minimum_for(currency)


def plan_options(
    amount: Decimal, currency: str, policy: InstallmentPolicy
) -> tuple[PlanOption, ...]:
    """The policy's terms whose every installment meets the minimum; never a 1-month plan.

    A 1-month "plan" is just the full payment, which the script offers on its own.
    """
    if amount <= 0:
        return ()
    options = (make_option(amount, currency, m) for m in sorted(set(policy.terms_months)) if m > 1)
    return tuple(o for o in options if _fits(o, policy, currency))


@dataclass(frozen=True)
class PlanDecision:
    """The answer to "I can pay X a month": a plan, or the nearest one the policy allows.

    `nearest` lets the script make a counter-offer rather than a bare refusal
    (R11, R14). Both plans, when present, are inside policy.
    """

    accepted: PlanOption | None
    nearest: PlanOption | None
    reason: str  # ok, below_minimum, too_long, above_total, nothing_to_pay


def _longest_fitting(
    amount: Decimal, currency: str, policy: InstallmentPolicy
) -> PlanOption | None:
    for months in range(policy.max_term_months, 1, -1):
        option = make_option(amount, currency, months)
        if _fits(option, policy, currency):
            return option
    return None


def plan_for_monthly(
    amount: Decimal, currency: str, monthly: Decimal, policy: InstallmentPolicy
) -> PlanDecision:
    """Answer "I can pay X a month" with a plan inside policy, or the nearest one.

    The offer is rounded down to the minor unit first, so an accepted plan
    never asks for more a month than the borrower said they can pay.
    """
    if amount <= 0:
        return PlanDecision(None, None, "nothing_to_pay")
    if monthly >= amount:
        return PlanDecision(None, None, "above_total")
    monthly = monthly.quantize(minor_unit(currency), rounding=ROUND_FLOOR)
    minimum = policy.minimum_for(currency)
    if monthly <= 0 or monthly < minimum:
        return PlanDecision(None, _longest_fitting(amount, currency, policy), "below_minimum")
    months = int((amount / monthly).to_integral_value(rounding=ROUND_CEILING))
    if months > policy.max_term_months:
        return PlanDecision(None, _longest_fitting(amount, currency, policy), "too_long")
    option = make_option(amount, currency, max(months, 2))
    if not _fits(option, policy, currency):
        # Spreading the amount over `months` leaves installments under the minimum.
        return PlanDecision(None, _longest_fitting(amount, currency, policy), "below_minimum")
    return PlanDecision(option, None, "ok")


def extension_options(
    due_date: date, extensions_used: int, policy: ExtensionPolicy
) -> tuple[tuple[int, date], ...]:
    """(days, new due date) for each extension the policy allows; none once used up."""
    if extensions_used >= policy.max_per_account:
        return ()
    return tuple(
        (days, due_date + timedelta(days=days)) for days in sorted(set(policy.options_days))
    )


def promise_date_ok(today: date, promised: date, policy: PromisePolicy) -> str:
    """ "ok", "in_past" or "too_far": a promise must be real and near enough to mean something."""
    if promised < today:
        return "in_past"
    if promised > today + timedelta(days=policy.max_days_ahead):
        return "too_far"
    return "ok"
