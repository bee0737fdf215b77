"""`dialogs check` enforces the glossary's forbidden forms per locale (issue 32 point 3).

The glossary (locales/glossary.yaml) is data: the lint reads it. Each test
writes a violating copy of the real catalogs and expects the check to name
the locale, the text and the form; the project as shipped has none.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.domain.accounts import CATALOG_LOCALES
from bot.domain.glossary import glossary_from
from bot.service.glossary_lint import GLOSSARY_FILE, load_glossary
from bot.service.scripts import check_dialogs
from tests.project_copy import ROOT, copy_project, translate


def _glossary_problems(dialogs: Path, locales: Path) -> list[str]:
    return [p.message for p in check_dialogs(dialogs, locales) if p.message.startswith("glossary")]


def test_the_shipped_texts_pass_the_glossary() -> None:
    problems = check_dialogs(ROOT / "dialogs", ROOT / "locales")
    assert [p for p in problems if p.message.startswith("glossary")] == []


def test_the_glossary_covers_every_catalog_locale() -> None:
    glossary = load_glossary(ROOT / "locales")
    covered = set().union(*(form.locales for form in glossary.forbidden))
    assert covered == set(CATALOG_LOCALES)
    assert glossary.line_limit("zh_Hant_HK") == glossary.line_limit("zh_Hans")
    assert glossary.line_limit("en_GB") == glossary.line_limit("en")


@pytest.mark.parametrize("locale", ["zh_Hans", "zh_Hant", "zh_Hant_HK"])
def test_collections_jargon_in_any_chinese_catalog_fails_the_check(
    tmp_path: Path, locale: str
) -> None:
    dialogs, locales = copy_project(tmp_path)
    translate(locales, locale, "repayment.anything_else.ask_more", "您的账户已转入催收。")
    problems = _glossary_problems(dialogs, locales)
    assert any(
        f"{locale} text 'repayment.anything_else.ask_more' says '催收'" in p for p in problems
    ), problems


def test_a_mainland_term_in_taiwan_text_fails_and_names_the_taiwan_word(tmp_path: Path) -> None:
    dialogs, locales = copy_project(tmp_path)
    translate(
        locales, "zh_Hant", "repayment.plan_confirm.ask_confirm", "需要我為您設立這個方案嗎？"
    )
    problems = _glossary_problems(dialogs, locales)
    assert any("zh_Hant text 'repayment.plan_confirm.ask_confirm'" in p for p in problems)
    assert any("write '辦理'" in p for p in problems), problems


def test_a_taiwan_form_inherited_by_hong_kong_fails_only_for_hong_kong(tmp_path: Path) -> None:
    # The Hong Kong catalog leaves this entry to zh_Hant: HK borrowers read Taiwan's 身分.
    dialogs, locales = copy_project(tmp_path)
    context = "repayment.not_understood"
    translate(locales, "zh_Hant", context, "抱歉，我不太明白您的意思。請先確認您的身分。")
    problems = _glossary_problems(dialogs, locales)
    assert any(f"zh_Hant_HK text '{context}' says '身分'" in p for p in problems), problems
    assert not any(f"zh_Hant text '{context}'" in p for p in problems), problems


def test_taiwans_reference_number_fails_for_hong_kong_written_or_inherited(
    tmp_path: Path,
) -> None:
    """Hong Kong banks say 參考編號: Taiwan's 受理編號 is refused in a Hong Kong text of
    its own, and when an empty Hong Kong entry lets the Taiwan text through."""
    dialogs, locales = copy_project(tmp_path)
    written = "repayment.complaint.ask_logged"
    translate(locales, "zh_Hant_HK", written, "您的投訴已記錄（受理編號 {ticket}）。")
    inherited = "repayment.dispute_done.done"
    translate(locales, "zh_Hant_HK", inherited, "")
    problems = _glossary_problems(dialogs, locales)
    for context in (written, inherited):
        assert any(
            f"zh_Hant_HK text '{context}' says '受理編號'" in p and "write '參考編號'" in p
            for p in problems
        ), problems
    # Taiwan's own text keeps Taiwan's word.
    assert not any(f"zh_Hant text '{inherited}'" in p for p in problems), problems


def test_a_us_term_left_to_the_english_fallback_fails_for_en_gb(tmp_path: Path) -> None:
    # An en_GB entry left empty shows the US English text to a UK borrower.
    dialogs, locales = copy_project(tmp_path)
    translate(locales, "en_GB", "repayment.menu.choice.plan", "")
    problems = _glossary_problems(dialogs, locales)
    assert any(
        "en_GB text 'repayment.menu.choice.plan' says 'installment'" in p for p in problems
    ), problems
    assert not any("en text 'repayment.menu.choice.plan'" in p for p in problems)


def test_the_mainland_stop_wording_is_checked(tmp_path: Path) -> None:
    dialogs, locales = copy_project(tmp_path)
    translate(
        locales,
        "zh_Hans",
        "repayment.reminder.ask_reminder",
        "您好，我是{lender}的智能助手，提醒您关注您的账户。现在要查看吗？回复 STOP 即可退订提醒。",
    )
    problems = _glossary_problems(dialogs, locales)
    assert any("'回复 STOP'" in p and "回复TD退订" in p for p in problems), problems


def test_a_placeholder_is_data_not_a_form() -> None:
    glossary = glossary_from(
        {
            "phone_line_limit": {"en": 200, "zh": 80},
            "forbidden": [{"form": "past due", "locales": ["en_GB"], "use": "x", "why": "y"}],
        },
        CATALOG_LOCALES,
    )
    assert glossary.forms_in("Amount: {past due}", "en_GB") == ()
    assert [f.form for f in glossary.forms_in("Now PAST DUE by 3 days", "en_GB")] == ["past due"]
    assert glossary.forms_in("Now past due", "en") == ()


def test_a_broken_glossary_is_reported_not_ignored(tmp_path: Path) -> None:
    dialogs, locales = copy_project(tmp_path)
    (locales / GLOSSARY_FILE).write_text(
        "phone_line_limit: {en: 200, zh: 80}\nforbidden:\n  - {form: x, locales: [fr], use: y, why: z}\n",
        encoding="utf-8",
    )
    problems = _glossary_problems(dialogs, locales)
    assert problems and "unknown locale(s) fr" in problems[0]
