"""Read what stressed borrowers type: amounts, dates and small numbers.

In English, Simplified and Traditional Chinese, with full-width digits,
thousands separators, currency signs and colloquial Chinese numerals
("一千五" is 1500). Every parser looks at a bounded prefix of the text, so
a 100,000-character message costs no more than a short one.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation

SCAN_LIMIT = 500
MAX_AMOUNT = Decimal(10) ** 12

_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "兩": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
_CN_CHARS = "".join(_DIGITS) + "".join(_UNITS) + "".join(_BIG)
_CN_NUMBER = re.compile(f"[{_CN_CHARS}]+")


def normalize(text: str) -> str:
    """NFKC (full-width digits become ASCII), control characters dropped, bounded."""
    text = unicodedata.normalize("NFKC", text[: SCAN_LIMIT * 2])[:SCAN_LIMIT]
    return "".join(ch for ch in text if ch.isprintable() or ch == " ").strip()


def chinese_to_int(text: str) -> int | None:
    """'八百' 800, '一千五' 1500, '一万二' 12000, '三千二百五十' 3250, '十五' 15."""
    if not text or any(ch not in _CN_CHARS for ch in text):
        return None
    total = 0
    section = 0
    number = 0
    last_unit = 1
    for index, ch in enumerate(text):
        if ch in _DIGITS:
            number = _DIGITS[ch]
            if index == len(text) - 1 and last_unit >= 100 and number and text[index - 1] != "零":
                # Colloquial: 一千五 = 1500, 八百五 = 850, 一万二 = 12000.
                section += number * (last_unit // 10)
                number = 0
        elif ch in _UNITS:
            unit = _UNITS[ch]
            section += (number or 1) * unit
            number = 0
            last_unit = unit
        else:
            big = _BIG[ch]
            total += (section + number) * big
            section = number = 0
            last_unit = big
    # 一万二: the trailing digit after a big unit means thousands.
    return total + section + number


_AMOUNT = re.compile(
    r"(?P<neg>-\s*)?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?P<suffix>k|K|万|萬|千)?(?![A-Za-z0-9])"
)


def _numbers(text: str) -> list[Decimal] | None:
    """Every amount in the text; None when one is negative."""
    found: list[Decimal] = []
    for match in _AMOUNT.finditer(text):
        if match.group("neg") and (match.start() == 0 or not text[match.start() - 1].isalnum()):
            return None
        try:
            value = Decimal(match.group("num").replace(",", ""))
        except InvalidOperation:
            continue
        suffix = match.group("suffix")
        if suffix in ("k", "K", "千"):
            value *= 1000
        elif suffix in ("万", "萬"):
            value *= 10_000
        found.append(Decimal(int(value)) if value == value.to_integral_value() else value)
    for match in _CN_NUMBER.finditer(text):
        before = text[: match.start()].rstrip()
        if before and before[-1].isdigit():
            continue  # "2万": the unit belongs to the Arabic number before it
        if not any(ch in _DIGITS or ch == "十" for ch in match.group()):
            continue  # a lone 万 or 千 is not a number
        value_int = chinese_to_int(match.group())
        if value_int is not None and not (len(match.group()) == 1 and match.group() in "一两兩"):
            found.append(Decimal(value_int))
    return found


def parse_amount(text: str) -> Decimal | None:
    """A positive amount, or None (no number, negative, zero, absurd, conflicting)."""
    clean = normalize(text)
    numbers = _numbers(clean)
    if not numbers:
        return None
    distinct = set(numbers)
    if len(distinct) != 1:
        return None
    (value,) = distinct
    if value <= 0 or value > MAX_AMOUNT:
        return None
    return value


_MONTHLY = re.compile(
    r"(a|per|each|every|/)\s*month|monthly|每个?月|每個?月|一个月|一個月|每月|月供|/月",
    re.IGNORECASE,
)


def parse_monthly_offer(text: str) -> Decimal | None:
    """'I can pay 800 a month', '每个月只能还八百', '每月還1,500' -> the amount."""
    clean = normalize(text)
    if not _MONTHLY.search(clean):
        return None
    # "一个月" names the period, not the amount: drop it before reading numbers.
    without_period = re.sub(r"[一1]\s*[个個]?月", " ", clean)
    without_period = re.sub(r"\b\d+\s*months?\b", " ", without_period, flags=re.IGNORECASE)
    return parse_amount(without_period)


_ISO = re.compile(r"(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})")
_CN_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号號]?")
_DMY = re.compile(r"(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4})")
_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}
_MDY_WORDS = re.compile(
    r"([a-z]{3})[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})", re.IGNORECASE
)
_DMY_WORDS = re.compile(
    r"(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]{3})[a-z]*\.?,?\s+(\d{4})", re.IGNORECASE
)


def _make(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _cn_numerals_to_digits(text: str) -> str:
    return _CN_NUMBER.sub(lambda m: str(chinese_to_int(m.group()) or m.group()), text)


def parse_date(text: str) -> date | None:
    """1990-05-17, 1990/5/17, 17/05/1990, May 17, 1990, 17 May 1990, 1990年5月17日."""
    clean = normalize(text)
    if not clean:
        return None
    if match := _ISO.search(clean):
        return _make(int(match[1]), int(match[2]), int(match[3]))
    if match := _CN_DATE.search(clean) or _CN_DATE.search(_cn_numerals_to_digits(clean)):
        return _make(int(match[1]), int(match[2]), int(match[3]))
    if match := _DMY.search(clean):
        first, second, year = int(match[1]), int(match[2]), int(match[3])
        if first > 12 >= second:
            return _make(year, second, first)
        if second > 12 >= first:
            return _make(year, first, second)
        return _make(year, second, first)  # day first by default, as most of our markets
    if match := _MDY_WORDS.search(clean):
        month = _MONTHS.get(match[1].lower())
        return _make(int(match[3]), month, int(match[2])) if month else None
    if match := _DMY_WORDS.search(clean):
        month = _MONTHS.get(match[2].lower())
        return _make(int(match[3]), month, int(match[1])) if month else None
    return None


def parse_int(text: str) -> int | None:
    """A small whole number: '6', '六', '6 months', '6个月'."""
    clean = normalize(text)
    numbers = _numbers(clean)
    if not numbers or len(set(numbers)) != 1:
        return None
    value = numbers[0]
    if value != value.to_integral_value() or not 0 < value <= 10_000:
        return None
    return int(value)
