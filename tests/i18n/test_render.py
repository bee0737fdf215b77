"""Rendering replies per locale: translation by id, Babel formatting, safe fallbacks."""

from __future__ import annotations

import logging
import os
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from bot.engine.script import Message
from bot.engine.types import Choice, MessageRef, MoneyValue, Param, Part, Reply
from bot.i18n.build import compile_catalogs
from bot.i18n.messages import CODE_MESSAGES, COMMANDS
from bot.i18n.render import Translator, locale_for_telegram

TABLE = {
    "t.header": Message(id="header", text="Your statement as of {computed_on}:"),
    "t.line": Message(id="line", text="• {kind}: {description} – {amount}"),
    "t.due": Message(
        id="due",
        text="Due: {due_date} ({days} day late)",
        plural="Due: {due_date} ({days} days late)",
        count="days",
    ),
    "t.contacts": Message(id="contacts", text="Call:\n{contacts}"),
    "t.broken": Message(id="broken", text="Pay {amount}"),
    "t.plan": Message(id="plan", text="Pay in installments"),
}

TRANSLATED = {
    "zh_Hans": {
        "t.header": "截至 {computed_on} 的账单：",
        "t.line": "• {kind}：{description} – {amount}",
        "t.due": "到期日：{due_date}（已逾期 {days} 天）",
        "t.contacts": "请拨打：\n{contacts}",
        "t.broken": "还款 {amount",  # a translator's typo: must fall back to English
        "t.plan": "分期还款",
        "charge_kind.late_fee": "逾期费",
    },
    "zh_Hant": {
        "t.header": "截至 {computed_on} 的帳單：",
        "t.line": "• {kind}：{description} – {amount}",
        "t.due": "到期日：{due_date}（已逾期 {days} 天）",
        "t.contacts": "請撥打：\n{contacts}",
        "t.broken": "還款 {amount}",
        "t.plan": "分期付款",
        "charge_kind.late_fee": "逾期費",
    },
}


def _write_catalog(locales: Path, locale: str, texts: dict[str, str]) -> None:
    catalog = Catalog(locale=locale)
    for message_id, translated in texts.items():
        if message_id in TABLE:
            message = TABLE[message_id]
            if message.plural is not None:
                catalog.add((message.text, message.plural), (translated,), context=message_id)
                continue
            english = message.text
        else:
            english = CODE_MESSAGES[message_id]
        catalog.add(english, translated, context=message_id)
    target = locales / locale / "LC_MESSAGES"
    target.mkdir(parents=True)
    with (target / "messages.po").open("wb") as fileobj:
        write_po(fileobj, catalog)


@pytest.fixture
def test_translator(tmp_path: Path) -> Translator:
    for locale, texts in TRANSLATED.items():
        _write_catalog(tmp_path, locale, texts)
    compile_catalogs(tmp_path)
    return Translator(tmp_path)


def _reply(days: int) -> Reply:
    parts = (
        Part("t.header", {"computed_on": date(2026, 12, 5)}),
        Part(
            "t.line",
            {
                "kind": MessageRef("charge_kind.late_fee"),
                "description": "Card 1234",
                "amount": MoneyValue(Decimal("1234.5"), "USD"),
            },
        ),
        Part("t.due", {"due_date": date(2026, 11, 30), "days": days}),
        Part("t.contacts", {"contacts": ("Line A 123", "Line B 456")}),
    )
    return Reply(parts, (Choice("plan", Part("t.plan")),))


@pytest.mark.parametrize(
    ("locale", "days", "text", "label"),
    [
        (
            "en",
            5,
            "Your statement as of Dec 5, 2026:\n• Late fee: Card 1234 – $1,234.50\n"
            "Due: Nov 30, 2026 (5 days late)\nCall:\nLine A 123\nLine B 456",
            "Pay in installments",
        ),
        (
            "en",
            1,
            "Your statement as of Dec 5, 2026:\n• Late fee: Card 1234 – $1,234.50\n"
            "Due: Nov 30, 2026 (1 day late)\nCall:\nLine A 123\nLine B 456",
            "Pay in installments",
        ),
        (
            "zh_Hans",
            5,
            "截至 2026年12月5日 的账单：\n• 逾期费：Card 1234 – US$1,234.50\n"
            "到期日：2026年11月30日（已逾期 5 天）\n请拨打：\nLine A 123\nLine B 456",
            "分期还款",
        ),
        (
            "zh_Hant",
            1,
            "截至 2026年12月5日 的帳單：\n• 逾期費：Card 1234 – US$1,234.50\n"
            "到期日：2026年11月30日（已逾期 1 天）\n請撥打：\nLine A 123\nLine B 456",
            "分期付款",
        ),
    ],
)
def test_reply_renders_per_locale(
    test_translator: Translator, locale: str, days: int, text: str, label: str
) -> None:
    rendered = test_translator.render(_reply(days), locale, TABLE)
    assert rendered.text == text
    assert rendered.choices == (("plan", label),)


