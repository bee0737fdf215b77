"""Money as Decimal in a currency's minor unit.

Babel knows each ISO 4217 currency's number of minor digits (JPY 0, USD 2, ...),
so rounding never guesses. Floats never enter: every amount is a Decimal.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import get_currency_precision, list_currencies


def minor_digits(currency: str) -> int:
    """Digits after the decimal point for the currency (2 for USD, 0 for JPY)."""
    return int(get_currency_precision(currency.upper()))


def minor_unit(currency: str) -> Decimal:
    """The smallest amount of the currency: Decimal('0.01') for USD, Decimal('1') for JPY."""
    return Decimal(1).scaleb(-minor_digits(currency))


def quantize(amount: Decimal, currency: str) -> Decimal:
    """Round half up to the currency's minor unit."""
    return amount.quantize(minor_unit(currency), rounding=ROUND_HALF_UP)


def is_known_currency(currency: str) -> bool:
    """True for an ISO 4217 code (in any case) that Babel knows."""
    return currency.upper() in list_currencies()
