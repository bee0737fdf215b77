"""The borrower's quiet windows in plain words (R4): "on weekdays before 18:00 or on
weekends", "工作日18:00前或周末全天".

Each window is one phrase from the catalogs (`quiet.*` in bot/i18n/messages.py:
the days, then the span), the phrases joined as the locale joins alternatives
("or", "或"). Times are written as the borrower's market writes them (Babel:
"6:00 PM" in the US, "18:00" in Britain).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import time

from babel import Locale
from babel.dates import format_time, get_day_names
from babel.lists import format_list

from bot.domain.quiet_windows import EVERY_DAY, WEEKDAYS, QuietWindow

WEEKEND = frozenset({5, 6})
_MIDNIGHT = time(0, 0)


# A code text's id and its parameters (already formatted), to its text in the locale.
Say = Callable[[str, Mapping[str, str]], str]


def describe(windows: tuple[QuietWindow, ...], locale: Locale, say: Say) -> str:
    """Every window as one phrase, joined with the locale's "or"."""
    phrases = [_phrase(window, locale, say) for window in windows]
    if not phrases:
        return ""
    return format_list(phrases, style="or", locale=locale)


def _phrase(window: QuietWindow, locale: Locale, say: Say) -> str:
    days = _days(window.days, locale, say)
    start, end = window.start, window.end
    if start == end:
        return say("quiet.all_day", {"days": days})
    if start == _MIDNIGHT:
        return say("quiet.before", {"days": days, "end": _clock(end, locale)})
    if end == _MIDNIGHT:
        return say("quiet.after", {"days": days, "start": _clock(start, locale)})
    return say(
        "quiet.between",
        {"days": days, "start": _clock(start, locale), "end": _clock(end, locale)},
    )


def _days(days: frozenset[int], locale: Locale, say: Say) -> str:
    if days == WEEKDAYS:
        return say("quiet.weekdays", {})
    if days == WEEKEND:
        return say("quiet.weekends", {})
    if days >= EVERY_DAY:
        return say("quiet.every_day", {})
    names = get_day_names("wide", locale=locale)
    listed = format_list([str(names[day]) for day in sorted(days)], locale=locale)
    return say("quiet.days", {"days": listed})


def _clock(moment: time, locale: Locale) -> str:
    return str(format_time(moment, "short", locale=locale))
