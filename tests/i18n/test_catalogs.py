"""The committed catalogs are complete, current and written in the right script.

A changed or new text in a script (or in bot/i18n/messages.py) fails here until
`python -m bot.i18n.build extract` and `... update` are run and the new entries
translated; an untranslated, fuzzy or placeholder-breaking entry fails too.
"""

from __future__ import annotations

import re
from pathlib import Path
from string import Formatter

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from bot.domain.accounts import REGIONAL_LOCALES
from bot.i18n.build import extract

from .conftest import LOCALES_DIR, ROOT

CHINESE = ("zh_Hans", "zh_Hant")
# Regional catalogs hold only what their region writes differently; the rest is left
# empty and taken from the base catalog (zh_Hant_HK falls back to zh_Hant).
REGIONAL = tuple(REGIONAL_LOCALES)

# Common characters that exist only in Simplified, and their Traditional forms.
SIMPLIFIED_ONLY = set(
    "们说还个费时这请应过为与务账号码户项额经问题让给对没关联单谢欢选择语认证议护隐据录难处贷机构链钱"
    "发动网电话输击显帮现"
)
TRADITIONAL_ONLY = set(
    "們說還個費時這請應過為與務帳賬號碼戶項額經問題讓給對沒關聯單謝歡選擇語認證議護隱據錄難處貸機構"
    "鏈錢發動網電話輸擊顯幫現"
)
COMMAND = re.compile(r"/[a-z]+\b")


def _read(path: Path) -> Catalog:
    with path.open("rb") as fileobj:
        return read_po(fileobj)


def _catalog(locale: str) -> Catalog:
    return _read(LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po")


def _entries(catalog: Catalog) -> list[Message]:
    return [m for m in catalog if m.id]


def _ids(message: Message) -> tuple[str, ...]:
    return tuple(message.id) if isinstance(message.id, tuple | list) else (message.id,)


def _strings(message: Message) -> tuple[str, ...]:
    if isinstance(message.string, tuple | list):
        return tuple(message.string)
    return (message.string or "",)


def _keys(catalog: Catalog) -> set[tuple[str | None, tuple[str, ...]]]:
    return {(m.context, _ids(m)) for m in _entries(catalog)}


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name}


def test_template_is_up_to_date_with_scripts_and_code(tmp_path: Path) -> None:
    fresh = extract(ROOT, tmp_path / "messages.pot")
    assert _keys(_read(fresh)) == _keys(_read(LOCALES_DIR / "messages.pot"))


@pytest.mark.parametrize("locale", ["en", *CHINESE, *REGIONAL])
def test_catalog_matches_the_template(locale: str) -> None:
    assert _keys(_catalog(locale)) == _keys(_read(LOCALES_DIR / "messages.pot"))


@pytest.mark.parametrize("locale", CHINESE)
def test_every_entry_is_translated_and_reviewed(locale: str) -> None:
    catalog = _catalog(locale)
    assert catalog.num_plurals == 1
    for message in _entries(catalog):
        assert not message.fuzzy, message.context
        strings = _strings(message)
        assert len(strings) == 1 and strings[0].strip(), message.context


@pytest.mark.parametrize("locale", REGIONAL)
def test_regional_entries_are_reviewed_and_only_some_filled(locale: str) -> None:
    entries = _entries(_catalog(locale))
    filled = [m for m in entries if any(s.strip() for s in _strings(m))]
    assert not [m.context for m in entries if m.fuzzy]
    assert filled and len(filled) < len(entries)


@pytest.mark.parametrize("locale", [*CHINESE, *REGIONAL])
def test_translations_keep_placeholders_and_commands(locale: str) -> None:
    for message in _entries(_catalog(locale)):
        wanted = set().union(*(_placeholders(text) for text in _ids(message)))
        commands = set(COMMAND.findall(_ids(message)[0]))
        for text in _strings(message):
            if not text and locale in REGIONAL:
                continue  # left to the base catalog
            assert _placeholders(text) == wanted, message.context
            assert set(COMMAND.findall(text)) == commands, message.context


def test_english_catalog_adds_nothing() -> None:
    for message in _entries(_catalog("en")):
        assert all(s in ("", *_ids(message)) for s in _strings(message)), message.context


@pytest.mark.parametrize(
    ("locale", "foreign"),
    [
        ("zh_Hant", SIMPLIFIED_ONLY),
        ("zh_Hant_HK", SIMPLIFIED_ONLY),
        ("zh_Hans", TRADITIONAL_ONLY),
    ],
)
def test_chinese_catalogs_use_their_own_script(locale: str, foreign: set[str]) -> None:
    for message in _entries(_catalog(locale)):
        for text in _strings(message):
            if text in _ids(message):
                continue  # kept as written, e.g. a language's own name "简体中文"
            assert not foreign.intersection(text), (message.context, text)


def test_character_lists_are_disjoint_and_full() -> None:
    assert len(SIMPLIFIED_ONLY) >= 40
    assert len(TRADITIONAL_ONLY) >= 40
    assert not SIMPLIFIED_ONLY & TRADITIONAL_ONLY
