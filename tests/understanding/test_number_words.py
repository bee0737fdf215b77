"""Amounts in English words (issue 30): "ninety", "a hundred and twenty-five"."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bot.understanding import Period, find_amount, parse_birth_dates, prepare
from bot.understanding.number_words import run_value, words_as_digits


@pytest.mark.parametrize(
    ("run", "value"),
    [
        ("ninety", 90),
        ("ninety-nine", 99),
        ("a hundred and twenty-five", 125),
        ("two hundred and fifty", 250),
        ("fifteen hundred", 1500),
        ("one thousand five hundred", 1500),
        ("a thousand", 1000),
        ("twelve", 12),
        ("five six", None),
        ("twenty twenty", None),
        ("fifteen five", None),
        ("twenty fifteen", None),
    ],
)
def test_a_run_of_number_words_has_its_value(run: str, value: int | None) -> None:
    assert run_value(run) == value


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("what if i did ninety a month", "what if i did 90 a month"),
        ("A Hundred and Twenty-Five", "125"),
        ("in one go", "in one go"),
        ("no one would", "no one would"),
        ("six months", "six months"),
        ("someone", "someone"),
        ("a hundred", "100"),
        ("twenty twenty", "twenty twenty"),
    ],
)
def test_only_amounts_worth_writing_as_digits_are(text: str, written: str) -> None:
    assert words_as_digits(text) == written


def test_an_amount_in_words_is_found_with_its_period() -> None:
    found = find_amount(prepare("what if i did ninety a month"))
    assert found is not None
    assert found.value == Decimal(90) and found.period is Period.MONTH


def test_the_folded_form_keeps_the_words() -> None:
    message = prepare("a hundred and twenty-five")
    assert message.plain == "125"
    assert "hundred" in message.folded
    assert message.numbered


TODAY = date(2026, 11, 30)


@pytest.mark.parametrize(
    ("text", "region", "born"),
    [
        ("2nd January 1995", "US", date(1995, 1, 2)),
        ("January 2nd, 1995", "US", date(1995, 1, 2)),
        ("january 19 95", "US", date(1995, 1, 19)),
        ("七八年十二月廿四", "HK", date(1978, 12, 24)),
        ("九五年一月卅一", "HK", date(1995, 1, 31)),
        ("廿四/12/1978", "HK", date(1978, 12, 24)),
    ],
)
def test_ordinal_and_chinese_numeral_birth_dates(text: str, region: str, born: date) -> None:
    assert parse_birth_dates(prepare(text), today=TODAY, region=region) == (born,)


def test_january_then_a_year_is_no_day() -> None:
    assert parse_birth_dates(prepare("january 1995"), today=TODAY, region="US") == ()
