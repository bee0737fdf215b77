"""Local conventions (issue 7 point 9): money and dates as each market writes them,
Traditional Chinese to one standard (Taiwan by default, Hong Kong for accounts there),
and an example birth date that is nobody's."""

from __future__ import annotations

import csv
import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.domain.accounts import CATALOG_LOCALES, REGIONAL_LOCALES, catalog_locale
from bot.domain.regions import region_of
from bot.engine.script import Message
from bot.engine.types import MoneyValue, Part
from bot.i18n.messages import CODE_MESSAGES
from bot.i18n.render import Translator, format_money, formatting_locale

from .conftest import LOCALES_DIR, ROOT

DAY = date(2026, 12, 7)


# ---- money and dates per market, in the three locales ----


@pytest.mark.rule("R7")
@pytest.mark.parametrize(
    ("locale", "region", "currency", "money", "day"),
    [
        ("en", "US", "USD", "$1,234.50", "Dec 7, 2026"),
        ("en", None, "USD", "$1,234.50", "Dec 7, 2026"),
        ("en", "GB", "GBP", "£1,234.50", "7 Dec 2026"),
        ("en", "IE", "EUR", "€1,234.50", "7 Dec 2026"),
        ("en", "HK", "HKD", "HK$1,234.50", "7 Dec 2026"),
        ("en", "TW", "TWD", "NT$1,234.50", "Dec 7, 2026"),
        ("en", "SG", "SGD", "S$1,234.50", "7 Dec 2026"),
        ("en", "AU", "AUD", "A$1,234.50", "7 Dec 2026"),
        ("en", "GB", "USD", "US$1,234.50", "7 Dec 2026"),
        ("zh_Hans", "CN", "CNY", "¥1,234.50", "2026年12月7日"),
        ("zh_Hans", "GB", "GBP", "£1,234.50", "2026年12月7日"),
        ("zh_Hans", "SG", "SGD", "S$1,234.50", "2026年12月7日"),
        ("zh_Hans", "TW", "TWD", "NT$1,234.50", "2026年12月7日"),
        ("zh_Hant", "TW", "TWD", "NT$1,234.50", "2026年12月7日"),
        ("zh_Hant", None, "TWD", "NT$1,234.50", "2026年12月7日"),
        ("zh_Hant", "HK", "HKD", "HK$1,234.50", "2026年12月7日"),
        ("zh_Hant", "MO", "MOP", "MOP$1,234.50", "2026年12月7日"),
        ("zh_Hant", "US", "USD", "US$1,234.50", "2026年12月7日"),
        ("zh_Hant_HK", "HK", "HKD", "HK$1,234.50", "2026年12月7日"),
    ],
)
def test_money_and_dates_as_the_market_writes_them(
    translator: Translator, locale: str, region: str | None, currency: str, money: str, day: str
) -> None:
    amount = MoneyValue(Decimal("1234.5"), currency)
    assert translator.format_param(amount, locale, {}, region=region) == money
    assert translator.format_param(DAY, locale, {}, region=region) == day


@pytest.mark.parametrize("locale", ["en", "zh_Hans", "zh_Hant"])
@pytest.mark.parametrize("region", [None, "US", "GB", "HK", "MO", "CN", "TW", "SG", "MY", "AU"])
@pytest.mark.parametrize("currency", ["USD", "TWD", "HKD", "SGD", "AUD", "MOP"])
def test_a_bare_dollar_sign_means_us_dollars_in_the_us_only(
    locale: str, region: str | None, currency: str
) -> None:
    text = format_money(Decimal("10"), currency, formatting_locale(locale, region), region)
    bare = re.search(r"(?<![A-Z])\$", text) is not None
    if bare:  # Babel's own "$" stays only where it can only mean US dollars
        assert currency == "USD" and region in (None, "US"), text
    # Taiwan dollars are written in whole units when there are no cents (NT$10).
    whole = "10" if currency == "TWD" else "10.00"
    assert text.endswith(whole) and len(text) > len(whole)


