"""What borrowers type, in three languages, and the junk they sometimes send."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.parsing import (
    chinese_to_int,
    parse_amount,
    parse_date,
    parse_int,
    parse_monthly_offer,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("800", "800"),
        ("1,500", "1500"),
        ("1500.50", "1500.50"),
        ("$800", "800"),
        ("800 dollars", "800"),
        ("¥800", "800"),
        ("１２００", "1200"),
        ("八百", "800"),
        ("一千五", "1500"),
        ("一千五百", "1500"),
        ("两千", "2000"),
        ("兩千", "2000"),
        ("三千二百五十", "3250"),
        ("1.5k", "1500"),
        ("2万", "20000"),
        ("2萬", "20000"),
        ("一万二", "12000"),
    ],
)
def test_amounts(text: str, value: str) -> None:
    assert parse_amount(text) == Decimal(value)


@pytest.mark.parametrize(
    "text", ["", "   ", "🙂", "-50", "0", "abc", "10000000000000", "100 or 200", "\x00\x1b[2J"]
)
def test_not_an_amount(text: str) -> None:
    assert parse_amount(text) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("I can pay 800 a month", "800"),
        ("800 per month", "800"),
        ("800/month", "800"),
        ("800 monthly", "800"),
        ("每个月只能还八百", "800"),
        ("每月還1,500", "1500"),
        ("每個月可以還兩千", "2000"),
        ("一个月还500", "500"),
    ],
)
def test_monthly_offers(text: str, value: str) -> None:
    assert parse_monthly_offer(text) == Decimal(value)


@pytest.mark.parametrize("text", ["800", "I will pay next month", "my rent is due", "6 months"])
def test_not_a_monthly_offer(text: str) -> None:
    assert parse_monthly_offer(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "1990-05-17",
        "1990/5/17",
        "1990.05.17",
        "17/05/1990",
        "May 17, 1990",
        "17 May 1990",
        "1990年5月17日",
        "1990年05月17號",
        "１９９０年５月１７日",
    ],
)
def test_dates(text: str) -> None:
    assert parse_date(text) == date(1990, 5, 17)


@pytest.mark.parametrize("text", ["2023-02-30", "garbage", "", "🙂", "17/05", "13/13/1990"])
def test_not_a_date(text: str) -> None:
    assert parse_date(text) is None


@pytest.mark.parametrize(("text", "value"), [("6", 6), ("六", 6), ("6 months", 6), ("6个月", 6)])
def test_small_numbers(text: str, value: int) -> None:
    assert parse_int(text) == value


@given(st.integers(min_value=1, max_value=99_999_999))
def test_chinese_numerals_round_trip(value: int) -> None:
    digits = "零一二三四五六七八九"

    def spell(n: int) -> str:
        # The formal way of writing a number, which the parser must read back.
        out = ""
        for big, big_name in ((10**8, "亿"), (10**4, "万"), (1, "")):
            chunk = (n // big) % 10**4
            if not chunk:
                if out and not out.endswith("零"):
                    out += "零"
                continue
            part = ""
            for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
                d = (chunk // unit) % 10
                if d:
                    part += digits[d] + name
                elif part and not part.endswith("零"):
                    part += "零"
            out += part.rstrip("零") + big_name
        return out.rstrip("零")

    assert chinese_to_int(spell(value)) == value


@given(st.text(max_size=300))
def test_parsers_never_crash(text: str) -> None:
    parse_amount(text)
    parse_date(text)
    parse_int(text)
    parse_monthly_offer(text)


def test_huge_input_is_bounded() -> None:
    assert parse_amount("x" * 100_000 + "800") is None  # beyond the scanned prefix
