"""R3: `repaybot dialogs check` refuses a bot-initiated text that does not say how to stop.

A text is bot-initiated when a trigger (`triggers:` in the script, e.g. the
reminder) sends it unasked. The script source and every catalog's translation
of it must each say, in the borrower's own language, how to stop.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.domain.compliance import bot_initiated_has_opt_out
from bot.service.scripts import check_dialogs
from tests.project_copy import ROOT, copy_project, translate

REMINDER_ID = "repayment.reminder.ask_reminder"
OPT_OUT = " Reply STOP to stop these reminders."


@pytest.mark.rule("R3")
def test_a_reminder_without_the_opt_out_fails_dialogs_check_through_the_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    dialogs, locales = copy_project(tmp_path)
    script = dialogs / "repayment.yaml"
    source = script.read_text(encoding="utf-8")
    # The first reminder's own sentence (each stage of the cadence has its own text).
    asked = "Would you like to review it now?"
    assert source.count(asked + OPT_OUT) == 1
    script.write_text(source.replace(asked + OPT_OUT, asked), encoding="utf-8")
    monkeypatch.setenv("REPAYBOT_LOCALES_DIR", str(locales))

    code = main(["dialogs", "check", "--dir", str(dialogs)])

    assert code == 1
    errors = capsys.readouterr().err.splitlines()
    (r3,) = [line for line in errors if ": R3:" in line]
    line = source.splitlines().index(next(x for x in source.splitlines() if OPT_OUT.strip() in x))
    assert r3.startswith(f"{script}:{line + 1} [state reminder]: R3: the en text")
    assert "trigger 'reminder'" in r3


@pytest.mark.rule("R3")
def test_the_shipped_reminder_passes_through_the_cli(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("REPAYBOT_LOCALES_DIR", str(ROOT / "locales"))
    assert main(["dialogs", "check", "--dir", str(ROOT / "dialogs")]) == 0
    assert "R3" not in capsys.readouterr().err


@pytest.mark.rule("R3")
@pytest.mark.parametrize(
    ("locale", "text"),
    [
        # the opt-out left out of the translation
        ("zh_Hans", "您好，我是{lender}的智能助手，想提醒您关注一下您的账户。现在要查看吗？"),
        ("zh_Hant", "您好，我是{lender}的智慧助理，提醒您留意您的帳戶。現在要查看嗎？"),
        # the regional catalog is a borrower's text too
        ("zh_Hant_HK", "您好，我是{lender}的智能助理，提醒您留意您的戶口。現在要查看嗎？"),
        # English pasted into a Chinese text does not tell a Chinese reader how to stop
        ("zh_Hans", "您好，我是{lender}的智能助手。现在要查看您的账户吗？Reply STOP."),
    ],
)
def test_a_translation_without_the_opt_out_is_refused_with_its_locale_and_state(
    tmp_path: Path, locale: str, text: str
) -> None:
    dialogs, locales = copy_project(tmp_path)
    translate(locales, locale, REMINDER_ID, text)
    problems = [p for p in check_dialogs(dialogs, locales) if p.message.startswith("R3")]
    assert [(p.state, p.message.split(" text")[0]) for p in problems] == [
        ("reminder", f"R3: the {locale}")
    ]
    assert problems[0].file == str(dialogs / "repayment.yaml")


@pytest.mark.rule("R3")
@pytest.mark.parametrize(
    ("text", "locale", "says_it"),
    [
        ("Reply STOP to stop these reminders.", "en", True),
        ("Send /stop to stop these reminders.", "en", True),
        ("We never stop helping.", "en", False),
        ("回复 STOP 退订", "zh_Hans", True),
        ("回复 STOP 即可停止提醒", "zh_Hans", True),
        ("如不想再收到提醒，可退订。", "zh_Hans", True),
        ("回覆 STOP 取消訂閱", "zh_Hant", True),
        ("回覆 STOP 即可停止提醒。", "zh_Hant", True),
        ("傳送 /stop 即可停止提醒。", "zh_Hant", True),
        ("Reply STOP", "zh_Hant", False),
        ("STOP", "zh_Hans", False),
        ("现在要查看吗？", "zh_Hans", False),
    ],
)
def test_each_locale_says_how_to_stop_in_its_own_words_R3(
    text: str, locale: str, says_it: bool
) -> None:
    assert bot_initiated_has_opt_out(text, locale) is says_it
