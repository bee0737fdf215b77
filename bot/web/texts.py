"""The console's own language, chosen per person: a gettext domain of its own
(`locales/<locale>/LC_MESSAGES/console.po`), extracted from the templates, and
amounts and dates formatted for the person reading them."""

from __future__ import annotations

from datetime import date, datetime, time, tzinfo
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_datetime, format_time, get_datetime_format
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

from bot.i18n.render import format_money, formatting_locale

DOMAIN = "console"
LOCALES = ("en", "zh_Hans", "zh_Hant")
LANGUAGE_NAMES = {"en": "English", "zh_Hans": "简体中文", "zh_Hant": "繁體中文"}


@lru_cache(maxsize=8)
def translations(locales_dir: Path, locale: str) -> NullTranslations:
    """The console catalog for a locale; English (the source texts) when it has none."""
    found = Translations.load(str(locales_dir), [locale], domain=DOMAIN)
    return found if isinstance(found, Translations) else NullTranslations()


class Formats:
    """Amounts and times as the person reading them writes them."""

    def __init__(self, locale: str) -> None:
        self._babel = formatting_locale(locale if locale in LOCALES else "en", None)
        self._name = str(self._babel)  # the caches' key: a Locale hashes slowly

    def money(self, amount: Decimal | str | None, currency: str) -> str:
        """An amount in the account's currency (a plan's installments keep theirs as text)."""
        if amount is None or not currency:
            return ""
        return _money(self._name, Decimal(amount), currency)

    def number(self, value: int) -> str:
        return format_decimal(value, locale=self._babel)

    def day(self, value: date | str | None) -> str:
        """A date (or an ISO date as a plan's installments keep it)."""
        if isinstance(value, str):
            value = date.fromisoformat(value)
        return "" if value is None else format_date(value, "medium", locale=self._babel)

    def moment(self, value: datetime | None) -> str:
        """Date and time, short, as babel's format_datetime(value, "short") writes them,
        built from a date part kept per day and a time part kept per minute: a
        conversation of 500 lines spends its time on a handful of days and minutes
        instead of 500 pattern walks (half of the page's rendering before)."""
        if value is None:
            return ""
        return (
            _short_datetime_pattern(self._name)
            .replace("{0}", _short_time(self._name, value.hour, value.minute, value.tzinfo))
            .replace("{1}", _short_date(self._name, value.date()))
        )

    def time(self, value: datetime | None) -> str:
        return "" if value is None else format_datetime(value, "HH:mm", locale=self._babel)


@lru_cache(maxsize=8192)
def _money(locale: str, amount: Decimal, currency: str) -> str:
    """Kept per amount: the queue's rows are drawn again on every live change, and
    babel's currency formatting was a fifth of the queue page's time."""
    return format_money(amount, currency, Locale.parse(locale), None)


@lru_cache(maxsize=16)
def _short_datetime_pattern(locale: str) -> str:
    """How the locale joins a short time ({0}) and a short date ({1}), as babel reads it."""
    return str(get_datetime_format("short", locale=locale)).replace("'", "")


@lru_cache(maxsize=4096)
def _short_time(locale: str, hour: int, minute: int, zone: tzinfo | None) -> str:
    """A short time: its patterns (h:mm a, HH:mm, Bh:mm) read the hour and minute alone."""
    return format_time(time(hour, minute, tzinfo=zone), "short", locale=locale)


@lru_cache(maxsize=1024)
def _short_date(locale: str, day: date) -> str:
    return format_date(day, "short", locale=locale)


def waited(minutes: int) -> str:
    """A duration as the queue shows it: 45m, 3h05, 2d4h (the same in every language)."""
    if minutes < 60:
        return f"{minutes}m"
    hours, rest = divmod(minutes, 60)
    if hours < 24:
        return f"{hours}h{rest:02d}"
    days, hours = divmod(hours, 24)
    return f"{days}d{hours}h"
