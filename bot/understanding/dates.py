"""Dates as borrowers type them, read in the borrower's calendar and region.

Payment dates: "today", "tmrw", "next Friday", "Dec 15th", "12/15", "the 20th",
"end of the month", "下个月15号", "月底", "月尾", "下禮拜五", "聽日". A date
without a year is the next one to come. Birth dates: "5/17/90", "17 may 90",
"30th Aug 82", "85年3月9号", "民國79年5月17日", with two-digit years.

Numbers alone do not say which is the day and which the month, so they are
read in the account region's order (month first in the US, day first in
Britain or Hong Kong, year first in mainland China and Taiwan). When both
readings are real dates they are both returned, the region's first, so the
bot can ask back with two buttons instead of guessing.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from enum import StrEnum

from bot.understanding.text import Prepared


class Order(StrEnum):
    MDY = "mdy"
    DMY = "dmy"
    YMD = "ymd"


_MONTH_FIRST = frozenset({"US", "PH", "FM", "MH", "PW"})
_YEAR_FIRST = frozenset({"CN", "TW", "JP", "KR", "MN", "HU", "LT"})


def region_order(region: str | None) -> Order | None:
    """The region's numeric date order; None when the region is not known."""
    if not region:
        return None
    code = region.upper()
    if code in _MONTH_FIRST:
        return Order.MDY
    if code in _YEAR_FIRST:
        return Order.YMD
    return Order.DMY


