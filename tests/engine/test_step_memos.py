"""What a step works out once instead of per row or per state entered (the engine bench's
slowest steps): the parameters of a list said item by item, the amount that may be
collected, a plan's due dates. Each gives what the plain way gives."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from bot.domain.accounts import collectable_amount
from bot.domain.plans import add_months, make_option, schedule_option
from bot.engine.actions import collectible_now
from bot.engine.machine import _params, _params_per_item, _parts
from bot.engine.types import NO_PARAMS, MoneyValue, Part
from tests.engine.driver import make_account

ROWS: list[dict[str, Any]] = [
    {"due_date": date(2027, 1, 31), "amount": MoneyValue(Decimal("100.01"), "USD")},
    {"due_date": date(2027, 2, 28), "amount": MoneyValue(Decimal("100.00"), "USD")},
]
SCOPE: dict[str, Any] = {"amount": "from the scope", "lender": "Harbor", "due_date": None}


def test_rows_holding_every_name_give_exactly_their_values() -> None:
    names = frozenset({"due_date", "amount"})
    per_item = _params_per_item(names, SCOPE, ROWS)
    assert per_item == [_params(names, SCOPE, row) for row in ROWS]
    assert per_item == [
        {"due_date": date(2027, 1, 31), "amount": MoneyValue(Decimal("100.01"), "USD")},
        {"due_date": date(2027, 2, 28), "amount": MoneyValue(Decimal("100.00"), "USD")},
    ]


def test_a_name_an_item_lacks_comes_from_the_scope_for_every_item() -> None:
    names = frozenset({"due_date", "lender"})
    assert _params_per_item(names, SCOPE, ROWS) == [
        {"due_date": date(2027, 1, 31), "lender": "Harbor"},
        {"due_date": date(2027, 2, 28), "lender": "Harbor"},
    ]
    # One item without the name is enough: the others still give their own values.
    mixed = [ROWS[0], {"due_date": date(2027, 3, 31)}]
    assert _params_per_item(frozenset({"due_date", "amount"}), SCOPE, mixed) == [
        {"due_date": date(2027, 1, 31), "amount": MoneyValue(Decimal("100.01"), "USD")},
        {"due_date": date(2027, 3, 31), "amount": "from the scope"},
    ]


def test_values_of_other_types_are_made_ready_as_for_a_single_message() -> None:
    names = frozenset({"ticked", "months"})
    items: list[dict[str, Any]] = [
        {"ticked": True, "months": ["3", "6"]},
        {"ticked": False, "months": 12},
    ]
    per_item = _params_per_item(names, SCOPE, items)
    assert per_item == [{"ticked": "True", "months": ("3", "6")}, {"ticked": "False", "months": 12}]


def test_one_name_and_no_names() -> None:
    assert _params_per_item(frozenset({"amount"}), SCOPE, ROWS) == [
        {"amount": MoneyValue(Decimal("100.01"), "USD")},
        {"amount": MoneyValue(Decimal("100.00"), "USD")},
    ]
    assert _params_per_item(frozenset(), SCOPE, ROWS) == [NO_PARAMS, NO_PARAMS]
    assert _params_per_item(frozenset({"amount", "due_date"}), SCOPE, []) == []


def test_parts_are_parts_with_their_parameters() -> None:
    params = [{"n": 1}, NO_PARAMS]
    parts = list(_parts("s.a.row", params))
    assert parts == [Part("s.a.row", {"n": 1}), Part("s.a.row", NO_PARAMS)]
    assert all(type(part) is Part for part in parts)
    assert parts[0].message_id == "s.a.row"
    assert parts[1].params is NO_PARAMS


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
