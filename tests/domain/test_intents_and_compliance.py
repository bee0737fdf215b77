"""Words that must reach a person, stop collection, or never be said (R3, R9-R13, R15)."""

from __future__ import annotations

from datetime import UTC, time

import pytest

from bot.domain.compliance import (
    Violation,
    bot_initiated_has_opt_out,
    find_violations,
    hour_allowed,
)
from bot.domain.intents import Intent, detect_intents


@pytest.mark.rule("R13")
@pytest.mark.parametrize(
    "text",
    ["agent", "I want a human", "real person please", "AGENT!", "人工", "真人", "转人工", "轉人工"],
)
@pytest.mark.rule("R13")
def test_person_words_R13(text: str) -> None:
    assert detect_intents(text)[0] is Intent.HUMAN


@pytest.mark.rule("R12")
@pytest.mark.parametrize(
    "text",
    ["I want to kill myself", "I want to die", "我不想活了", "我想自杀", "我想自殺", "活不下去了"],
)
@pytest.mark.rule("R12")
def test_crisis_words_come_first_R12(text: str) -> None:
    assert detect_intents(text + " agent")[0] is Intent.CRISIS


@pytest.mark.rule("R11")
@pytest.mark.parametrize(
    "text", ["I lost my job", "I'm in hospital", "我失业了", "失業", "我生病住院了"]
)
@pytest.mark.rule("R11")
def test_hardship_words_R11(text: str) -> None:
    assert Intent.HARDSHIP in detect_intents(text)


@pytest.mark.rule("R15")
@pytest.mark.parametrize("text", ["I want to complain", "投诉", "我要投訴"])
def test_complaint_words_R15(text: str) -> None:
    assert Intent.COMPLAINT in detect_intents(text)


@pytest.mark.rule("R3")
@pytest.mark.parametrize("text", ["STOP", "stop", "Unsubscribe", "退订", "退訂"])
def test_stop_words_R3(text: str) -> None:
    assert Intent.STOP in detect_intents(text)


@pytest.mark.parametrize(
    "text",
    [
        "yes",
        "6",
        "1990-05-17",
        "I can pay 800 a month",
        "when will the interest stop?",
        "好的",
        "",
        "🙂",
        "my agency fee looks wrong",
    ],
)
def test_ordinary_answers_carry_no_intent(text: str) -> None:
    assert detect_intents(text) == ()


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


@pytest.mark.rule("R1")
def test_reasonable_hours_R1() -> None:
    assert hour_allowed(time(8, 0))
    assert hour_allowed(time(20, 59))
    assert not hour_allowed(time(21, 0))
    assert not hour_allowed(time(7, 59))


@pytest.mark.rule("R13")
@pytest.mark.parametrize(
    "text",
    [
        "Can I talk to a person?",
        "I want to speak to someone",
        "operator",
        "customer service please",
        "Let me talk to a manager",
        "我要人工客服",
        "找真人",
        "請幫我轉人工",
        "人工服務",
        "客服在哪",
        "请打电话给我",
        "ＡＧＥＮＴ",  # full-width letters
        # Known, accepted false positives (R13: a person too many is the safe side):
        "my agent number is 42",
        "human resources",
        "搵個agent",  # English inside Chinese
        "转人工pls",  # Chinese glued to English: no word boundary needed
        "幫我轉真人ok",
        "get me an agent, not the bot",
    ],
)
@pytest.mark.rule("R13")
def test_more_person_words_R13(text: str) -> None:
    assert Intent.HUMAN in detect_intents(text)


@pytest.mark.rule("R13")
@pytest.mark.parametrize(
    "text",
    ["I don't need a human", "no need for a human", "no agent needed", "唔使轉人工", "不用转人工"],
)
@pytest.mark.rule("R13")
def test_a_person_turned_down_is_not_a_request_for_one_R13(text: str) -> None:
    assert Intent.HUMAN not in detect_intents(text)


@pytest.mark.rule("R12")
@pytest.mark.parametrize(
    "text",
    ["我真係唔想再活落去", "might just jump off a bridge", "我已經買好炭準備燒炭", "死咗算"],
)
@pytest.mark.rule("R12")
def test_cantonese_and_indirect_crisis_words_R12(text: str) -> None:
    assert detect_intents(text)[0] is Intent.CRISIS


@pytest.mark.rule("R11")
@pytest.mark.parametrize("text", ["我冇收入", "我畀人炒咗", "冇工開"])
def test_cantonese_hardship_words_R11(text: str) -> None:
    assert Intent.HARDSHIP in detect_intents(text)


@pytest.mark.rule("R12")
@pytest.mark.parametrize(
    "text",
    [
        "I'm suicidal",
        "I don't want to live anymore",
        "I dont want to live",
        "I don’t want to live",  # typographic apostrophe
        "thinking about ending it, I want to end it all",
        "I keep wanting to hurt myself",
        "self-harm",
        "我真的想死",
        "我想輕生",
        "活著沒意思",
        "不如死了算了",
        "我想自残",
    ],
)
@pytest.mark.rule("R12")
def test_more_crisis_words_R12(text: str) -> None:
    assert detect_intents(text)[0] is Intent.CRISIS


