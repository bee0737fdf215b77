"""Words that must never be said (R9, R10) and the opt-out wording (R3). The hours (R1)
are tests/domain/test_contact_hours.py, against what the reminders check.

The words a borrower writes (R3, R11-R13, R15) are tests/understanding/test_word_cues.py.
"""

from __future__ import annotations

import pytest

from bot.domain.compliance import (
    Violation,
    bot_initiated_has_opt_out,
    find_violations,
)


@pytest.mark.rule("R9", "R10")
@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Pay now or we will call the police.", "R9"),
        ("We will tell your employer.", "R9"),
        ("不还款就报警", "R9"),
        ("我們會通知你的家人", "R9"),
        ("你会被列入黑名单", "R9"),
        ("Take out a payday loan to pay us.", "R10"),
        ("可以借钱还款", "R10"),
        ("請馬上還清", "R10"),
        ("Sell your car if you have to.", "R10"),
    ],
)
@pytest.mark.rule("R9")
@pytest.mark.rule("R10")
def test_threats_and_pressure_are_found_in_every_language_R9_R10(text: str, rule: str) -> None:
    assert rule in {v.rule for v in find_violations(text, "en")}


@pytest.mark.rule("R9", "R10")
def test_kind_words_pass() -> None:
    assert find_violations("We're here to help you find a plan that works.", "en") == ()
    assert find_violations("我们可以一起找到适合您的还款方式。", "zh_Hans") == ()


@pytest.mark.rule("R3")
def test_opt_out_wording_R3() -> None:
    assert bot_initiated_has_opt_out("Reminder: payment due. Reply STOP to opt out.", "en")
    assert bot_initiated_has_opt_out("还款提醒。回复 STOP 退订", "zh_Hans")
    assert not bot_initiated_has_opt_out("Reminder: payment due.", "en")
    # An English "Reply STOP" pasted into a Chinese text tells a Chinese reader nothing.
    assert not bot_initiated_has_opt_out("还款提醒。Reply STOP to opt out.", "zh_Hans")


@pytest.mark.rule("R9", "R10")
@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("You could be arrested.", "R9"),
        ("This is the court.", "R9"),
        ("We may take you to court.", "R9"),
        ("We will contact your friends.", "R9"),
        ("We will post it on social media.", "R9"),
        ("Your wages will be garnished. We will garnish them.", "R9"),
        ("Call from the POLICE", "R9"),
        ("ｐｏｌｉｃｅ", "R9"),  # full-width letters
        ("我们是法院", "R9"),
        ("公安机关将介入", "R9"),
        ("我们会联系你的单位", "R9"),
        ("我們會聯繫您的家人", "R9"),
        ("逾期将影响征信，后果自负", "R9"),
        ("你涉嫌诈骗", "R9"),
        ("Borrow from a friend to pay.", "R10"),
        ("Sell your house.", "R10"),
        ("Pay within the hour.", "R10"),
        ("Pay today or else.", "R10"),
        ("请立即还款", "R10"),
        ("可以去网贷平台借", "R10"),
        ("把車賣掉還款", "R10"),
        ("今天必須還清", "R10"),
        ("這是最後通牒", "R10"),
    ],
)
@pytest.mark.rule("R9")
@pytest.mark.rule("R10")
def test_more_threats_and_pressure_R9_R10(text: str, rule: str) -> None:
    """R9, R10: every list applies whatever the locale says."""
    for locale in ("en", "zh_Hans", "zh_Hant"):
        assert rule in {v.rule for v in find_violations(text, locale)}


@pytest.mark.rule("R9")
def test_longest_phrase_is_reported_R9() -> None:
    assert find_violations("We have a court order.", "en") == (Violation("R9", "court order"),)


@pytest.mark.rule("R9", "R10")
@pytest.mark.parametrize(
    "text",
    [
        "You can choose a plan, ask for more time, or talk to a person.",
        "Your case number is {case_number}. We will answer within 15 days.",
        "If you are in crisis, please contact: {support_contacts}",
        "Sorry, we can't offer that plan. Would you like a person to review it?",
        "您可以选择分期、延期，或者联系人工客服。",
        "您的申訴編號是 {case_number}，我們會在15天內答覆。",
        "supporting you",  # "port" inside a word is not "court"
    ],
)
@pytest.mark.rule("R9")
@pytest.mark.rule("R10")
def test_ordinary_script_texts_pass_R9_R10(text: str) -> None:
    assert find_violations(text, "en") == ()


@pytest.mark.rule("R3")
def test_opt_out_wording_in_every_form_R3() -> None:
    assert bot_initiated_has_opt_out("Send /stop to stop these reminders.", "en")
    assert bot_initiated_has_opt_out("還款提醒。回覆 STOP 退訂", "zh_Hant")
    assert bot_initiated_has_opt_out("回复ＳＴＯＰ退订", "zh_Hans")
    # Lower-case "stop" in a sentence tells the borrower nothing.
    assert not bot_initiated_has_opt_out("We never stop helping.", "en")


@pytest.mark.rule("R9")
def test_a_threat_whose_own_words_say_never_is_still_a_threat() -> None:
    """The finding's own words are no negation of it: "never get a mortgage" is the threat."""
    found = find_violations("You will never get a mortgage again.", "en")
    assert [v.rule for v in found] == ["R9"]
