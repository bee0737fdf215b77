"""Read what stressed borrowers type: amounts, dates and small numbers.

In English, Simplified and Traditional Chinese, with thousands separators,
currency signs and colloquial Chinese numerals ("一千五" is 1500). The readers
take a message as the understanding layer prepared it (`Prepared.plain`,
bot/understanding/text.py: NFKC, so full-width digits are ASCII, control
characters as spaces, spaces collapsed): they never normalize text
themselves, and the runtime's door has already cut it to its one length limit.
When a text is ambiguous (two different amounts, a negative number) the
parsers return None: asking again is cheaper than agreeing to the wrong amount.
"""

from __future__ import annotations

import re
import string
from datetime import date
from decimal import Decimal, InvalidOperation

MAX_AMOUNT = Decimal(10) ** 12
MAX_SMALL_INT = 10_000

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
# Every Chinese character a number is written with (the understanding layer skips the
# readers for a message with none of these and no digit).
CHINESE_NUMERALS = _CN_CHARS
_CN_NUMBER = re.compile(f"[{_CN_CHARS}]+")
# One character that reads as a number only in context ("一个月", "两个", "一下").
_LONE_WORDS = frozenset("一两兩二")
# Letters that may sit right before an amount ("RMB800", "NT$800"); any other
# letters make the digits part of an identifier ("AC12345"), not an amount.
_CURRENCY_PREFIXES = frozenset(
    {"rmb", "cny", "usd", "us", "hkd", "hk", "twd", "ntd", "nt", "jpy", "gbp", "eur", "sgd"}
)
# Letters that may follow an amount glued to it ("800usd", "6months", "3rd").
_GLUED_SUFFIXES = _CURRENCY_PREFIXES | {
    "dollar",
    "dollars",
    "buck",
    "bucks",
    "yuan",
    "kuai",
    "month",
    "months",
    "mo",
    "st",
    "nd",
    "rd",
    "th",
}


def chinese_to_int(text: str) -> int | None:
    """'八百' 800, '一千五' 1500, '一万二' 12000, '三千二百五十' 3250, '十五' 15.

    A run that starts with 百, 千 or 万 is a word, not a number ("千万别", "万一").
    A run of bare digits ("一九九〇") is read digit by digit, as in a year.
    """
    # The default of .get only meets non-digits, and neither 0 nor 1 is above 1: not mutated.
    if len(text) == 2 and text[0] == "千" and _DIGITS.get(text[1], 0) > 1:  # pragma: no mutate
        # Spoken shorthand: 千五 = 1500, 千二 = 1200 ("万一" is "in case", not 11000).
        return 1000 + _DIGITS[text[1]] * 100
    # Not mutated: an X added to these unit strings can never be text[0] (not a numeral).
    if (
        not text
        or any(ch not in _CN_CHARS for ch in text)
        or text[0] in "百千" + "万萬亿億"  # pragma: no mutate
    ):
        return None
    if all(ch in _DIGITS for ch in text):
        return int("".join(str(_DIGITS[ch]) for ch in text))
    total = 0
    section = 0
    number = 0  # pragma: no mutate (read only after a digit or 十 has set it; 百千万 cannot start)
    last_unit = 1  # pragma: no mutate (a unit always sets it before a last digit is read)
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
    return total + section + number


_AMOUNT = re.compile(
    r"(?<![\d.,])(?P<neg>-\s*)?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?!\d)(?![.,]\d)"
    r"(?:\s*(?P<suffix>k(?![a-z])|万|萬|千)(?P<tail>\d(?!\d))?)?",
    re.IGNORECASE,
)
_SUFFIX_VALUE = {"k": 1000, "千": 1000, "万": 10_000, "萬": 10_000}


# "XX$XX" for "$" is the same set of characters: not mutated.
_PREFIX_CHARS = string.ascii_letters + "$"  # pragma: no mutate
_LETTERS = re.compile(r"[A-Za-z]*")