@pytest.mark.rule("R12")
def test_crisis_outranks_everything_R12() -> None:
    """R12: crisis comes first, then a person (R13), opt-out (R3), complaint (R15), hardship (R11)."""
    text = "I lost my job, this is unfair, I want a human, I want to die"
    assert detect_intents(text) == (
        Intent.CRISIS,
        Intent.HUMAN,
        Intent.COMPLAINT,
        Intent.HARDSHIP,
    )
    assert detect_intents("stop messaging me, I'll complain") == (Intent.STOP, Intent.COMPLAINT)


@pytest.mark.rule("R11")
@pytest.mark.parametrize(
    "text",
    [
        "I was laid off last month",
        "I'm unemployed",
        "medical bills are piling up",
        "I can't afford it",
        "I cant afford it",
        "I got fired",
        "out of work since May",
        "我被裁员了",
        "最近没有收入",
        "我還不起",
        "家里有人住院",
        "經濟困難",
        "我失業了",
    ],
)
@pytest.mark.rule("R11")
def test_more_hardship_words_R11(text: str) -> None:
    assert Intent.HARDSHIP in detect_intents(text)


@pytest.mark.rule("R15")
@pytest.mark.parametrize(
    "text",
    [
        "This is harassment",
        "you keep harassing me",
        "I will complain to the ombudsman",
        "unfair fees",
        "我要举报你们",
        "你們這是騷擾",
        "我要打12378投诉",
        "太不公平了",
    ],
)
@pytest.mark.rule("R15")
def test_more_complaint_words_R15(text: str) -> None:
    assert Intent.COMPLAINT in detect_intents(text)


@pytest.mark.rule("R3")
@pytest.mark.parametrize(
    "text",
    [
        "Stop.",
        "stop please",
        "please STOP!",
        "opt out",
        "stop messaging me, I will pay on Friday",
        "Stop texting me",
        "don't contact me",
        "请退订",
        "不要再发了",
        "別再聯繫我",
        "取消訂閱",
    ],
)
@pytest.mark.rule("R3")
def test_more_stop_words_R3(text: str) -> None:
    assert Intent.STOP in detect_intents(text)


@pytest.mark.rule("R3")
@pytest.mark.parametrize(
    "text",
    [
        "when will the interest stop?",
        "I want to stop paying interest",
        "can the late fees stop",
        "bus stop",
        "non-stop calls",
    ],
)
@pytest.mark.rule("R3")
def test_stop_inside_a_sentence_is_not_an_opt_out_R3(text: str) -> None:
    assert Intent.STOP not in detect_intents(text)


@pytest.mark.parametrize("text", ["help", "Help me", "帮助", "幫助", "?", "？"])
def test_help(text: str) -> None:
    assert detect_intents(text) == (Intent.HELP,)


@pytest.mark.parametrize("text", ["English please", "中文", "请用中文", "change language", "語言"])
def test_language(text: str) -> None:
    assert detect_intents(text) == (Intent.LANGUAGE,)


@pytest.mark.parametrize(
    "text",
    [
        "no",
        "好",
        "可以",
        "6个月",
        "每个月只能还八百",
        "17/05/1990",
        "1990年5月17日",
        "I will pay on Friday",
        "我下周五还款",
        "The late fee is wrong",
        "personal loan",
        "\x00\x1b[2J",
        "🙂" * 1000,
    ],
)
def test_more_ordinary_answers_carry_no_intent(text: str) -> None:
    assert detect_intents(text) == ()


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


@pytest.mark.rule("R1")
@pytest.mark.parametrize(
    ("moment", "allowed"),
    [
        (time(0, 0), False),
        (time(7, 59, 59), False),
        (time(8, 0), True),
        (time(12, 0), True),
        (time(20, 59, 59), True),
        (time(21, 0), False),
        (time(23, 59), False),
        (time(9, 0, tzinfo=UTC), True),
    ],
)
@pytest.mark.rule("R1")
def test_reasonable_hours_boundaries_R1(moment: time, allowed: bool) -> None:
    assert hour_allowed(moment) is allowed


@pytest.mark.rule("R1")
def test_stricter_hours_from_policy_R1() -> None:
    """R1: a market or a borrower (R4) may narrow the window; a wrapping window is honoured."""
    assert not hour_allowed(time(8, 30), start=time(9), end=time(20))
    assert hour_allowed(time(23, 0), start=time(22), end=time(6))
    assert not hour_allowed(time(12, 0), start=time(22), end=time(6))


def test_a_word_list_without_english_words_matches_only_its_own_words() -> None:
    from bot.domain.intents import _compile

    pattern = _compile(("转人工", "真人"))
    assert pattern.search("hello") is None
    assert pattern.search("你好") is None
    assert pattern.search("转人工pls") is not None
