"""The lender's file as the borrower is held to it: breathing space, agreed dates, what is left."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from bot.domain.accounts import (
    Account,
    Agreement,
    Charge,
    ChargeKind,
    breathing_space_on,
    collectable_amount,
    dispute_suspends,
    effective_due_date,
    may_ask_for_money,
)

UNTIL = date(2026, 12, 1)
DAY = timedelta(days=1)


def test_breathing_space_lasts_through_its_last_day_and_ends_the_day_after() -> None:
    assert breathing_space_on(True, UNTIL, UNTIL - DAY)
    assert breathing_space_on(True, UNTIL, UNTIL)
    assert not breathing_space_on(True, UNTIL, UNTIL + DAY)


@pytest.mark.parametrize(("until", "today"), [(None, UNTIL), (UNTIL, None), (None, None)], ids=str)
def test_breathing_space_without_an_end_or_a_clock_stays_on(
    until: date | None, today: date | None
) -> None:
    assert breathing_space_on(True, until, today) is True


@pytest.mark.parametrize("until", [None, UNTIL])
def test_no_breathing_space_without_the_flag(until: date | None) -> None:
    assert breathing_space_on(False, until, UNTIL - DAY) is False


def extension(new_due: date | None) -> Agreement:
    return Agreement("EXT-1", "extension", Decimal("100.00"), new_due_date=new_due)


def test_due_date_is_the_lenders_without_an_agreed_date() -> None:
    lender = date(2026, 11, 18)
    assert effective_due_date(lender, None) == lender
    assert effective_due_date(lender, extension(None)) == lender


def test_an_agreed_extension_moves_the_due_date_later_never_earlier() -> None:
    lender = date(2026, 11, 18)
    assert effective_due_date(lender, extension(lender + DAY)) == lender + DAY
    assert effective_due_date(lender, extension(lender - DAY)) == lender
    assert effective_due_date(lender, extension(lender)) == lender


PLAN = Agreement(
    "PLAN-1",
    "installment_plan",
    Decimal("300.00"),
    installments=(
        (date(2026, 12, 1), Decimal("100.00")),
        (date(2027, 1, 1), Decimal("100.00")),
        (date(2027, 2, 1), Decimal("100.50")),
    ),
)


def test_next_installment_is_the_first_on_or_after_today() -> None:
    assert PLAN.next_due(date(2026, 11, 30)) == (date(2026, 12, 1), Decimal("100.00"))
    assert PLAN.next_due(date(2026, 12, 1)) == (date(2026, 12, 1), Decimal("100.00"))
    assert PLAN.next_due(date(2026, 12, 2)) == (date(2027, 1, 1), Decimal("100.00"))
    assert PLAN.next_due(date(2027, 2, 1)) == (date(2027, 2, 1), Decimal("100.50"))


def test_once_every_installment_is_past_the_last_one_is_shown() -> None:
    assert PLAN.next_due(date(2027, 2, 2)) == (date(2027, 2, 1), Decimal("100.50"))
    assert PLAN.left(date(2027, 2, 2)) == Decimal("100.50")


def test_what_is_left_sums_the_installments_from_today_on() -> None:
    assert PLAN.left(date(2026, 12, 1)) == Decimal("300.50")
    assert PLAN.left(date(2026, 12, 2)) == Decimal("200.50")
    assert PLAN.left(date(2027, 1, 1)) == Decimal("200.50")
    assert PLAN.left(date(2027, 2, 1)) == Decimal("100.50")


def test_an_agreement_without_installments_asks_for_its_amount() -> None:
    promise = Agreement("PTP-1", "promise_to_pay", Decimal("250.00"))
    assert promise.next_due(date(2026, 12, 1)) is None
    assert promise.left(date(2026, 12, 1)) == Decimal("250.00")


def test_breathing_space_from_the_lender_starts_on_its_first_day_not_the_day_after() -> None:
    start = UNTIL - 10 * DAY
    assert not breathing_space_on(True, UNTIL, start - DAY, since=start)
    assert breathing_space_on(True, UNTIL, start, since=start)
    assert breathing_space_on(True, None, start + DAY, since=start)


def test_r7_payments_cover_installments_in_date_order() -> None:
    paid = replace(PLAN, paid=Decimal("150.00"))
    assert paid.schedule() == (
        (date(2027, 1, 1), Decimal("50.00")),
        (date(2027, 2, 1), Decimal("100.50")),
    )
    assert paid.next_due(date(2026, 11, 30)) == (date(2027, 1, 1), Decimal("50.00"))
    assert paid.left(date(2026, 11, 30)) == Decimal("150.50")


def test_r7_a_payment_of_exactly_one_installment_leaves_the_next_whole() -> None:
    paid = replace(PLAN, paid=Decimal("100.00"))
    assert paid.next_due(date(2026, 11, 30)) == (date(2027, 1, 1), Decimal("100.00"))
    assert paid.left(date(2026, 11, 30)) == Decimal("200.50")


def test_r7_a_payment_larger_than_the_plan_leaves_nothing_due() -> None:
    paid = replace(PLAN, paid=Decimal("500.00"))
    assert paid.schedule() == ()
    assert paid.next_due(date(2026, 11, 30)) is None
    assert paid.left(date(2026, 11, 30)) == Decimal(0)


def test_r7_an_extension_less_what_was_paid_never_below_nothing() -> None:
    assert replace(extension(None), paid=Decimal("40.00")).left(UNTIL) == Decimal("60.00")
    assert replace(extension(None), paid=Decimal("400.00")).left(UNTIL) == Decimal(0)


@pytest.mark.rule("R8")
def test_r8_a_dispute_suspends_only_an_agreement_that_asks_for_disputed_money() -> None:
    assert dispute_suspends(PLAN, Decimal("299.99")) is True
    assert dispute_suspends(PLAN, Decimal("300.00")) is False
    assert dispute_suspends(PLAN, Decimal("400.00")) is False
    assert dispute_suspends(None, Decimal(0)) is False


def _account(paid: str = "0", disputed: frozenset[str] = frozenset()) -> Account:
    charges = (
        Charge("P", ChargeKind.PRINCIPAL, "Card balance", Decimal("200.00"), date(2026, 10, 1)),
        Charge("F", ChargeKind.LATE_FEE, "Late fee", Decimal("35.00"), date(2026, 10, 2)),
    )
    return Account(
        "A-1", "Alex", "+15550100001", date(1990, 5, 17), "en", "UTC", "USD",
        date(2026, 11, 1), charges, disputed_charge_ids=disputed, paid=Decimal(paid),
    )  # fmt: skip


@pytest.mark.rule("R8")
def test_r8_collectable_leaves_out_disputed_charges_and_what_was_paid() -> None:
    assert collectable_amount(_account()) == Decimal("235.00")
    assert collectable_amount(_account(disputed=frozenset({"F"}))) == Decimal("200.00")
    assert collectable_amount(_account(), frozenset({"P"})) == Decimal("35.00")
    assert collectable_amount(_account("35.00", frozenset({"F"}))) == Decimal("165.00")
    assert collectable_amount(_account("999.00")) == Decimal(0)
    assert _account("10.00").collectible_total == Decimal("225.00")


@pytest.mark.rule("R8")
def test_r8_nothing_is_asked_for_while_paused_or_when_nothing_may_be_collected() -> None:
    assert may_ask_for_money(_account()) is True
    assert may_ask_for_money(_account(disputed=frozenset({"P", "F"}))) is False
    assert may_ask_for_money(_account(), frozenset({"P", "F"})) is False
    assert may_ask_for_money(_account("235.00")) is False
    assert may_ask_for_money(replace(_account(), collection_paused=True)) is False
    assert may_ask_for_money(replace(_account(), breathing_space=True)) is False