def _is_identifier(text: str, start: int, end: int) -> bool:
    """Digits glued to letters that are not a currency or unit ("AC12345", "#123", "2J")."""
    before = text[:start]
    if before.endswith("#"):
        return True
    # Not mutated below: a dash right before the digits is the minus sign, already outside
    # `before`. The letters are the run `rstrip` takes off the end: a search for them
    # from every position made a message of many numbers cost the square of its length.
    stem = before.rstrip("-")  # pragma: no mutate
    # Lowercased, the prefix holds no "X": rstrip("XX$XX") strips the same; not mutated.
    prefix = stem[len(stem.rstrip(_PREFIX_CHARS)) :].lower().rstrip("$")  # pragma: no mutate
    after = _LETTERS.match(text, end)
    suffix = after.group().lower() if after else ""  # pragma: no mutate
    return bool(prefix and prefix not in _CURRENCY_PREFIXES) or bool(
        suffix and suffix not in _GLUED_SUFFIXES
    )


def _arabic_numbers(text: str) -> list[Decimal] | None:
    found: list[Decimal] = []
    for match in _AMOUNT.finditer(text):
        start = match.start()
        if _is_identifier(text, start, match.end()):
            continue
        if match.group("neg"):
            return None  # "-50", "还-50": never a payment
        try:
            value = Decimal(match.group("num").replace(",", ""))
        except InvalidOperation:  # pragma: no cover - the pattern only matches numbers
            continue  # pragma: no mutate (unreachable, as above)
        suffix = (match.group("suffix") or "").lower()
        if suffix:
            multiplier = _SUFFIX_VALUE[suffix]
            value *= multiplier
            if match.group("tail"):
                # "1万5" = 15000, "3千5" = 3500, "1k5" = 1500.
                value += int(match.group("tail")) * multiplier // 10
        found.append(value)
    return found


# Hong Kong slang: 一舊水 (also 嚿水, 旧水) is a hundred dollars, 三舊水 is 300.
# Each run of digits or numerals is tried from its start only, so a long run costs
# its length, not its square; a later start could not succeed where the start failed.
_HUNDRED_SLANG = re.compile(
    r"((?<!\d)\d+|(?<![一二两兩三四五六七八九十])[一二两兩三四五六七八九十]+)\s*[舊嚿旧]水"
)


def _expand_slang(text: str) -> str:
    def hundreds(match: re.Match[str]) -> str:
        run = match.group(1)
        count = int(run) if run.isdigit() else chinese_to_int(run)
        # The run is digits or numerals chinese_to_int always reads: `count` is never None.
        return match.group() if count is None else f" {count * 100} "  # pragma: no mutate

    return _HUNDRED_SLANG.sub(hundreds, text)


def _numbers(text: str, *, lone_words: bool) -> list[Decimal] | None:
    """Every number in the text; None when one is negative.

    `lone_words` lets a single 一 or 两 count as a number (choosing "两个月"),
    which an amount parser must not do ("一个月还500").
    """
    text = _expand_slang(text)
    found = _arabic_numbers(text)
    if found is None:
        return None
    for match in _CN_NUMBER.finditer(text):
        run = match.group()
        before = text[: match.start()].rstrip()
        if before and before[-1].isdigit():
            continue  # "2万": the unit belongs to the Arabic number before it
        if len(run) == 1 and run in _LONE_WORDS and not lone_words:
            continue
        if run == "十" and text.startswith("分", match.end()):
            continue  # 十分 is "very", as in 十分困难
        value = chinese_to_int(run)
        if value is not None:
            found.append(Decimal(value))
    return [Decimal(int(n)) if n == n.to_integral_value() else n for n in found]


def _single(numbers: list[Decimal] | None) -> Decimal | None:
    if not numbers:
        return None
    if len(set(numbers)) != 1:
        return None
    return numbers[0]


def parse_amount(text: str) -> Decimal | None:
    """A positive amount, or None (no number, negative, zero, absurd, conflicting)."""
    # lone_words=None would be as false as False: not mutated.
    value = _single(_numbers(text, lone_words=False))  # pragma: no mutate
    if value is None or value <= 0 or value > MAX_AMOUNT:
        return None
    return value


_MONTHLY = re.compile(
    r"(?<!\bin )(?<!\bwithin )(?:\ba|\bper|\beach|\bevery|/)\s*mo(?:nth)?\b|\bmonthly\b"
    r"|每个?月|每個?月|(?<![下上这這本])[一1]\s*[个個]月|(?<![下上这這本个個])月[还還付缴繳]|月供",
    re.IGNORECASE,
)
# The length of a plan, not the amount: "for 6 months", "12个月", "分6期".
_TERM = re.compile(
    r"(?:\b(?:for|over)\s+)?\b\d{1,3}\s*-?\s*months?\b"
    # Digits or Chinese numerals, not both: in "800一个月" the term is 一个月, not 800一.
    r"|(?:\d+|[一二两兩三四五六七八九十]+)\s*(?:[个個]月|期)",
    re.IGNORECASE,
)


