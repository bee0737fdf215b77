"""Conversation variables are stored as JSON; typed values get a tagged form.

Money and dates must survive the round trip exactly (Decimal, not float), so
they are written as {"$money": "800.00", "currency": "USD"} and {"$date": "..."}.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from bot.engine.types import MoneyValue


def to_json(value: Any) -> Any:
    if isinstance(value, MoneyValue):
        return {"$money": str(value.amount), "currency": value.currency}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    return value


def from_json(value: Any) -> Any:
    if isinstance(value, dict):
        if "$money" in value:
            return MoneyValue(Decimal(value["$money"]), str(value["currency"]))
        if "$date" in value:
            return date.fromisoformat(value["$date"])
        if "$decimal" in value:
            return Decimal(value["$decimal"])
        return {k: from_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [from_json(v) for v in value]
    return value


# A plain dict holding one of these keys would read back as a tagged value.
_TAGS = ("$money", "$date", "$decimal")


def with_json(value: Any) -> tuple[Any, Any]:
    """The JSON form of `value`, and what `from_json` reads back from it, in one pass.

    A step writes a plan's schedule and then shows it: reading back the JSON it has
    just written would rebuild every amount and date. Values of the exact types
    below come back as themselves (a Decimal's text keeps its exponent, a date's
    ISO form is the date), and so does a dict or list made only of such values;
    anything else takes the full round trip.
    """
    kind = type(value)
    if kind in _SAME_BOTH_WAYS:
        return value, value
    if kind is MoneyValue:
        return {"$money": str(value.amount), "currency": value.currency}, value
    if kind is date:
        return {"$date": value.isoformat()}, value
    if kind is Decimal:
        return {"$decimal": str(value)}, value
    if kind is dict and not any(tag in value for tag in _TAGS):
        return _dict_with_json(value)
    if kind is list or kind is tuple:
        return _list_with_json(value, kind is list)
    as_json = to_json(value)
    return as_json, from_json(as_json)


def _dict_with_json(value: dict[Any, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    as_json: dict[str, Any] = {}
    typed: dict[str, Any] = {}
    unchanged = True
    for key, item in value.items():
        text = key if type(key) is str else str(key)
        item_json, item_typed = with_json(item)
        as_json[text] = item_json
        typed[text] = item_typed
        unchanged = unchanged and text is key and item_typed is item
    return as_json, value if unchanged else typed


def _list_with_json(value: list[Any] | tuple[Any, ...], is_list: bool) -> tuple[list[Any], Any]:
    as_json: list[Any] = []
    typed: list[Any] = []
    unchanged = is_list
    for item in value:
        item_json, item_typed = with_json(item)
        as_json.append(item_json)
        typed.append(item_typed)
        unchanged = unchanged and item_typed is item
    return as_json, value if unchanged else typed


# Their own JSON form, read back as themselves (bool apart from int: the exact type counts).
_SAME_BOTH_WAYS = frozenset({str, int, bool, float, type(None)})