@pytest.mark.parametrize(
    ("locale", "region", "babel"),
    [
        ("en", "GB", "en_GB"),
        ("en", "US", "en_US"),
        ("en", "TW", "en"),  # CLDR has no English for Taiwan: the language alone
        ("en", None, "en"),
        ("zh_Hans", "CN", "zh_Hans_CN"),
        ("zh_Hant", "TW", "zh_Hant_TW"),
        ("zh_Hant", "HK", "zh_Hant_HK"),
        ("zh_Hant_HK", "HK", "zh_Hant_HK"),
        ("zh_Hant", "GB", "zh_Hant"),
    ],
)
def test_formatting_locale_is_language_and_country(
    locale: str, region: str | None, babel: str
) -> None:
    assert str(formatting_locale(locale, region)) == babel


def test_the_country_comes_from_the_account() -> None:
    assert region_of("Europe/London", "+447700900002") == "GB"
    assert region_of("UTC", "+886912345678") == "TW"
    assert region_of("Asia/Hong_Kong", "+85291230001") == "HK"


# ---- Traditional Chinese: Taiwan by default, Hong Kong for HK and Macau accounts ----


@pytest.mark.parametrize(
    ("locale", "region", "catalog"),
    [
        ("zh_Hant", "HK", "zh_Hant_HK"),
        ("zh_Hant", "MO", "zh_Hant_HK"),
        ("zh_Hant", "TW", "zh_Hant"),
        ("zh_Hant", None, "zh_Hant"),
        ("zh_Hant", "US", "zh_Hant"),
        ("zh_Hans", "HK", "zh_Hans"),  # Simplified is one catalog everywhere
        ("en", "HK", "en"),
    ],
)
def test_the_hong_kong_catalog_is_chosen_by_the_accounts_country(
    locale: str, region: str | None, catalog: str
) -> None:
    assert catalog_locale(locale, region) == catalog


# Words each standard writes its own way: (Taiwan, Hong Kong).
WORDING = [
    ("隱私", "私隱"),
    ("什麼", "甚麼"),
    ("帳戶", "戶口"),
    ("點選", "按"),
    ("智慧助理", "智能助理"),
]
TAIWAN_ONLY = ("隱私", "什麼", "帳戶", "點選", "智慧助理", "申訴", "計畫", "轉帳")
HONG_KONG_ONLY = ("私隱", "甚麼", "戶口", "智能助理", "投訴", "計劃", "轉賬", "結單")


def _render_all(translator: Translator, table: dict[str, Message], region: str) -> dict[str, str]:
    ids = [*table, *CODE_MESSAGES]
    texts = {}
    for message_id in ids:
        message = table.get(message_id)
        params = {name: "X" for name in (message.placeholders() if message else ())}
        texts[message_id] = translator.render_part(
            Part(message_id, dict(params)), "zh_Hant", table, region=region
        )
    return texts


def test_taiwan_and_hong_kong_each_write_their_own_words(
    translator: Translator, table: dict[str, Message]
) -> None:
    taiwan = _render_all(translator, table, "TW")
    hong_kong = _render_all(translator, table, "HK")
    for message_id, text in taiwan.items():
        assert not [w for w in HONG_KONG_ONLY if w in text], (message_id, text)
    for message_id, text in hong_kong.items():
        assert not [w for w in TAIWAN_ONLY if w in text], (message_id, text)
    joined_tw, joined_hk = "".join(taiwan.values()), "".join(hong_kong.values())
    for tw_word, hk_word in WORDING:
        assert tw_word in joined_tw and hk_word in joined_hk
    assert taiwan["repayment.verify.ask_birth_date"].startswith("為保障您的隱私")
    assert hong_kong["repayment.verify.ask_birth_date"].startswith("為保障您的私隱")


