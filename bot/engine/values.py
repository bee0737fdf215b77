"""Conversation variables are stored as JSON; typed values get a tagged form.

Money and dates must survive the round trip exactly (Decimal, not float), so
they are written as {"$money": "800.00", "currency": "USD"} and {"$date": "..."}.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from bot.domain.quiet_windows import from_data, to_data
from bot.engine.types import MoneyValue, QuietTimes


def to_json(value: Any) -> Any:
    if isinstance(value, MoneyValue):
        return {"$money": str(value.amount), "currency": value.currency}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, QuietTimes):
        return {"$quiet": to_data(value.windows)}
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
        if "$quiet" in value:
            return QuietTimes(from_data(value["$quiet"]))
        return {k: from_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [from_json(v) for v in value]
    return value
