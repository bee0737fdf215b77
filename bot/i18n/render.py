"""Turn the engine's replies (message ids and parameters) into text in a locale.

The engine never produces finished text, so that one step can be shown in
English, Simplified or Traditional Chinese, and so that a translation fix
needs no change to a script. Rendering happens here, once per outgoing
message: look the text up by message id, translate it with the compiled
gettext catalog (msgctxt = message id), format each parameter with Babel's
rules for the locale (money in the account's currency, dates, numbers), and
fill the placeholders.

Money and dates are written as the account's market writes them: the language
comes from the conversation, the country from the account (`region_of`), so an
English GBP account in London reads "7 Dec 2026" and a US one "Dec 7, 2026".
A bare "$" is kept only for US dollars in the US: Taiwan dollars show as NT$,
Hong Kong dollars as HK$, wherever the borrower reads them. Traditional Chinese
is Taiwan usage, with a Hong Kong catalog (falling back to it) for accounts in
Hong Kong and Macau.

Channels that show formatting (Telegram) get an HTML variant of the same text:
every literal and every value escaped, amounts in bold. A borrower's name with
`<` or `&` is text, never markup.

Rendering never fails on a borrower: a missing parameter or a broken
translation leaves the placeholder visible (or falls back to English) and
logs the message id only, never a value (R18).
"""

from __future__ import annotations

import html
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_time, get_datetime_format
from babel.numbers import format_currency, format_decimal, get_currency_symbol
from babel.support import NullTranslations, Translations

from bot.domain.accounts import CATALOG_LOCALES, REGIONAL_LOCALES, catalog_locale
from bot.engine.script import Message
from bot.engine.types import MessageRef, MoneyValue, Param, Part, QuietTimes, Reply
from bot.i18n.messages import CODE_MESSAGES
from bot.i18n.quiet import describe as describe_quiet

log = logging.getLogger(__name__)

DOMAIN = "messages"
DEFAULT_LOCALE = "en"

_HANT_REGIONS = frozenset({"hant", "tw", "hk", "mo"})

# Dollar currencies written so nobody can take them for another: Babel gives a bare
# "$" for TWD in Traditional Chinese, SGD in Singapore, AUD in Australia.
_DOLLAR_SYMBOLS = {
    "USD": "US$",
    "TWD": "NT$",
    "HKD": "HK$",
    "SGD": "S$",
    "AUD": "A$",
    "MOP": "MOP$",
    "CAD": "CA$",
    "NZD": "NZ$",
}


# Currencies whose amounts are written in whole units when they have no cents.
_WHOLE_UNIT_CURRENCIES = frozenset({"TWD"})


def _whole(text: str) -> str:
    """Drop a ".00" (or ",00") Babel wrote for a whole amount."""
    for zeros in (".00", ",00"):
        if zeros in text:
            return text.replace(zeros, "", 1)
    return text


@lru_cache(maxsize=64)
def formatting_locale(locale: str, region: str | None) -> Locale:
    """Babel's locale for a language in a country: en + GB is en_GB, zh_Hant + TW is
    zh_Hant_TW; a pair CLDR does not know (en + TW) is the language alone."""
    base = REGIONAL_LOCALES.get(locale, locale)
    if region:
        try:
            return Locale.parse(f"{base}_{region}")
        except (UnknownLocaleError, ValueError):
            pass
    return Locale.parse(base)


def format_money(amount: Decimal, currency: str, locale: Locale, region: str | None) -> str:
    """An amount as the locale writes it, never with a "$" that could be another dollar.

    Currencies paid in whole units (Taiwan dollars) show no decimals when the amount
    has none: NT$45,000, as Taiwan's banks write it, not NT$45,000.00."""
    if currency in _WHOLE_UNIT_CURRENCIES and amount == amount.to_integral_value():
        text = format_currency(amount, currency, locale=locale, currency_digits=False)
        text = _whole(text)
    else:
        text = format_currency(amount, currency, locale=locale)
    if get_currency_symbol(currency, locale) == "$" and not (
        currency == "USD" and region in (None, "US")
    ):
        text = text.replace("$", _DOLLAR_SYMBOLS.get(currency, f"{currency}\u00a0"), 1)
    return text


