"""The lender's file as the borrower is held to it: breathing space, agreed dates, what is left."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from bot.domain.accounts import Agreement, breathing_space_on, effective_due_date

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