def test_the_hong_kong_catalog_falls_back_to_taiwan_text(
    translator: Translator, table: dict[str, Message]
) -> None:
    """An entry the HK catalog leaves out is the zh_Hant text, never English."""
    hong_kong = _render_all(translator, table, "HK")
    taiwan = _render_all(translator, table, "TW")
    assert hong_kong["repayment.menu.choice.plan"] == taiwan["repayment.menu.choice.plan"]
    assert hong_kong["repayment.menu.choice.plan"] == "分期還款"
    differing = [m for m in hong_kong if hong_kong[m] != taiwan[m]]
    assert 10 <= len(differing) < len(hong_kong)
    # The Hong Kong catalog holds only what Hong Kong writes differently: an entry
    # that repeats the Taiwan text would hide a later fix to it.
    own = _translations("zh_Hant_HK")
    base = _translations("zh_Hant")
    assert [key for key, text in own.items() if text == base.get(key)] == []
    for message_id, message in table.items():
        if message_id.startswith("repayment.language.choice."):
            continue
        assert hong_kong[message_id] != message.text, message_id


def _translations(locale: str) -> dict[str, str]:
    with (LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle)
    return {m.context: str(m.string) for m in catalog if m.context and m.string}


def test_every_regional_catalog_has_a_base_and_its_entries_are_reviewed() -> None:
    assert set(REGIONAL_LOCALES) <= set(CATALOG_LOCALES)
    for regional, base in REGIONAL_LOCALES.items():
        assert base in CATALOG_LOCALES
        with (LOCALES_DIR / regional / "LC_MESSAGES" / "messages.po").open("rb") as handle:
            catalog = read_po(handle)
        filled = [m for m in catalog if m.id and m.string]
        assert filled
        assert not [m.context for m in catalog if m.id and m.fuzzy]


# ---- the example birth date is nobody's ----

EXAMPLE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b|(\d{4})年(\d{1,2})月(\d{1,2})日")


def _birth_dates() -> set[date]:
    found: set[date] = set()
    for path in (ROOT / "data" / "demo_accounts.csv", ROOT / "tests" / "fixtures" / "accounts.csv"):
        with path.open(encoding="utf-8") as handle:
            found |= {date.fromisoformat(row["birth_date"]) for row in csv.DictReader(handle)}
    for line in (ROOT / "data" / "demo_accounts.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            found.add(date.fromisoformat(json.loads(line)["birth_date"]))
    return found


def _examples(text: str) -> set[date]:
    dates = set()
    for match in EXAMPLE.finditer(text):
        year, month, day = (int(g) for g in match.groups() if g is not None)
        dates.add(date(year, month, day))
    return dates


@pytest.mark.parametrize("locale", ["en", "zh_Hans", "zh_Hant", "zh_Hant_HK"])
@pytest.mark.parametrize("message_id", ["repayment.verify.ask_birth_date", "repayment.bad_date"])
def test_the_example_birth_date_is_no_borrowers(
    translator: Translator, table: dict[str, Message], locale: str, message_id: str
) -> None:
    borrowers = _birth_dates()
    assert date(1990, 5, 17) in borrowers and len(borrowers) >= 7
    text = translator.render_part(Part(message_id), locale, table)
    examples = _examples(text)
    assert examples, text
    assert not examples & borrowers, text
    # Day 31 can't be read as a month: the example reads one way in every country.
    assert all(d.day > 12 for d in examples)


def test_the_demo_readme_lists_no_example_as_a_birth_date() -> None:
    readme = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    assert "1980-01-31" not in readme
    assert "1980-01-31" in (ROOT / "dialogs" / "repayment.yaml").read_text(encoding="utf-8")


def test_catalog_locales_on_disk() -> None:
    on_disk = {p.parent.parent.name for p in Path(LOCALES_DIR).glob("*/LC_MESSAGES/messages.po")}
    assert on_disk == set(CATALOG_LOCALES)


def test_a_plural_text_the_hong_kong_catalog_leaves_out_comes_from_zh_hant(
    translator: Translator, table: dict[str, Message]
) -> None:
    """An empty plural entry must not shadow the base catalog (write_mo keeps them)."""
    part = Part("repayment.extension.option", {"new_due_date": DAY, "days": 4})
    hong_kong = translator.render_part(part, "zh_Hant", table, region="HK")
    assert hong_kong == translator.render_part(part, "zh_Hant", table, region="TW")
    assert hong_kong == "2026年12月7日（延長 4 天）"