def locale_for_telegram(language_code: str | None) -> str:
    """Our locale for Telegram's `language_code` (an IETF tag the client reports).

    Traditional Chinese is chosen by script (zh-Hant) or by the regions where it
    is written (Taiwan, Hong Kong, Macau); any other Chinese gets Simplified;
    everything else, and no code at all, gets English.
    """
    if not language_code:
        return DEFAULT_LOCALE
    subtags = language_code.strip().lower().replace("_", "-").split("-")
    if subtags[0] != "zh":
        return DEFAULT_LOCALE
    if "hans" in subtags:
        return "zh_Hans"
    if _HANT_REGIONS.intersection(subtags[1:]):
        return "zh_Hant"
    return "zh_Hans"


@dataclass(frozen=True)
class RenderedMessage:
    """One chat message ready for a channel: text, then (choice id, label) pairs."""

    text: str
    choices: tuple[tuple[str, str], ...] = ()


def _escape(text: str) -> str:
    """Telegram's HTML needs only <, > and & escaped; quotes stay readable."""
    return html.escape(text, quote=False)


class _Placeholders(dict[str, str]):
    """Format values; a name nobody supplied stays visible as "{name}"."""

    def __init__(self, values: Mapping[str, str], message_id: str) -> None:
        super().__init__(values)
        self.message_id = message_id

    def __missing__(self, key: str) -> str:
        log.warning("message %s: no value for placeholder %r", self.message_id, key)
        return "{" + key + "}"


