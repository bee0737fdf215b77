"""Conversation variables survive JSON exactly; script problems read as file:line [state]: message."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from bot.engine.errors import ScriptError, ScriptProblem
from bot.engine.types import MoneyValue
from bot.engine.values import from_json, to_json

MONEY = MoneyValue(Decimal("800.10"), "USD")


def test_money_dates_and_decimals_take_a_tagged_form() -> None:
    assert to_json(MONEY) == {"$money": "800.10", "currency": "USD"}
    assert to_json(date(2026, 12, 1)) == {"$date": "2026-12-01"}
    assert to_json(Decimal("0.50")) == {"$decimal": "0.50"}


@pytest.mark.parametrize(
    "value",
    [
        MONEY,
        MoneyValue(Decimal("1500"), "JPY"),
        date(2026, 12, 1),
        Decimal("0.50"),
        {"plan": {"months": 3, "installment": MONEY, "first": date(2026, 12, 1)}},
        [MONEY, Decimal("1.005"), "text", 3, None, True],
        "plain",
        7,
        None,
    ],
    ids=repr,
)
def test_every_value_survives_a_json_round_trip_exactly(value: Any) -> None:
    back = from_json(json.loads(json.dumps(to_json(value))))
    assert back == value
    assert type(back) is type(value)


def test_tuples_come_back_as_lists_and_keys_as_strings() -> None:
    assert to_json((MONEY, 1)) == [{"$money": "800.10", "currency": "USD"}, 1]
    assert to_json({1: Decimal("2")}) == {"1": {"$decimal": "2"}}
    assert from_json([{"$date": "2026-12-01"}]) == [date(2026, 12, 1)]


def test_a_problem_names_file_line_and_state() -> None:
    with_state = ScriptProblem("dialogs/repayment.yaml", 12, "verify", "state is unreachable")
    without = ScriptProblem("dialogs/repayment.yaml", 3, None, "R12: no `crisis` intent")
    assert str(with_state) == "dialogs/repayment.yaml:12 [state verify]: state is unreachable"
    assert str(without) == "dialogs/repayment.yaml:3: R12: no `crisis` intent"
    error = ScriptError([with_state, without])
    assert error.problems == [with_state, without]
    assert str(error) == f"{with_state}\n{without}"


def test_message_parameters_go_to_the_renderer_in_the_form_it_formats() -> None:
    from bot.engine.machine import _params
    from bot.engine.types import MessageRef

    scope: dict[str, Any] = {
        "name": "Alex",
        "days": 3,
        "due": date(2026, 12, 1),
        "total": MONEY,
        "kind": MessageRef("charge_kind.late_fee"),
        "rate": Decimal("0.5"),
        "paused": False,  # a bool is a word, though bool is an int
        "share": 0.25,  # a float becomes an exact decimal
        "charges": ["C1", 2],  # a list becomes a tuple of texts
        "stored": to_json(MONEY),  # a stored variable is read back
    }
    names = frozenset(scope) | {"missing"}
    assert _params(names, scope) == {
        "name": "Alex",
        "days": 3,
        "due": date(2026, 12, 1),
        "total": MONEY,
        "kind": MessageRef("charge_kind.late_fee"),
        "rate": Decimal("0.5"),
        "paused": "False",
        "share": Decimal("0.25"),
        "charges": ("C1", "2"),
        "stored": MONEY,
    }
    assert _params(frozenset(), scope) == {}
    # A message said per item takes the item's names first.
    assert _params(frozenset({"name", "days"}), scope, {"name": "Sam"}) == {
        "name": "Sam",
        "days": 3,
    }
