"""R9, R10: `dialogs check` lints every text the bot can send, wherever it is written.

Script sources, every catalog translation (en, zh_Hans, zh_Hant) and texts
defined in code. The six sentences of issue 16 must each fail the check from
wherever they could be written; nothing the project ships may be flagged.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.domain.compliance import find_violations
from bot.engine.validator import SentText, validate_texts
from bot.i18n.messages import CODE_MESSAGES
from bot.service.scripts import check_dialogs, read_translations
from bot.service.sent_texts import catalog_sent_texts, check_sent_texts, code_sent_texts
from tests.engine.driver import repayment_script
from tests.project_copy import ROOT, catalog, copy_project, translate

SCRIPT = ROOT / "dialogs" / "repayment.yaml"
ISSUE_SENTENCES = [
    "We will contact your parents",
    "You will be prosecuted",
    "我們會聯絡你的老闆",
    "我们会通知你的父母",
    "Pay within 2 hours",
    "你必须在今天内还清",
]
# A text every locale shows, with one translation per catalog.
TARGET_ID = "repayment.anything_else.ask_more"


@pytest.mark.rule("R9", "R10")
@pytest.mark.parametrize("sentence", ISSUE_SENTENCES)
def test_the_issue_sentences_fail_dialogs_check_in_a_script(tmp_path: Path, sentence: str) -> None:
    dialogs, _ = copy_project(tmp_path)
    text = SCRIPT.read_text(encoding="utf-8")
    old = '"Is there anything else I can help you with?"'
    assert old in text
    (dialogs / "repayment.yaml").write_text(
        text.replace(old, f'"{sentence}. Is there anything else I can help you with?"'),
        encoding="utf-8",
    )
    problems = check_dialogs(dialogs, None)
    assert any(p.message.startswith(("R9", "R10")) for p in problems), problems


@pytest.mark.rule("R9", "R10")
@pytest.mark.parametrize("locale", ["en", "zh_Hans", "zh_Hant"])
@pytest.mark.parametrize("sentence", ISSUE_SENTENCES)
def test_the_issue_sentences_fail_dialogs_check_in_any_catalog(
    tmp_path: Path, locale: str, sentence: str
) -> None:
    dialogs, locales = copy_project(tmp_path)
    translate(locales, locale, TARGET_ID, sentence)
    problems = check_dialogs(dialogs, locales)
    flagged = [p for p in problems if p.message.startswith(("R9", "R10")) and locale in p.message]
    assert flagged, problems


@pytest.mark.rule("R9")
def test_a_threat_in_a_code_text_translation_names_the_po_line(tmp_path: Path) -> None:
    """channel.* texts are in no script: their translations are linted from the catalog."""
    _, locales = copy_project(tmp_path)
    threat = "系統出錯。再不還錢我們會聯絡你的老闆。"
    context_line = translate(locales, "zh_Hant", "channel.error", threat)
    problems = check_sent_texts(locales)
    (problem,) = [p for p in problems if "channel.error" in p.message]
    assert problem.file == str(catalog(locales, "zh_Hant"))
    assert abs(problem.line - (context_line + 1)) <= 2  # the entry's own lines
    assert problem.message.startswith("R9: zh_Hant")


@pytest.mark.rule("R9", "R10")
@pytest.mark.parametrize("sentence", ISSUE_SENTENCES)
def test_a_code_text_is_linted_like_a_script_text(sentence: str) -> None:
    problems = validate_texts(
        [SentText("bot/i18n/messages.py", 40, "en", "channel.welcome_back", sentence)]
    )
    assert [p.line for p in problems] == [40]
    assert problems[0].message.startswith(("R9", "R10"))


def test_every_code_text_reaches_the_lint_with_its_line() -> None:
    texts = list(code_sent_texts())
    assert {t.message_id for t in texts} == set(CODE_MESSAGES)
    source = (ROOT / "bot" / "i18n" / "messages.py").read_text(encoding="utf-8").splitlines()
    for sent in texts:
        assert f'"{sent.message_id}"' in source[sent.line - 1]


def test_every_catalog_entry_reaches_the_lint() -> None:
    texts = list(catalog_sent_texts(ROOT / "locales"))
    translations = read_translations(ROOT / "locales")
    for locale in ("zh_Hans", "zh_Hant"):
        linted = {t.message_id for t in texts if t.locale == locale}
        catalog = {key.split("\x04")[0] for key, text in translations[locale].items() if text}
        assert linted == catalog


@pytest.mark.rule("R9", "R10")
def test_no_false_alarm_on_anything_the_project_ships() -> None:
    """Every script text, every translation and every code text, in every locale."""
    script_texts = [
        text
        for message in repayment_script().message_table().values()
        for text in (message.text, message.plural or "")
    ]
    catalog_texts = [t.text for t in catalog_sent_texts(ROOT / "locales")]
    code_texts = [t.text for t in code_sent_texts()]
    everything = script_texts + catalog_texts + code_texts
    assert len(everything) > 400
    flagged = {text: find_violations(text, "en") for text in everything}
    assert {t: v for t, v in flagged.items() if v} == {}
    assert check_sent_texts(ROOT / "locales") == []
    assert check_dialogs(ROOT / "dialogs", ROOT / "locales") == []


@pytest.mark.rule("R9")
def test_the_policys_own_texts_are_linted_with_their_line(tmp_path: Path) -> None:
    """The lender's name and the support lines are sent as written."""
    dialogs, _ = copy_project(tmp_path)
    policy = dialogs / "policy.yaml"
    text = policy.read_text(encoding="utf-8")
    old = 'lender_name: "Harbor Consumer Finance"'
    assert old in text
    policy.write_text(text.replace(old, 'lender_name: "Harbor Police Recovery"'), encoding="utf-8")
    problems = check_dialogs(dialogs, None)
    (problem,) = [p for p in problems if "policy.lender_name" in p.message]
    assert problem.file == str(policy)
    assert problem.line == text.splitlines().index(old) + 1
    assert problem.message.startswith("R9")
