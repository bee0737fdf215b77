"""Money as Decimal in a currency's minor unit.

Babel knows each ISO 4217 currency's number of minor digits (JPY 0, USD 2, ...),
so rounding never guesses. Floats never enter: every amount is a Decimal.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from babel.numbers import get_currency_precision, list_currencies

T = TypeVar("T")


class _PerCode(dict[str, T]):
    """Babel's answer per currency code, asked once: a plan's arithmetic asks it for
    every term. A dict rather than lru_cache, which would hide these functions from
    mutation testing; `cache_clear` as lru_cache has it, so tests/conftest.py clears
    it before mutants run."""

    def cache_clear(self) -> None:
        self.clear()


_DIGITS: _PerCode[int] = _PerCode()
_UNITS: _PerCode[Decimal] = _PerCode()


def minor_digits(currency: str) -> int:
    """Digits after the decimal point for the currency (2 for USD, 0 for JPY)."""
    code = currency.upper()
    # Not mutated: a memo; without it Babel is asked again, with the same answer.
    digits = _DIGITS.get(code)  # pragma: no mutate
    if digits is None:
        digits = _DIGITS[code] = int(get_currency_precision(code))
    return digits


def minor_unit(currency: str) -> Decimal:
    """The smallest amount of the currency: Decimal('0.01') for USD, Decimal('1') for JPY."""
    # Not mutated: a memo; without it the unit is worked out again, the same.
    unit = _UNITS.get(currency)  # pragma: no mutate
    if unit is None:
        unit = _UNITS[currency] = Decimal(1).scaleb(-minor_digits(currency))
    return unit


def quantize(amount: Decimal, currency: str) -> Decimal:
    """Round half up to the currency's minor unit."""
    return amount.quantize(minor_unit(currency), rounding=ROUND_HALF_UP)


def is_known_currency(currency: str) -> bool:
    """True for an ISO 4217 code (in any case) that Babel knows."""
    return currency.upper() in list_currencies()
