"""Words that must reach a person, stop collection, or never be said (R3, R9-R13, R15)."""

from __future__ import annotations

from datetime import time

import pytest

from bot.domain.compliance import bot_initiated_has_opt_out, find_violations, hour_allowed
from bot.domain.intents import Intent, detect_intents


@pytest.mark.parametrize(
    "text",
    ["agent", "I want a human", "real person please", "AGENT!", "人工", "真人", "转人工", "轉人工"],
)
def test_person_words_R13(text: str) -> None:
    assert detect_intents(text)[0] is Intent.HUMAN


@pytest.mark.parametrize(
    "text",
    ["I want to kill myself", "I want to die", "我不想活了", "我想自杀", "我想自殺", "活不下去了"],
)
def test_crisis_words_come_first_R12(text: str) -> None:
    assert detect_intents(text + " agent")[0] is Intent.CRISIS


@pytest.mark.parametrize(
    "text", ["I lost my job", "I'm in hospital", "我失业了", "失業", "我生病住院了"]
)
def test_hardship_words_R11(text: str) -> None:
    assert Intent.HARDSHIP in detect_intents(text)


@pytest.mark.parametrize("text", ["I want to complain", "投诉", "我要投訴"])
def test_complaint_words_R15(text: str) -> None:
    assert Intent.COMPLAINT in detect_intents(text)


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
def test_threats_and_pressure_are_found_in_every_language_R9_R10(text: str, rule: str) -> None:
    assert rule in {v.rule for v in find_violations(text, "en")}


def test_kind_words_pass() -> None:
    assert find_violations("We're here to help you find a plan that works.", "en") == ()
    assert find_violations("我们可以一起找到适合您的还款方式。", "zh_Hans") == ()


def test_opt_out_wording_R3() -> None:
    assert bot_initiated_has_opt_out("Reminder: payment due. Reply STOP to opt out.", "en")
    assert bot_initiated_has_opt_out("还款提醒。回复 STOP 退订", "zh_Hans")
    assert not bot_initiated_has_opt_out("Reminder: payment due.", "en")


def test_reasonable_hours_R1() -> None:
    assert hour_allowed(time(8, 0))
    assert hour_allowed(time(20, 59))
    assert not hour_allowed(time(21, 0))
    assert not hour_allowed(time(7, 59))