def parse_monthly_offer(text: str) -> Decimal | None:
    """'I can pay 800 a month', '每个月只能还八百', '每月還1,500' -> the amount.

    None unless the text says "per month" somehow: a bare amount may mean the
    whole debt, and the caller should ask rather than guess.
    """
    if not _MONTHLY.search(text):
        return None
    return parse_amount(_TERM.sub(" ", text))


_ISO = re.compile(r"(?<!\d)(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})(?!\d)")
_COMPACT = re.compile(r"(?<!\d)((?:19|20)\d{2})(\d{2})(\d{2})(?!\d)")
_CN_DATE = re.compile(r"(?<!\d)(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号號]?")
# Taiwan's Minguo calendar: 民國79年 is 1990.
_ROC_DATE = re.compile(r"民[國国]\s*(\d{1,3})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})")
_ROC_OFFSET = 1911
_DMY = re.compile(r"(?<!\d)(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4})(?!\d)")
_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}
_SEP = r"(?:\s*[-/.,]\s*|\s+)"
_MDY_WORDS = re.compile(
    rf"\b([a-z]{{3}})[a-z]*\.?{_SEP}(\d{{1,2}})(?:st|nd|rd|th)?,?{_SEP}(\d{{4}})(?!\d)",
    re.IGNORECASE,
)
_DMY_WORDS = re.compile(
    rf"(?<!\d)(\d{{1,2}})(?:st|nd|rd|th)?{_SEP}(?:of\s+)?([a-z]{{3}})[a-z]*\.?,?{_SEP}(\d{{4}})(?!\d)",
    re.IGNORECASE,
)
# Years outside this range are typos ("0990"), not dates anyone means.
MIN_YEAR = 1900
MAX_YEAR = 2100


def _make(year: int, month: int, day: int) -> date | None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def cn_numerals_to_digits(text: str) -> str:
    """Chinese numerals as Arabic digits: "十二月一号" becomes "12月1号"."""

    def digits(match: re.Match[str]) -> str:
        value = chinese_to_int(match.group())
        return match.group() if value is None else str(value)

    return _CN_NUMBER.sub(digits, text)


def _worded(text: str) -> date | None:
    for match in _MDY_WORDS.finditer(text):
        month = _MONTHS.get(match[1].lower())
        if month:
            return _make(int(match[3]), month, int(match[2]))
    for match in _DMY_WORDS.finditer(text):
        month = _MONTHS.get(match[2].lower())
        if month:
            return _make(int(match[3]), month, int(match[1]))
    return None


def parse_date(text: str) -> date | None:
    """1990-05-17, 1990/5/17, 17/05/1990, May 17, 1990, 17 May 1990, 1990年5月17日.

    Numeric day and month are read day first unless only month first is valid
    (5/17/1990): most of our borrowers write day first.
    """
    if not text:
        return None
    # Always converted: a text with no numeral comes back as it is, and a search for
    # one first would cost as much (and be a shortcut no test can tell from its absence).
    clean = cn_numerals_to_digits(text)
    if match := _ROC_DATE.search(clean):
        return _make(int(match[1]) + _ROC_OFFSET, int(match[2]), int(match[3]))
    if match := _ISO.search(clean) or _CN_DATE.search(clean):
        return _make(int(match[1]), int(match[2]), int(match[3]))
    if match := _DMY.search(clean):
        first, second, year = int(match[1]), int(match[2]), int(match[3])
        if second > 12 >= first:
            return _make(year, first, second)
        return _make(year, second, first)
    if match := _COMPACT.search(clean):
        return _make(int(match[1]), int(match[2]), int(match[3]))
    return _worded(clean)


def parse_int(text: str) -> int | None:
    """A small whole number: '6', '六', '6 months', '6个月', '两个月'."""
    value = _single(_numbers(text, lone_words=True))
    if value is None or value != value.to_integral_value() or not 0 < value <= MAX_SMALL_INT:
        return None
    return int(value)
