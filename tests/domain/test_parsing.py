"""What borrowers type, in three languages, and the junk they sometimes send."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bot.domain.parsing import (
    chinese_to_int,
    parse_amount,
    parse_date,
    parse_int,
    parse_monthly_offer,
)
from bot.service.text import MAX_TEXT, clean_text
from bot.understanding.text import prepare


def _plain(text: str) -> str:
    """The text as the readers get it: prepared by the understanding layer."""
    return prepare(text).plain


def _through_the_door(text: str) -> str:
    """The text as the readers get it from a borrower: cut to the one limit at the
    runtime's door (bot/service/text.py), then prepared."""
    return prepare(clean_text(text) or "").plain


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
        # Spoken shorthand and Hong Kong slang.
        ("千五", "1500"),
        ("每個月還千五", "1500"),
        ("三舊水", "300"),
        ("兩嚿水", "200"),
        ("五百蚊", "500"),
        ("两千块", "2000"),
        ("1,500元", "1500"),
    ],
)
def test_amounts(text: str, value: str) -> None:
    assert parse_amount(_plain(text)) == Decimal(value)


@pytest.mark.parametrize(
    "text", ["", "   ", "🙂", "-50", "0", "abc", "10000000000000", "100 or 200", "\x00\x1b[2J"]
)
def test_not_an_amount(text: str) -> None:
    assert parse_amount(_plain(text)) is None


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
    assert parse_monthly_offer(_plain(text)) == Decimal(value)


@pytest.mark.parametrize("text", ["800", "I will pay next month", "my rent is due", "6 months"])
def test_not_a_monthly_offer(text: str) -> None:
    assert parse_monthly_offer(_plain(text)) is None


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
    assert parse_date(_plain(text)) == date(1990, 5, 17)


@pytest.mark.parametrize("text", ["2023-02-30", "garbage", "", "🙂", "17/05", "13/13/1990"])
def test_not_a_date(text: str) -> None:
    assert parse_date(_plain(text)) is None


@pytest.mark.parametrize(("text", "value"), [("6", 6), ("六", 6), ("6 months", 6), ("6个月", 6)])
def test_small_numbers(text: str, value: int) -> None:
    assert parse_int(_plain(text)) == value


@example(10_000_001)
@example(100_010)
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
            # A chunk without thousands after a higher one needs its 零: 一千万零一.
            part = "零" if out and chunk < 1000 and not out.endswith("零") else ""
            for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
                d = (chunk // unit) % 10
                if d:
                    part += digits[d] + name
                elif part.strip("零") and not part.endswith("零"):
                    part += "零"
            out += part.rstrip("零") + big_name
        return out.rstrip("零")

    assert chinese_to_int(spell(value)) == value


@given(st.text(max_size=300))
def test_parsers_never_crash(text: str) -> None:
    parse_amount(_plain(text))
    parse_date(_plain(text))
    parse_int(_plain(text))
    parse_monthly_offer(_plain(text))


def test_huge_input_is_bounded() -> None:
    assert parse_amount(_through_the_door("." * MAX_TEXT + " 800")) is None  # beyond the limit
    assert parse_amount(_plain("." * MAX_TEXT + " 800")) == Decimal(800)  # the door cut it


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("800元", "800"),
        ("八百块", "800"),
        ("RMB800", "800"),
        ("NT$1,500", "1500"),
        ("HK$ 2,000", "2000"),
        ("800usd", "800"),
        ("800\nper month", "800"),
        ("一万五千", "15000"),
        ("两万五", "25000"),
        ("一百零五", "105"),
        ("一千零五十", "1050"),
        ("十五", "15"),
        ("1万5", "15000"),
        ("3千5", "3500"),
        ("2.5万", "25000"),
        ("I can pay 800, maybe", "800"),
        ("account AC12345, I can pay 800", "800"),
        ("order #12345: 800", "800"),
        ("万一我还不了，只能先还800", "800"),
        ("十分困难，只能还800", "800"),
        ("800 or 800", "800"),
    ],
)
def test_more_amounts(text: str, value: str) -> None:
    assert parse_amount(_plain(text)) == Decimal(value)