_MONTH_NAMES = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february", "febuary"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        1,
    )
    for name in names
}
_MONTH = "(" + "|".join(sorted(_MONTH_NAMES, key=len, reverse=True)) + r")\.?"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(\d{4}|'?\d{2})"
_ORD = r"(?:st|nd|rd|th)"
# A day in a birth date: its digits, then not another digit ("january 1995").
_BIRTH_DAY = r"(\d{1,2})(?!\d)(?:st|nd|rd|th)?"


def _make(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _add_months(day: date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


def _next_day_month(today: date, month: int, day: int) -> date | None:
    """The next (month, day) on or after today; 29 Feb waits for a leap year."""
    for year in range(today.year, today.year + 5):
        found = _make(year, month, day)
        if found and found >= today:
            return found
    return None


def _next_day_of_month(today: date, day: int) -> date | None:
    """ "The 20th", "15号": this month's if still to come, else next month's."""
    for offset in range(13):
        year, month = _add_months(today, offset)
        found = _make(year, month, day)
        if found and found >= today:
            return found
    return None


# Weekdays: English names and Chinese 周/星期/礼拜 + 一..日 (after folding).
_WEEKDAY_EN = {
    "mon": 0,
    "monday": 0,
    "tue": 1,
    "tues": 1,
    "tuesday": 1,
    "wed": 2,
    "weds": 2,
    "wednesday": 2,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "thursday": 3,
    "fri": 4,
    "friday": 4,
    "sat": 5,
    "saturday": 5,
    "sun": 6,
    "sunday": 6,
}
_WEEKDAY_ZH = {"1": 0, "2": 1, "3": 2, "4": 3, "5": 4, "6": 5, "日": 6, "天": 6, "7": 6}
_EN_WEEKDAY = re.compile(
    r"\b(next|this|coming|on)?\s*(" + "|".join(sorted(_WEEKDAY_EN, key=len, reverse=True)) + r")\b"
)
_ZH_WEEKDAY = re.compile(r"(下下|下|这|今个|呢个|本)?\s*(?:个)?(?:周|星期|礼拜|拜)([1-7日天])")


def _weekday(today: date, weekday: int, week_offset: int | None) -> date:
    """week_offset None: the next such day (today counts); 0 this week; 1 next week."""
    if week_offset is None:
        return today + timedelta(days=(weekday - today.weekday()) % 7)
    monday = today - timedelta(days=today.weekday())
    return monday + timedelta(weeks=week_offset, days=weekday)


def _relative(text: str, today: date) -> date | None:
    if re.search(r"\bday after (?:tomorrow|tmrw|tmr)\b|后天|后日", text):
        return today + timedelta(days=2)
    if re.search(r"\b(?:tomorrow|tmrw|tmr|tmw|tomoz|2morrow|2moro)\b|明天|明日|听日|明儿", text):
        return today + timedelta(days=1)
    if re.search(
        r"\b(?:today|tonight|this (?:evening|afternoon|morning)|now)\b|今天|今日|今晚|今日内", text
    ):
        return today
    if match := re.search(
        r"\bin (\d{1,2}) (day|week)s?\b|(\d{1,2}) ?(天|日|周|个?礼拜|个?星期)(?:之?后|后)", text
    ):
        count = int(match[1] or match[3])
        unit = match[2] or match[4]
        return today + timedelta(days=count * (1 if unit in ("day", "天", "日") else 7))
    return None


def _month_edges(text: str, today: date) -> date | None:
    next_month = re.search(r"\bend of next month\b|下个?月[底尾]", text)
    if next_month:
        return _month_end(*_add_months(today, 1))
    if re.search(r"\bend of (?:the |this )?month\b|\bmonth end\b|月[底尾]|月末", text):
        return _month_end(today.year, today.month)
    if re.search(r"\b(?:start|beginning) of next month\b|下个?月初|月头|月初", text):
        year, month = _add_months(today, 1)
        return date(year, month, 1)
    return None


def _chinese_day(text: str, today: date) -> date | None:
    """下个月15号, 这个月20号, 12月1号, 15号 (Simplified, digits already)."""
    if match := re.search(r"下个?月\s*(\d{1,2})\s*[号日]", text):
        year, month = _add_months(today, 1)
        return _make(year, month, int(match[1]))
    if match := re.search(r"(?:这个?|本|今个|呢个)月\s*(\d{1,2})\s*[号日]", text):
        return _make(today.year, today.month, int(match[1]))
    if match := re.search(r"(?<!\d)(\d{1,2})\s*月\s*(\d{1,2})\s*[号日]?", text):
        return _next_day_month(today, int(match[1]), int(match[2]))
    if match := re.search(r"(?<![\d月])(\d{1,2})\s*[号日](?!元)", text):
        return _next_day_of_month(today, int(match[1]))
    return None


_WORDED_MD = re.compile(rf"\b{_MONTH}\s*{_DAY}\b(?!\s*[,/ ]\s*\d)")
_WORDED_DM = re.compile(rf"\b{_DAY}\s*(?:of\s+)?{_MONTH}\b(?!\s*[,/ ]\s*\d)")
_THE_DAY = re.compile(
    rf"\b(?:the|on the|by the|before the)\s+(\d{{1,2}}){_ORD}?\b|\b(\d{{1,2}}){_ORD}\b"
)
_NUMERIC_PAIR = re.compile(r"(?<![\d/.-])(\d{1,2})\s*[/.-]\s*(\d{1,2})(?![\d/.-])")


def _pair_readings(first: int, second: int, order: Order | None) -> list[tuple[int, int]]:
    """(month, day) readings of "a/b", the region's first."""
    month_first = (first, second)
    day_first = (second, first)
    preferred = [day_first, month_first] if order is Order.DMY else [month_first, day_first]
    if order is None:
        preferred = [day_first, month_first]
    readings = [(m, d) for m, d in preferred if 1 <= m <= 12 and 1 <= d <= 31]
    return list(dict.fromkeys(readings))


def _full_dates(text: str, order: Order | None) -> list[date]:
    """Dates with a four-digit year: 2026-12-15, 15/12/2026, dec 15 2026, 2026年12月15日."""
    if match := re.search(r"(?<!\d)(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})", text):
        found = _make(int(match[1]), int(match[2]), int(match[3]))
        return [found] if found else []
    if match := re.search(r"(?<!\d)(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})(?!\d)", text):
        year = int(match[3])
        readings = _pair_readings(int(match[1]), int(match[2]), order)
        return [d for m, day in readings if (d := _make(year, m, day))]
    if match := re.search(rf"\b{_MONTH}\s*{_DAY},?\s*(\d{{4}})\b", text):
        found = _make(int(match[3]), _MONTH_NAMES[match[1]], int(match[2]))
        return [found] if found else []
    if match := re.search(rf"\b{_DAY}\s*(?:of\s+)?{_MONTH},?\s*(\d{{4}})\b", text):
        found = _make(int(match[3]), _MONTH_NAMES[match[2]], int(match[1]))
        return [found] if found else []
    return []


def parse_dates(message: Prepared, *, today: date, region: str | None = None) -> tuple[date, ...]:
    """Every reading of the payment date in the message, likeliest first; () when none.

    `today` is the borrower's today, in the account's time zone. Read in the
    message's `digits` form: lower case, Simplified, Chinese numerals as digits.
    """
    clean = message.digits
    if not clean:
        return ()
    order = region_order(region)
    if full := _full_dates(clean, order):
        return tuple(full)
    for reader in (_month_edges, _chinese_day, _relative):
        if found := reader(clean, today):
            return (found,)
    if match := _ZH_WEEKDAY.search(clean):
        offset = {"下下": 2, "下": 1}.get(match[1] or "", 0 if match[1] else None)
        return (_weekday(today, _WEEKDAY_ZH[match[2]], offset),)
    if match := _EN_WEEKDAY.search(clean):
        weekday = _WEEKDAY_EN[match[2]]
        coming = _weekday(today, weekday, None)
        if match[1] != "next":
            return (coming,)
        # "next Friday" said on a Monday: Friday next week, or this coming
        # Friday? People mean both; offer both, next week's first.
        following = _weekday(today, weekday, 1)
        return (following,) if coming <= today or coming == following else (following, coming)
    if match := _WORDED_MD.search(clean):
        found = _next_day_month(today, _MONTH_NAMES[match[1]], int(match[2]))
        return (found,) if found else ()
    if match := _WORDED_DM.search(clean):
        found = _next_day_month(today, _MONTH_NAMES[match[2]], int(match[1]))
        return (found,) if found else ()
    if match := _NUMERIC_PAIR.search(clean):
        readings = _pair_readings(int(match[1]), int(match[2]), order)
        found_all = [d for m, day in readings if (d := _next_day_month(today, m, day))]
        return tuple(dict.fromkeys(found_all))
    if match := _THE_DAY.search(clean):
        found = _next_day_of_month(today, int(match[1] or match[2]))
        return (found,) if found else ()
    return ()


# Taiwan's Minguo calendar: 民國79年 is 1990.
_ROC_OFFSET = 1911


def _birth_year(raw: str, today: date) -> int | None:
    """Four digits as they are; two digits in the latest century not after today."""
    digits = raw.lstrip("'")
    if len(digits) == 4:
        return int(digits)
    if len(digits) != 2:
        return None
    year = 2000 + int(digits)
    return year if year <= today.year else year - 100


def _plausible(found: date | None, today: date) -> bool:
    return found is not None and found.year >= 1900 and found <= today


def _birth_triple(a: str, b: str, c: str, order: Order | None, today: date) -> list[date]:
    """Numbers a/b/c with the year first or last, day and month in the region's order."""
    values = [int(a), int(b), int(c)]
    if len(a) == 4 or (len(c) <= 2 and (values[0] > 31 or order is Order.YMD) and values[2] <= 31):
        year = _birth_year(a, today)
        pairs = _pair_readings(values[1], values[2], Order.MDY)
    else:
        year = _birth_year(c, today)
        pairs = _pair_readings(values[0], values[1], order)
    if year is None:
        return []
    return [d for m, day in pairs if _plausible(d := _make(year, m, day), today) and d]


def parse_birth_dates(
    message: Prepared, *, today: date, region: str | None = None
) -> tuple[date, ...]:
    """Every plausible reading of a birth date, the region's first; () when none.

    Two readings mean the bot should ask which one; that is never a failed
    verification attempt.
    """
    clean = message.digits
    if not clean:
        return ()
    order = region_order(region)
    if match := re.search(r"民国\s*(\d{1,3})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})", clean):
        found = _make(int(match[1]) + _ROC_OFFSET, int(match[2]), int(match[3]))
        return (found,) if found and _plausible(found, today) else ()
    if match := re.search(r"(?<!\d)(\d{2}|\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})", clean):
        years = [_birth_year(match[1], today)]
        if len(match[1]) == 2 and (region or "").upper() == "TW":
            # In Taiwan 79年 is usually Minguo 79 (1990), but may be 1979: ask.
            years.insert(0, int(match[1]) + _ROC_OFFSET)
        readings = [_make(y, int(match[2]), int(match[3])) for y in years if y]
        return tuple(dict.fromkeys(d for d in readings if d and _plausible(d, today)))
    if match := re.search(
        r"(?<!\d)(\d{1,4})\s*[-/.\s]\s*(\d{1,2})\s*[-/.\s]\s*(\d{1,4})(?!\d)", clean
    ):
        return tuple(dict.fromkeys(_birth_triple(match[1], match[2], match[3], order, today)))
    # The day ends where its digits do: "january 1995" is no 19th of '95.
    if match := re.search(rf"\b{_MONTH}\s*{_BIRTH_DAY},?\s*{_YEAR}(?!\d)", clean):
        year = _birth_year(match[3], today)
        found = _make(year, _MONTH_NAMES[match[1]], int(match[2])) if year else None
        return (found,) if found and _plausible(found, today) else ()
    if match := re.search(rf"\b{_BIRTH_DAY}\s*(?:of\s+)?{_MONTH},?\s*{_YEAR}(?!\d)", clean):
        year = _birth_year(match[3], today)
        found = _make(year, _MONTH_NAMES[match[2]], int(match[1])) if year else None
        return (found,) if found and _plausible(found, today) else ()
    if match := re.search(r"(?<!\d)((?:19|20)\d{2})(\d{2})(\d{2})(?!\d)", clean):
        found = _make(int(match[1]), int(match[2]), int(match[3]))
        return (found,) if found and _plausible(found, today) else ()
    return ()
