"""Amounts, payment dates, birth dates, charges and yes/no, without the model."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bot.domain.accounts import Charge, ChargeKind
from bot.understanding import Period, find_amount, parse_birth_dates, parse_dates, yes_or_no
from bot.understanding.charges import gives_reason, named_charges
from bot.understanding.text import prepare
from tests.understanding.conftest import TODAY


@pytest.mark.parametrize(
    ("text", "value", "currency", "period"),
    [
        ("800 a month", "800", None, Period.MONTH),
        ("八百", "800", None, None),
        ("一千五", "1500", None, None),
        ("两千块", "2000", None, None),
        ("1.5k", "1500", None, None),
        ("1,500元", "1500", None, None),
        ("五百蚊", "500", "HKD", None),
        ("千五", "1500", None, None),
        ("三舊水", "300", "HKD", None),
        ("每個月還三舊水", "300", "HKD", Period.MONTH),
        ("HK$2,000 each month", "2000", "HKD", Period.MONTH),
        ("NT$3000", "3000", "TWD", None),
        ("£300 a week", "300", "GBP", Period.WEEK),
        ("60 every two weeks", "60", None, Period.FORTNIGHT),
        ("每两周还300", "300", None, Period.FORTNIGHT),
        ("150pm", "150", None, Period.MONTH),
        ("2 grand", "2000", None, None),
        ("I'll pay 100 on dec 5", "100", None, None),
        ("will pay 200 on the 15th", "200", None, None),
        ("下个月15号还500", "500", None, None),
        ("分12期每期300", "300", None, None),
        ("pay 100 on 12/15", "100", None, None),
        ("一个月还两千块可以吗", "2000", None, Period.MONTH),
    ],
)
def test_amounts_with_currency_and_period(
    text: str, value: str, currency: str | None, period: Period | None
) -> None:
    amount = find_amount(prepare(text))
    assert amount is not None
    assert (amount.value, amount.currency, amount.period) == (Decimal(value), currency, period)


@pytest.mark.parametrize(
    "text", ["pay over 12 months", "ill clear it all by dec 5", "12/15", "18%", "100 or 200", ""]
)
def test_no_amount(text: str) -> None:
    assert find_amount(prepare(text)) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", date(2026, 11, 30)),
        ("tomorrow", date(2026, 12, 1)),
        ("tmrw", date(2026, 12, 1)),
        ("day after tomorrow", date(2026, 12, 2)),
        ("friday", date(2026, 12, 4)),
        ("this friday", date(2026, 12, 4)),
        ("Dec 1", date(2026, 12, 1)),
        ("Dec 15th", date(2026, 12, 15)),
        ("15th of december", date(2026, 12, 15)),
        ("the 20th", date(2026, 12, 20)),
        ("in 2 weeks", date(2026, 12, 14)),
        ("end of the month", date(2026, 11, 30)),
        ("end of next month", date(2026, 12, 31)),
        ("2027-01-15", date(2027, 1, 15)),
        ("Nov 2", date(2027, 11, 2)),  # already past this year: next year's
        ("下个月15号", date(2026, 12, 15)),
        ("下個月15號", date(2026, 12, 15)),
        ("月底", date(2026, 11, 30)),
        ("月尾", date(2026, 11, 30)),
        ("下禮拜五", date(2026, 12, 11)),
        ("下周五", date(2026, 12, 11)),
        ("这周五", date(2026, 12, 4)),
        ("星期五", date(2026, 12, 4)),
        ("聽日", date(2026, 12, 1)),
        ("明天", date(2026, 12, 1)),
        ("後日", date(2026, 12, 2)),
        ("十二月一号", date(2026, 12, 1)),
        ("12月15日", date(2026, 12, 15)),
        ("15号", date(2026, 12, 15)),
        ("ill clear it all by dec 5", date(2026, 12, 5)),
    ],
)
def test_payment_dates(text: str, expected: date) -> None:
    assert parse_dates(prepare(text), today=TODAY) == (expected,)


def test_next_friday_on_a_monday_has_two_readings_next_weeks_first() -> None:
    assert parse_dates(prepare("next Friday"), today=TODAY) == (
        date(2026, 12, 11),
        date(2026, 12, 4),
    )
    saturday = date(2026, 12, 5)
    assert parse_dates(prepare("next Friday"), today=saturday) == (date(2026, 12, 11),)


@pytest.mark.parametrize(
    ("text", "region", "expected"),
    [
        ("12/15", None, (date(2026, 12, 15),)),
        ("15/12", None, (date(2026, 12, 15),)),
        ("3/4", "US", (date(2027, 3, 4), date(2027, 4, 3))),
        ("3/4", "GB", (date(2027, 4, 3), date(2027, 3, 4))),
        ("12/6", "HK", (date(2027, 6, 12), date(2026, 12, 6))),
        ("12/6", "CN", (date(2026, 12, 6), date(2027, 6, 12))),
    ],
)
def test_numeric_dates_follow_the_region_and_offer_both_readings(
    text: str, region: str | None, expected: tuple[date, ...]
) -> None:
    assert parse_dates(prepare(text), today=TODAY, region=region) == expected


@pytest.mark.parametrize("text", ["", "I can pay 800 a month", "hello", "🙂"])
def test_no_payment_date(text: str) -> None:
    assert parse_dates(prepare(text), today=TODAY) == ()


@pytest.mark.parametrize(
    ("text", "region", "expected"),
    [
        ("5/17/90", "US", (date(1990, 5, 17),)),
        ("5/17/90", "GB", (date(1990, 5, 17),)),  # only one reading is a date
        ("17 may 90", None, (date(1990, 5, 17),)),
        ("30th Aug 82", "GB", (date(1982, 8, 30),)),
        ("aug 30, 1982", None, (date(1982, 8, 30),)),
        ("85年3月9号", "CN", (date(1985, 3, 9),)),
        ("一九九零年五月十七日", "CN", (date(1990, 5, 17),)),
        ("民國79年5月17日", "TW", (date(1990, 5, 17),)),
        ("79年5月17日", "TW", (date(1990, 5, 17), date(1979, 5, 17))),
        ("1990-05-17", None, (date(1990, 5, 17),)),
        ("90.5.17", "CN", (date(1990, 5, 17),)),
        ("17/5/1990", "HK", (date(1990, 5, 17),)),
        ("19900517", None, (date(1990, 5, 17),)),
        ("01/02/1995", "US", (date(1995, 1, 2), date(1995, 2, 1))),
        ("01/02/1995", "GB", (date(1995, 2, 1), date(1995, 1, 2))),
        ("dob 12/03/88", "GB", (date(1988, 3, 12), date(1988, 12, 3))),
        ("05/05/05", "US", (date(2005, 5, 5),)),
        ("1/1/30", "US", (date(1930, 1, 1),)),  # 2030 has not happened yet
    ],
)
def test_birth_dates_in_everyday_forms(
    text: str, region: str | None, expected: tuple[date, ...]
) -> None:
    assert parse_birth_dates(prepare(text), today=TODAY, region=region) == expected


@pytest.mark.parametrize("text", ["", "hello", "31/31/90", "2030-01-01", "1850-01-01", "800"])
def test_not_a_birth_date(text: str) -> None:
    assert parse_birth_dates(prepare(text), today=TODAY, region="US") == ()


CHARGES = (
    Charge("p", ChargeKind.PRINCIPAL, "Loan principal", Decimal("1000"), TODAY),
    Charge("l1", ChargeKind.LATE_FEE, "Late fee October", Decimal("35"), TODAY),
    Charge("l2", ChargeKind.LATE_FEE, "Late fee November", Decimal("35"), TODAY),
    Charge("a", ChargeKind.ANNUAL_FEE, "Annual fee", Decimal("120"), TODAY),
    Charge("o", ChargeKind.OTHER, "Card replacement", Decimal("15"), TODAY),
    Charge("i", ChargeKind.INTEREST, "利息", Decimal("18.50"), TODAY),
)


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("I never agreed to that late fee", ("l1", "l2")),
        ("the october late fee is wrong", ("l1",)),
        ("年費唔係我申請嘅", ("a",)),
        ("年费不对", ("a",)),
        ("why is there a 120 charge", ("a",)),
        ("i never asked for a replacement card", ("o",)),
        ("利息算错了", ("i",)),
        ("the interest of 18.50 is wrong", ("i",)),
        ("I dispute this", ()),
    ],
)
def test_charges_named_by_kind_description_or_amount(text: str, ids: tuple[str, ...]) -> None:
    assert named_charges(prepare(text), CHARGES) == ids


def test_no_charges_no_match() -> None:
    assert named_charges(prepare("that late fee"), ()) == ()


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("the late fee, I paid on time", True),
        ("I never agreed to that late fee", True),
        ("滞纳金不合理，我是按时还款的", True),
        ("年費唔應該收，我已經取消咗張卡", True),
        ("利息算错了", True),
        # Naming (or pointing at) the charge is no reason: the dispute asks for one.
        ("the late fee", False),
        ("that late fee please", False),
        ("I want to dispute the annual fee", False),
        ("the 120 charge", False),
        ("年费", False),
        ("我想申诉这笔年费", False),
        ("the october late fee is wrong", False),  # one word: asked for in a few
    ],
)
def test_a_reason_besides_the_charges_named(text: str, reason: bool) -> None:
    message = prepare(text)
    named = named_charges(message, CHARGES)
    assert named  # every example names a charge
    assert gives_reason(message, CHARGES, named) is reason


def test_no_reason_without_a_charge_named() -> None:
    assert gives_reason(prepare("I paid on time, this is unfair"), CHARGES, ()) is False


@pytest.mark.parametrize(
    "text",
    [
        *("yes", "yep", "ok", "OK!", "sure", "好", "好的", "得", "可以", "行", "冇問題", "係"),
        *("👍", "yes please", "ok go ahead", "好，就這樣"),
    ],
)
def test_yes(text: str) -> None:
    assert yes_or_no(prepare(text)) is True


@pytest.mark.parametrize(
    "text",
    ["no", "nope", "nah", "不用了", "唔得，太多", "算了", "唔使", "不要", "no, that's too much"],
)
def test_no(text: str) -> None:
    assert yes_or_no(prepare(text)) is False


@pytest.mark.parametrize(
    "text",
    ["", "good morning", "dont text me again", "ok so how do I pay for this thing", "what?", "800"],
)
def test_neither_yes_nor_no(text: str) -> None:
    assert yes_or_no(prepare(text)) is None