class Translator:
    """Compiled catalogs for every locale, and the rendering that uses them.

    Catalogs are loaded once (at start-up, after `compile_catalogs`), so a
    missing catalog is reported then rather than discovered by a borrower.
    An unknown locale falls back to English.
    """

    def __init__(
        self,
        locales_dir: Path | str,
        locales: tuple[str, ...] = CATALOG_LOCALES,
        defaults: Mapping[str, Param] | None = None,
        localized: Mapping[str, Mapping[str, str]] | None = None,
    ) -> None:
        self.locales_dir = Path(locales_dir)
        # Values every text may use without the caller passing them: {lender}
        # names the lender in channel texts said outside a dialog (R6). `localized`
        # overrides one per language ({"lender": {"zh_Hans": "海港消费金融"}}).
        self._defaults: dict[str, Param] = dict(defaults or {})
        self._localized = {name: dict(by) for name, by in (localized or {}).items()}
        self._catalogs: dict[str, NullTranslations] = {}
        for locale in locales:
            translations = Translations.load(str(self.locales_dir), [locale], domain=DOMAIN)
            if not isinstance(translations, Translations) and locale != DEFAULT_LOCALE:
                # English needs no catalog (the msgids are English); others do.
                log.error("no compiled catalog for locale %s in %s", locale, self.locales_dir)
            base = self._catalogs.get(REGIONAL_LOCALES.get(locale, ""))
            if base is not None:
                # A regional catalog holds only what the region writes differently.
                translations.add_fallback(base)
            self._catalogs[locale] = translations

    # ---- public ----

    def render(
        self,
        reply: Reply,
        locale: str,
        table: Mapping[str, Message],
        *,
        region: str | None = None,
    ) -> RenderedMessage:
        """A reply's paragraphs joined by newlines, and its choices' labels.

        `region` is the account's country (ISO 3166), None when not known.
        """
        text = "\n".join(
            self.render_part(part, locale, table, region=region) for part in reply.parts
        )
        choices = tuple(
            (choice.choice_id, self.render_part(choice.label, locale, table, region=region))
            for choice in reply.choices
        )
        return RenderedMessage(text, choices)

    def render_html(
        self,
        reply: Reply,
        locale: str,
        table: Mapping[str, Message],
        *,
        region: str | None = None,
    ) -> str:
        """The reply's text as Telegram's HTML: everything escaped, amounts in bold."""
        return "\n".join(
            self.render_part(part, locale, table, html=True, region=region) for part in reply.parts
        )

    def render_part(
        self,
        part: Part,
        locale: str,
        table: Mapping[str, Message],
        *,
        html: bool = False,
        region: str | None = None,
    ) -> str:
        """One paragraph: translate its text, then fill in its formatted parameters."""
        locale = self._known(catalog_locale(locale, region))
        message = self._message(part.message_id, table)
        if message is None:
            log.warning("message %s: unknown message id", part.message_id)
            return part.message_id
        english, translated = self._translate(part.message_id, message, part.params, locale)
        params = {**self._defaults, **self._localized_defaults(locale), **part.params}
        values = {
            name: self.format_param(value, locale, table, html=html, region=region)
            for name, value in params.items()
        }
        placeholders = _Placeholders(values, part.message_id)
        for text in (translated, english):
            try:
                return (_escape(text) if html else text).format_map(placeholders)
            except (ValueError, KeyError, AttributeError, IndexError, TypeError):
                log.warning("message %s: cannot fill placeholders in %s", part.message_id, locale)
        return _escape(english) if html else english

    def text(self, message_id: str, locale: str, **params: Param) -> str:
        """A code text (channel.*, command.*, charge_kind.*) for the adapters."""
        return self.render_part(Part(message_id, dict(params)), locale, {})

    def format_param(
        self,
        value: Param,
        locale: str,
        table: Mapping[str, Message],
        *,
        html: bool = False,
        region: str | None = None,
    ) -> str:
        """One parameter as the locale writes it (escaped, amounts in bold, for HTML)."""
        if isinstance(value, MessageRef):
            return self.render_part(
                Part(value.message_id, dict(value.params)), locale, table, html=html, region=region
            )
        text = self._format_plain(value, locale, table, region)
        if not html:
            return text
        if isinstance(value, MoneyValue):
            return f"<b>{_escape(text)}</b>"
        return _escape(text)

    def _format_plain(
        self, value: Param, locale: str, table: Mapping[str, Message], region: str | None
    ) -> str:
        babel_locale = formatting_locale(self._known(locale), region)
        if isinstance(value, MoneyValue):
            return format_money(value.amount, value.currency, babel_locale, region)
        if isinstance(value, MessageRef):
            return self.render_part(
                Part(value.message_id, dict(value.params)), locale, table, region=region
            )
        if isinstance(value, QuietTimes):
            return describe_quiet(
                value.windows,
                babel_locale,
                lambda key, params: self.render_part(Part(key, params), locale, table),
            )
        if isinstance(value, datetime):
            when = format_date(value, "medium", locale=babel_locale)
            clock = format_time(value, "short", locale=babel_locale)
            pattern = get_datetime_format("medium", locale=babel_locale)
            return str(pattern).replace("'", "").replace("{0}", clock).replace("{1}", when)
        if isinstance(value, date):
            return format_date(value, "medium", locale=babel_locale)
        if isinstance(value, bool):
            return str(value)
        if isinstance(value, int | Decimal):
            return format_decimal(value, locale=babel_locale)
        if isinstance(value, tuple):
            return "\n".join(str(item) for item in value)
        return str(value)

    # ---- internals ----

    def _localized_defaults(self, locale: str) -> dict[str, Param]:
        """The defaults said per language, for a catalog (a regional one reads its base's)."""
        found: dict[str, Param] = {}
        for name, by_locale in self._localized.items():
            value = by_locale.get(locale) or by_locale.get(REGIONAL_LOCALES.get(locale, ""))
            if value:
                found[name] = value
        return found

    def _known(self, locale: str) -> str:
        if locale in self._catalogs:
            return locale
        log.warning("unknown locale %r, using %s", locale, DEFAULT_LOCALE)
        return DEFAULT_LOCALE

    @staticmethod
    def _message(message_id: str, table: Mapping[str, Message]) -> Message | None:
        message = table.get(message_id)
        if message is not None:
            return message
        english = CODE_MESSAGES.get(message_id)
        if english is not None:
            return Message(id=message_id, text=english)
        return None

    def _translate(
        self, message_id: str, message: Message, params: Mapping[str, Any], locale: str
    ) -> tuple[str, str]:
        """(English text, translated text); both in the form the count asks for."""
        catalog = self._catalogs[locale]
        if message.plural is None or message.count is None:
            lookup = catalog.pgettext
            return message.text, str(lookup(message_id, message.text))
        count = params.get(message.count)
        if isinstance(count, bool) or not isinstance(count, int | Decimal):
            log.warning("message %s: plural count %r missing", message_id, message.count)
            count = 1
        number = int(count)
        english = message.text if number == 1 else message.plural
        plural_lookup = catalog.npgettext
        return english, str(plural_lookup(message_id, message.text, message.plural, number))
