"""Limits of the parsers exactly at and one unit either side of each bound."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bot.domain.parsing import (
    MAX_AMOUNT,
    MAX_SMALL_INT,
    MAX_YEAR,
    MIN_YEAR,
    chinese_to_int,
    cn_numerals_to_digits,
    parse_amount,
    parse_date,
    parse_int,
    parse_monthly_offer,
)
from bot.understanding.text import prepare


def _plain(text: str) -> str:
    """The text as the readers get it: prepared by the understanding layer."""
    return prepare(text).plain


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"{MIN_YEAR - 1}-01-01", None),
        (f"{MIN_YEAR}-01-01", date(MIN_YEAR, 1, 1)),
        (f"{MIN_YEAR + 1}-01-01", date(MIN_YEAR + 1, 1, 1)),
        (f"{MAX_YEAR - 1}-12-31", date(MAX_YEAR - 1, 12, 31)),
        (f"{MAX_YEAR}-12-31", date(MAX_YEAR, 12, 31)),
        (f"{MAX_YEAR + 1}-01-01", None),
    ],
)
def test_years_are_accepted_from_1900_to_2100_inclusive(text: str, expected: date | None) -> None:
    assert parse_date(_plain(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Day first, as most borrowers write it.
        ("05/06/1990", date(1990, 6, 5)),
        ("12/12/1990", date(1990, 12, 12)),
        ("05/12/1990", date(1990, 12, 5)),
        ("13/12/1990", date(1990, 12, 13)),
        # Month first only when the second number cannot be a month.
        ("12/13/1990", date(1990, 12, 13)),
        ("1/13/1990", date(1990, 1, 13)),
        # Neither order is a date.
        ("13/13/1990", None),
    ],
)
def test_numeric_dates_read_day_first_unless_only_month_first_is_valid(
    text: str, expected: date | None
) -> None:
    assert parse_date(_plain(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("民國79年5月17日", date(1990, 5, 17)),
        ("民国79年5月17日", date(1990, 5, 17)),
        ("1990年5月17日", date(1990, 5, 17)),
        ("19900517", date(1990, 5, 17)),
        ("May 17, 1990", date(1990, 5, 17)),
        ("17 May 1990", date(1990, 5, 17)),
        ("17th of May, 1990", date(1990, 5, 17)),
        ("Foo 17 1990", None),
        ("17 Foo 1990", None),
    ],
)
def test_dates_in_words_and_calendars(text: str, expected: date | None) -> None:
    assert parse_date(_plain(text)) == expected


def test_amounts_up_to_the_maximum_and_not_one_unit_more() -> None:
    assert parse_amount(_plain(str(MAX_AMOUNT))) == MAX_AMOUNT
    assert parse_amount(_plain(str(MAX_AMOUNT + 1))) is None
    assert parse_amount(_plain(str(MAX_AMOUNT - 1))) == MAX_AMOUNT - 1
    assert parse_amount(_plain("0.01")) == Decimal("0.01")
    assert parse_amount(_plain("0")) is None


def test_small_numbers_from_one_to_the_maximum() -> None:
    assert parse_int(_plain(str(MAX_SMALL_INT))) == MAX_SMALL_INT
    assert parse_int(_plain(str(MAX_SMALL_INT + 1))) is None
    assert parse_int(_plain(str(MAX_SMALL_INT - 1))) == MAX_SMALL_INT - 1
    assert parse_int(_plain("1")) == 1
    assert parse_int(_plain("0")) is None
    assert parse_int(_plain("1.5")) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # Spoken shorthand 千N is N hundred over a thousand, from 千二 on ...
        ("千二", 1200),
        ("千五", 1500),
        ("千九", 1900),
        # ... but 千一 is no number anyone says, and 千万 is "by all means".
        ("千一", None),
        ("千万", None),
        # A trailing digit after a unit of a hundred or more is one unit lower.
        ("一千五", 1500),
        ("八百五", 850),
        ("一万二", 12000),
        ("一千零五", 1005),
        # Sections under 亿 and 万 add up.
        ("一亿二千万", 120_000_000),
        ("两亿", 200_000_000),
        ("三亿零五万", 300_050_000),
    ],
)
def test_chinese_numerals_are_whole_numbers(text: str, value: int | None) -> None:
    result = chinese_to_int(text)
    assert result == value
    assert result is None or type(result) is int


def test_chinese_numerals_become_plain_digits_in_text() -> None:
    assert cn_numerals_to_digits("一千五块") == "1500块"
    assert cn_numerals_to_digits("十二月一号") == "12月1号"
    assert cn_numerals_to_digits("千万别") == "千万别"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # Letters glued to digits make an identifier, whatever their case ...
        ("12345AB", None),
        ("12345ab", None),
        ("AC12345", None),
        ("ac12345", None),
        ("AC-12345", None),
        ("#123", None),
        # ... unless they are a currency or a unit.
        ("RMB800", Decimal(800)),
        ("rmb800", Decimal(800)),
        ("NT$800", Decimal(800)),
        ("800usd", Decimal(800)),
        ("800USD", Decimal(800)),
        ("800 dollars", Decimal(800)),
        ("ref AC12345, I pay 800", Decimal(800)),
    ],
)
def test_digits_glued_to_letters_are_an_identifier_not_an_amount(
    text: str, value: Decimal | None
) -> None:
    assert parse_amount(_plain(text)) == value


@pytest.mark.parametrize(
    ("text", "value"), [("6months", 6), ("6MONTHS", 6), ("3rd", 3), ("6mos", None)]
)
def test_units_glued_to_a_small_number(text: str, value: int | None) -> None:
    assert parse_int(_plain(text)) == value


@pytest.mark.parametrize(
    "text",
    ["800一个月", "我可以800一个月", "一个月800", "800 a month for 12 months", "分12期每月800"],
)
def test_a_monthly_amount_beside_a_term_is_the_amount_not_the_term(text: str) -> None:
    assert parse_monthly_offer(_plain(text)) == Decimal(800)


@pytest.mark.parametrize(
    ("text", "value"),
    [("3舊水", 300), ("3嚿水", 300), ("三舊水", 300), ("十舊水", 1000), ("两旧水", 200)],
)
def test_hong_kong_slang_counts_hundreds(text: str, value: int) -> None:
    assert parse_amount(_plain(text)) == Decimal(value)


def test_chinese_numerals_right_after_an_amount_belong_to_it() -> None:
    # "2万" is one number, and in "100 三天内" the 三 counts days, not money.
    assert parse_amount(_plain("2万")) == Decimal(20000)
    assert parse_amount(_plain("我还100 三天内")) == Decimal(100)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # A lone 一 counts months, not money; the numeral after it is the amount.
        ("一个月还五百", Decimal(500)),
        # 十分 is "very"; 分 after an amount is "in (instalments)".
        ("十分困难，只能还八百", Decimal(800)),
        ("八百分两次还", Decimal(800)),
        # Two different amounts: ask again rather than guess.
        ("还100 三天后再还两百", None),
    ],
)
def test_chinese_words_that_look_like_numbers_do_not_hide_the_amount(
    text: str, value: Decimal | None
) -> None:
    assert parse_amount(_plain(text)) == value


def test_prepared_text_with_control_characters_reads() -> None:
    # How the text is prepared is tested in tests/understanding/test_prepared.py.
    assert parse_amount(_plain("\x1b[1m800\x1b[0m")) == Decimal(800)
    assert parse_date(_plain("17\x00/05/1990")) == date(1990, 5, 17)


def test_a_whole_amount_comes_back_without_decimals() -> None:
    assert str(parse_amount(_plain("1,500.00"))) == "1500"
    assert str(parse_amount(_plain("12.50"))) == "12.50"