@pytest.mark.rule("R7")
@pytest.mark.parametrize(
    ("locale", "amount", "currency", "expected"),
    [
        ("en", "1234.5", "USD", "$1,234.50"),
        ("en", "1234.6", "JPY", "¥1,235"),  # rounded to the currency's minor unit
        ("zh_Hans", "1234.5", "CNY", "¥1,234.50"),
        ("zh_Hans", "1234.5", "USD", "US$1,234.50"),
        ("zh_Hant", "1234.5", "HKD", "HK$1,234.50"),
        ("zh_Hant", "1234.5", "TWD", "NT$1,234.50"),  # never a bare "$" (Babel gives one)
        ("zh_Hant", "1234.5", "CNY", "CN¥1,234.50"),
    ],
)
def test_money_is_formatted_by_babel(
    test_translator: Translator, locale: str, amount: str, currency: str, expected: str
) -> None:
    value = MoneyValue(Decimal(amount), currency)
    assert test_translator.format_param(value, locale, TABLE) == expected


@pytest.mark.parametrize(
    ("value", "en", "zh"),
    [
        (date(2026, 12, 5), "Dec 5, 2026", "2026年12月5日"),
        (1234, "1,234", "1,234"),
        (Decimal("1234.5"), "1,234.5", "1,234.5"),
        ("plain", "plain", "plain"),
        (
            datetime(2026, 12, 5, 15, 4, tzinfo=timezone(timedelta(hours=8))),
            "Dec 5, 2026, 3:04\u202fPM",
            "2026年12月5日 15:04",
        ),
    ],
)
def test_other_params_are_formatted_per_locale(
    test_translator: Translator, value: Param, en: str, zh: str
) -> None:
    assert test_translator.format_param(value, "en", TABLE) == en
    assert test_translator.format_param(value, "zh_Hans", TABLE) == zh


@pytest.mark.rule("R18")
def test_missing_param_stays_visible_and_logs_the_id_only(
    test_translator: Translator, caplog: pytest.LogCaptureFixture
) -> None:
    part = Part("t.line", {"kind": MessageRef("charge_kind.late_fee"), "description": "SECRET"})
    with caplog.at_level(logging.WARNING, logger="bot.i18n.render"):
        text = test_translator.render_part(part, "en", TABLE)
    assert text == "• Late fee: SECRET – {amount}"
    assert "t.line" in caplog.text
    assert "SECRET" not in caplog.text


def test_broken_translation_falls_back_to_english(
    test_translator: Translator, caplog: pytest.LogCaptureFixture
) -> None:
    part = Part("t.broken", {"amount": MoneyValue(Decimal("5"), "CNY")})
    with caplog.at_level(logging.WARNING, logger="bot.i18n.render"):
        assert test_translator.render_part(part, "zh_Hans", TABLE) == "Pay ¥5.00"
    assert "t.broken" in caplog.text
    assert test_translator.render_part(part, "zh_Hant", TABLE) == "還款 CN¥5.00"


def test_unknown_locale_and_unknown_id_do_not_crash(test_translator: Translator) -> None:
    assert test_translator.render(_reply(2), "fr", TABLE) == test_translator.render(
        _reply(2), "en", TABLE
    )
    assert test_translator.render_part(Part("no.such.id"), "en", TABLE) == "no.such.id"


def test_missing_plural_count_uses_the_singular(test_translator: Translator) -> None:
    part = Part("t.due", {"due_date": date(2026, 11, 30)})
    assert test_translator.render_part(part, "en", TABLE) == "Due: Nov 30, 2026 ({days} day late)"


# ---- the real catalogs ----


def _sample(name: str) -> Param:
    if name in {"attempts_left", "days_past_due", "months", "plan_months", "days", "lock_minutes"}:
        return 3
    if "date" in name or name.endswith("_due") or name in {"computed_on", "dispute_answer_by"}:
        return date(2026, 12, 5)
    if name == "kind":
        return MessageRef("charge_kind.principal")
    if name == "dated":
        return MessageRef("charge_date.interest", (("date", date(2026, 10, 31)),))
    if name == "support_contacts":
        return ("Line A", "Line B")
    return MoneyValue(Decimal("800"), "USD")