@pytest.mark.parametrize(
    "text",
    [
        "AC12345",
        "1,50",
        "1.500,00",
        "800-900",
        "−50",  # a Unicode minus sign
        "还-50",
        "1990-05-17",
        "I owe 1,500 and can pay 800",
        "千万别",
        "\x1b[2J",
        "一",
    ],
)
def test_more_non_amounts(text: str) -> None:
    assert parse_amount(_plain(text)) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12个月每月还500", "500"),
        ("每月800，分6期", "800"),
        ("$800/mo", "800"),
        ("I can pay 800 per month for 6 months", "800"),
        ("月还800", "800"),
        ("一个月一千", "1000"),
        ("I can do 100 every month", "100"),
        ("每個月１２００", "1200"),
    ],
)
def test_more_monthly_offers(text: str, value: str) -> None:
    assert parse_monthly_offer(_plain(text)) == Decimal(value)


@pytest.mark.parametrize(
    "text",
    [
        "I can pay 800 in a month",  # one payment later, not a monthly amount
        "下个月还800",  # next month: a promise, not a plan
        "这个月还800",
        "每月800到1000",  # a range: ask again
        "每月",
        "800 a month or 900 a month",
    ],
)
def test_more_non_monthly_offers(text: str) -> None:
    assert parse_monthly_offer(_plain(text)) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("17.05.1990", date(1990, 5, 17)),
        ("5/17/1990", date(1990, 5, 17)),  # month first only when day first is impossible
        ("05/06/1990", date(1990, 6, 5)),  # ambiguous: day first by default
        ("一九九〇年五月十七日", date(1990, 5, 17)),
        ("二〇二六年十二月一日", date(2026, 12, 1)),
        ("17th May 1990", date(1990, 5, 17)),
        ("May 17th, 1990", date(1990, 5, 17)),
        ("17-May-1990", date(1990, 5, 17)),
        ("the 17th of May 1990", date(1990, 5, 17)),
        ("born on 17 May 1990", date(1990, 5, 17)),
        ("Sept 3 1990", date(1990, 9, 3)),
        ("19900517", date(1990, 5, 17)),
        ("民國79年5月17日", date(1990, 5, 17)),
        ("1990年5月17日出生", date(1990, 5, 17)),
        ("1990-5-17 12:00", date(1990, 5, 17)),
        ("I was born\n1990/05/17", date(1990, 5, 17)),
    ],
)
def test_more_dates(text: str, value: date) -> None:
    assert parse_date(_plain(text)) == value


@pytest.mark.parametrize(
    "text", ["99999-05-17", "0990-05-17", "17/05/90", "1990 5 17", "31/04/1990", "Foo 17 1990"]
)
def test_more_non_dates(text: str) -> None:
    assert parse_date(_plain(text)) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("6個月", 6),
        ("十二个月", 12),
        ("12期", 12),
        ("两个月", 2),
        ("６", 6),
        ("6 months please", 6),
    ],
)
def test_more_small_numbers(text: str, value: int) -> None:
    assert parse_int(_plain(text)) == value


@pytest.mark.parametrize("text", ["", "0", "6.5", "6 or 12", "-3", "100000", "🙂"])
def test_not_small_numbers(text: str) -> None:
    assert parse_int(_plain(text)) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("十", 10),
        ("十五", 15),
        ("二十", 20),
        ("一百零五", 105),
        ("八百五", 850),
        ("一九九〇", 1990),
    ],
)
def test_chinese_numeral_examples(text: str, value: int) -> None:
    assert chinese_to_int(text) == value


@pytest.mark.parametrize("text", ["", "千万", "万一", "百", "abc", "八百x"])
def test_chinese_words_that_are_not_numbers(text: str) -> None:
    assert chinese_to_int(text) is None


@given(st.integers(min_value=1, max_value=10**9), st.sampled_from(["{:,}", "{}", "${:,}"]))
def test_written_amounts_round_trip(value: int, template: str) -> None:
    assert parse_amount(_plain(template.format(value))) == value


@pytest.mark.parametrize("junk", ["\x00" * 100_000, "🙂" * 100_000, "1" * 100_000, "一" * 100_000])
def test_huge_junk_is_safe(junk: str) -> None:
    text = _through_the_door(junk)
    parse_amount(text)
    parse_date(text)
    parse_int(text)
    parse_monthly_offer(text)
