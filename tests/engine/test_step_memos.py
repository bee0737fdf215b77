"""What a step works out once instead of per row or per state entered (the engine bench's
slowest steps): the amount that may be collected, a plan's due dates. Each gives what the
plain way gives."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from bot.domain.accounts import collectable_amount
from bot.domain.plans import add_months, make_option, schedule_option
from bot.engine.actions import collectible_now
from tests.engine.driver import make_account


def test_the_collectible_amount_is_kept_per_held_charges_and_account() -> None:
    account = make_account()  # 1200.00 + 85.50 + 35.00
    assert collectible_now(account, None) == Decimal("1320.50")
    assert collectible_now(account, ["C3"]) == Decimal("1285.50")  # disputed in this step
    assert collectible_now(account, []) == Decimal("1320.50")
    assert collectible_now(account, ["C3", "C2"]) == collectable_amount(
        account, frozenset({"C2", "C3"})
    )
    # Another version of the account (a payment recorded) is not answered from the memo.
    paid = replace(account, paid=Decimal("20.50"))
    assert collectible_now(paid, None) == Decimal("1300.00")
    assert collectible_now(account, None) == Decimal("1320.50")
    # The memo changes neither the account's equality nor its hash.
    assert account == make_account()
    assert hash(account) == hash(make_account())


def test_a_schedule_falls_on_the_same_day_each_month_from_any_start() -> None:
    option = make_option(Decimal("1000.00"), "USD", 13)
    for start in (date(2027, 1, 31), date(2027, 1, 15), date(2028, 2, 29)):
        rows = schedule_option(option, start)
        assert [due for due, _ in rows] == [add_months(start, i) for i in range(13)]
        assert tuple(amount for _, amount in rows) == option.amounts
    # Kept per start and count: a shorter plan from the same day is its own.
    short = schedule_option(make_option(Decimal("1000.00"), "USD", 2), date(2027, 1, 31))
    assert [due for due, _ in short] == [date(2027, 1, 31), date(2027, 2, 28)]