@pytest.mark.parametrize("locale", ["en", "zh_Hans", "zh_Hant", "zh_Hant_HK"])
def test_every_script_text_renders_in_every_locale(
    translator: Translator,
    table: dict[str, Message],
    locale: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.i18n.render"):
        for message_id, message in table.items():
            params = {name: _sample(name) for name in message.placeholders()}
            text = translator.render_part(Part(message_id, params), locale, table)
            assert "{" not in text and text.strip(), message_id
            if locale != "en":
                assert text != message.text or message_id.startswith(
                    "repayment.language.choice."
                ), message_id
    assert caplog.records == []


def test_real_catalogs_translate_code_texts(translator: Translator) -> None:
    assert translator.text("charge_kind.principal", "zh_Hans") == "本金"
    for message_id in CODE_MESSAGES:
        assert translator.text(message_id, "en") == CODE_MESSAGES[message_id]
        for locale in ("zh_Hans", "zh_Hant", "zh_Hant_HK"):
            assert translator.text(message_id, locale) != CODE_MESSAGES[message_id]
    assert COMMANDS == ("start", "help", "language", "human", "stop", "reminders")


@pytest.mark.rule("R7")
def test_statement_in_traditional_chinese(
    translator: Translator, table: dict[str, Message]
) -> None:
    part = Part(
        "repayment.statement.line",
        {
            "kind": MessageRef("charge_kind.interest"),
            "description": "十月份利息",
            "amount": MoneyValue(Decimal("12.3"), "HKD"),
            "dated": MessageRef("charge_date.interest", (("date", date(2026, 10, 31)),)),
        },
    )
    text = translator.render_part(part, "zh_Hant", table)
    # The lender's description names the line; its kind beside it read twice (利息：利息).
    assert text.startswith("• 十月份利息：")
    # The day the interest is computed to, not the day the borrower asked (issue 34).
    assert text.endswith("HK$12.30（計至2026年10月31日）")


def test_a_text_parameter_gets_its_own_parameters(test_translator: Translator) -> None:
    """A MessageRef with parameters: the inner text is translated and filled too."""
    dated = MessageRef("charge_date.late_fee", (("date", date(2026, 11, 5)),))
    assert test_translator.format_param(dated, "en", TABLE) == "charged Nov 5, 2026"
    assert test_translator.format_param(dated, "en", TABLE, region="GB") == "charged 5 Nov 2026"


# ---- compiling ----


def test_compile_only_when_missing_or_stale(tmp_path: Path) -> None:
    _write_catalog(tmp_path, "zh_Hans", TRANSLATED["zh_Hans"])
    mo = tmp_path / "zh_Hans" / "LC_MESSAGES" / "messages.mo"
    po = mo.with_suffix(".po")
    compile_catalogs(tmp_path)
    assert mo.exists()
    os.utime(mo, ns=(1_000_000_000_000_000_000, 2_000_000_000_000_000_000))
    compile_catalogs(tmp_path)
    assert mo.stat().st_mtime_ns == 2_000_000_000_000_000_000  # fresh: left alone
    os.utime(po, ns=(3_000_000_000_000_000_000, 3_000_000_000_000_000_000))
    compile_catalogs(tmp_path)
    assert mo.stat().st_mtime_ns != 2_000_000_000_000_000_000  # stale: compiled again
    assert not list(mo.parent.glob(".*.tmp"))


# ---- Telegram language codes ----


@pytest.mark.parametrize(
    ("code", "locale"),
    [
        (None, "en"),
        ("", "en"),
        ("en", "en"),
        ("en-US", "en"),
        ("de", "en"),
        ("zh", "zh_Hans"),
        ("zh-CN", "zh_Hans"),
        ("zh-cn", "zh_Hans"),
        ("zh_SG", "zh_Hans"),
        ("zh-hans", "zh_Hans"),
        ("zh-Hans-HK", "zh_Hans"),
        ("zh-hant", "zh_Hant"),
        ("zh-Hant", "zh_Hant"),
        ("zh-TW", "zh_Hant"),
        ("zh_tw", "zh_Hant"),
        ("zh-HK", "zh_Hant"),
        ("ZH-MO", "zh_Hant"),
        ("zh-Hant-TW", "zh_Hant"),
        ("zhx", "en"),
    ],
)
def test_locale_for_telegram(code: str | None, locale: str) -> None:
    assert locale_for_telegram(code) == locale
