"""`repaybot dialogs check` validates the cadence against the script, and lints each
stage's reminder like any bot-initiated text: how to stop (R3), the lender and the
bot named (R6), in every catalog."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.domain.cadence import RemindersPolicy
from bot.service.scripts import check_dialogs
from tests.project_copy import copy_project, translate

STAGES = [s for s in RemindersPolicy().stages if s.state]


def _messages(tmp_path: Path, dialogs: Path, locales: Path) -> list[str]:
    return [f"{p.file}:{p.line}: {p.message}" for p in check_dialogs(dialogs, locales)]


def test_the_shipped_cadence_and_its_texts_pass(tmp_path: Path) -> None:
    dialogs, locales = copy_project(tmp_path)
    assert _messages(tmp_path, dialogs, locales) == []


@pytest.mark.rule("R3")
@pytest.mark.parametrize("stage", [s.name for s in STAGES])
def test_r3_each_stages_reminder_must_say_how_to_stop_in_chinese_too(
    tmp_path: Path, stage: str
) -> None:
    dialogs, locales = copy_project(tmp_path)
    state = next(s.state for s in STAGES if s.name == stage)
    context = f"repayment.{state}.ask_{stage}"
    translate(
        locales, "zh_Hans", context, "您好，这里是{lender}的智能助手（自动消息）。请查看您的账户。"
    )
    found = _messages(tmp_path, dialogs, locales)
    assert any(f"R3: the zh_Hans text sent by trigger '{state}'" in m for m in found), found


@pytest.mark.rule("R6")
def test_r6_a_reminder_that_does_not_name_the_lender_fails(tmp_path: Path) -> None:
    dialogs, locales = copy_project(tmp_path)
    translate(
        locales,
        "zh_Hant",
        "repayment.reminder_late_7.ask_late_7",
        "您好，這裡是智慧助理（自動訊息）。回覆 STOP 即可停止提醒。",
    )
    found = _messages(tmp_path, dialogs, locales)
    assert any("R6: the zh_Hant text sent by trigger 'reminder_late_7'" in m for m in found)


def _edit_policy(dialogs: Path, old: str, new: str) -> None:
    policy = dialogs / "policy.yaml"
    text = policy.read_text(encoding="utf-8")
    assert old in text
    policy.write_text(text.replace(old, new), encoding="utf-8")


def test_a_stage_naming_a_state_the_script_lacks_is_reported_with_its_line(
    tmp_path: Path,
) -> None:
    dialogs, locales = copy_project(tmp_path)
    _edit_policy(dialogs, "state: reminder_late_3}", "state: reminder_late_4}")
    found = _messages(tmp_path, dialogs, locales)
    line = next(
        n
        for n, text in enumerate((dialogs / "policy.yaml").read_text().splitlines(), start=1)
        if "reminder_late_4" in text
    )
    assert found == [
        f"{dialogs / 'policy.yaml'}:{line}: reminders.stages[2] (late_3): the script"
        " 'repayment' has no state 'reminder_late_4'"
    ]


def test_a_stage_without_its_trigger_or_on_a_private_state_is_reported(tmp_path: Path) -> None:
    dialogs, locales = copy_project(tmp_path)
    _edit_policy(dialogs, "state: reminder_late_3}", "state: statement}")
    found = _messages(tmp_path, dialogs, locales)
    assert any("add the trigger `statement: {to: statement}`" in m for m in found), found
    assert any("'statement' must be `public: true`" in m for m in found), found


def test_stages_out_of_order_are_refused_with_the_policys_line(tmp_path: Path) -> None:
    dialogs, locales = copy_project(tmp_path)
    _edit_policy(dialogs, "offset_days: 3,", "offset_days: 1,")
    found = _messages(tmp_path, dialogs, locales)
    assert len(found) == 1
    assert "stage late_3 (day 1) must come after stage late_1 (day 1)" in found[0]
    assert found[0].startswith(f"{dialogs / 'policy.yaml'}:")


@pytest.mark.rule("R1")
def test_r1_hours_outside_eight_to_nine_are_refused(tmp_path: Path) -> None:
    dialogs, locales = copy_project(tmp_path)
    _edit_policy(dialogs, 'start: "08:00"', 'start: "07:00"')
    found = _messages(tmp_path, dialogs, locales)
    assert len(found) == 1 and "hours: 07:00 is before 08:00 (R1)" in found[0]
