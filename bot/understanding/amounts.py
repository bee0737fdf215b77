"""An amount of money with its currency and period, out of a whole sentence.

"800 a month", "八百", "一千五", "两千块", "1.5k", "1,500元", "五百蚊",
"千五", "三舊水" (300), "HK$2,000 each month". Dates, weekdays (周五), terms ("for 6
months", "分12期") and days of the month ("on the 15th") are taken out first,
so "I'll pay 100 on dec 5" is 100, not a conflict between 100 and 5.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from bot.domain.parsing import parse_amount
from bot.understanding.text import Prepared


class Period(StrEnum):
    WEEK = "week"
    FORTNIGHT = "fortnight"
    MONTH = "month"


@dataclass(frozen=True)
class Amount:
    value: Decimal
    currency: str | None  # ISO 4217 when the text names one; else the account's
    period: Period | None  # None: a one-off amount


_CURRENCIES = (
    ("HKD", r"hk\$|hkd|港币|港幣|港元|港纸|港紙|蚊|[舊嚿旧]水"),
    ("TWD", r"nt\$|ntd|twd|台币|台幣|新台币|新台幣|臺幣"),
    ("USD", r"us\$|usd|美元|美金"),
    ("GBP", r"£|gbp|\bpounds?\b|\bquid\b|英镑|英鎊"),
    ("EUR", r"€|\beur\b|\beuros?\b|欧元|歐元"),
    ("CNY", r"rmb|cny|人民币|人民幣|¥|￥"),
)
_FORTNIGHT = re.compile(
    r"\b(?:every (?:2|two) weeks|biweekly|fortnightly|a fortnight|per fortnight)\b"
    r"|每两[个個]?(?:周|週|星期|礼拜|禮拜)|每兩[个個]?(?:周|週|星期|礼拜|禮拜)|每半[个個]月",
    re.IGNORECASE,
)
_WEEK = re.compile(
    r"\b(?:a|per|each|every) ?(?:week|wk)\b|\bweekly\b|/ ?(?:week|wk)\b|\bpw\b"
    r"|每(?:个|個)?(?:周|週|星期|礼拜|禮拜)|一(?:个|個)?(?:礼拜|禮拜|星期)[还還付俾]",
    re.IGNORECASE,
)
_MONTH = re.compile(
    r"\b(?:a|per|each|every|p/?) ?(?:month|mo|mth)\b|\bmonthly\b|/ ?(?:month|mo|mth)\b|(?<=\d)\s?pm\b"
    r"|每个?月|每個?月|(?<![下上这這本])[一1]\s*[个個]月|月供|月付|月还|月還|月俾|月繳|月缴",
    re.IGNORECASE,
)
_TERM = re.compile(
    r"(?:\b(?:for|over|in)\s+)?\b\d{1,3}\s*-?\s*(?:months?|mths?|weeks?|wks?|payments?|installments?|instalments?)\b"
    # A run of numerals is tried from its start only: tried from every character of
    # "一一一…" the pattern costs the square of the run's length, and a later start
    # cannot succeed where the run's start failed (what follows the run is the same).
    r"|(?<![\d一二两兩三四五六七八九十])[\d一二两兩三四五六七八九十]+"
    r"\s*(?:[个個]月|期|次|[个個]?(?:礼拜|禮拜|星期|周|週))",
    re.IGNORECASE,
)
_DAY_OF_MONTH = re.compile(
    r"\b\d{1,2}(?:st|nd|rd|th)\b|\bthe \d{1,2}\b"
    r"|(?:下个?|下個?|这个?|這個?|本)?月?\s*\d{1,2}\s*[号號日](?!元)|\d{1,2}\s*月",
    re.IGNORECASE,
)
_MONTH_WORD = (
    r"jan|january|feb|february|mar|march|apr|april|may|jun|june|jul|july|aug|august"
    r"|sep|sept|september|oct|october|nov|november|dec|december"
)
_DATE_SPANS = re.compile(
    rf"\b(?:{_MONTH_WORD})\.?\s*\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s*\d{{4}})?"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s*(?:of\s+)?(?:{_MONTH_WORD})\b"
    r"|(?<![\d$.,])\d{1,4}\s*[/-]\s*\d{1,2}(?:\s*[/.-]\s*\d{2,4})?(?![\d%])"
    r"|(?<![\d$.,])\d{1,4}\.\d{1,2}\.\d{2,4}(?!\d)"
    r"|\d{4}\s*年"
    # A weekday's numeral is no amount: "下周五还500" is 500 on Friday, not 5 and 500.
    r"|(?:周|週|星期|礼拜|禮拜)[一二三四五六日天]",
    re.IGNORECASE,
)
# From the start of a run of digits only (see _TERM): "888…" without a "%" costs its length.
_PERCENT = re.compile(r"(?<!\d)\d+(?:\.\d+)?\s*%")
_SPACES = re.compile(r"\s+")
_GRAND = re.compile(r"\b(\d+(?:\.\d+)?)\s*grand\b", re.IGNORECASE)


def _currency(text: str) -> str | None:
    for code, pattern in _CURRENCIES:
        if re.search(pattern, text, re.IGNORECASE):
            return code
    return None


def _period(text: str) -> Period | None:
    if _FORTNIGHT.search(text):
        return Period.FORTNIGHT
    if _WEEK.search(text):
        return Period.WEEK
    if _MONTH.search(text):
        return Period.MONTH
    return None


def find_amount(message: Prepared) -> Amount | None:
    """The one amount of money in the message, or None (none, or two that disagree)."""
    if not message.numbered:
        return None
    clean = _GRAND.sub(r"\1k", message.plain)
    period = _period(clean)
    stripped = clean
    for pattern in (_DATE_SPANS, _PERCENT, _TERM, _DAY_OF_MONTH):
        stripped = pattern.sub(" ", stripped)
    if period is not None:
        # "1 个月", "a month": the period's own number is not an amount.
        stripped = _MONTH.sub(" ", _WEEK.sub(" ", _FORTNIGHT.sub(" ", stripped)))
    # What was taken out leaves spaces behind: collapsed, as a prepared text's are.
    value = parse_amount(_SPACES.sub(" ", stripped).strip())
    if value is None:
        return None
    return Amount(value, _currency(clean), period)
