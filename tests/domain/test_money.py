"""Money rules: each currency's minor unit, and half-up rounding to it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.domain.money import is_known_currency, minor_digits, minor_unit, quantize


@pytest.mark.parametrize(
    ("currency", "digits", "unit"),
    [
        ("USD", 2, "0.01"),
        ("usd", 2, "0.01"),  # codes are read in any case
        ("JPY", 0, "1"),
        ("jpy", 0, "1"),
        ("KWD", 3, "0.001"),
        ("CNY", 2, "0.01"),
    ],
)
def test_minor_unit_follows_iso_4217(currency: str, digits: int, unit: str) -> None:
    assert minor_digits(currency) == digits
    assert minor_unit(currency) == Decimal(unit)
    # The unit carries the currency's exponent, so quantizing to it keeps the digits.
    assert minor_unit(currency).as_tuple().exponent == -digits


@pytest.mark.parametrize(
    ("amount", "currency", "rounded"),
    [
        # Exactly half a minor unit rounds up (away from zero), never to even.
        ("0.125", "USD", "0.13"),
        ("0.135", "USD", "0.14"),
        ("0.1249", "USD", "0.12"),
        ("0.1251", "USD", "0.13"),
        ("-0.125", "USD", "-0.13"),
        ("2.5", "JPY", "3"),
        ("3.5", "JPY", "4"),
        ("2.4999", "JPY", "2"),
        ("0.0005", "KWD", "0.001"),
        ("10", "USD", "10.00"),
    ],
)
def test_quantize_rounds_half_up_to_the_minor_unit(
    amount: str, currency: str, rounded: str
) -> None:
    result = quantize(Decimal(amount), currency)
    assert result == Decimal(rounded)
    assert result.as_tuple().exponent == -minor_digits(currency)


@pytest.mark.parametrize(
    ("code", "known"),
    [
        ("USD", True),
        ("usd", True),
        ("TWD", True),
        ("HKD", True),
        ("XYZ", False),  # three letters, but no currency
        ("US", False),
        ("USDD", False),
        ("", False),
        ("12$", False),
    ],
)
def test_known_currencies_are_iso_4217_codes(code: str, known: bool) -> None:
    assert is_known_currency(code) is known
