"""Words that must reach crisis help, a person, an opt-out, a complaint or hardship
(R3, R11, R12, R13, R15), whatever the model says.

Moved from tests/domain (issue 28): the lexicon and the cues now live in the
understanding layer, the one vocabulary of meanings.
"""

from __future__ import annotations

import re

import pytest

from bot.understanding import Meaning, understand
from bot.understanding.crisis import crisis_words
from bot.understanding.cues import (
    asks_for_person,
    asks_to_stop,
    complains,
    mentions_hardship,
    word_cues,
    words_pattern,
)
from bot.understanding.model import IntentModel
from bot.understanding.text import prepare
from tests.understanding.conftest import TODAY


@pytest.mark.rule("R13")
@pytest.mark.parametrize(
    "text",
    [
        "agent",
        "I want a human",
        "real person please",
        "AGENT!",
        "人工",
        "真人",
        "转人工",
        "轉人工",
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
def test_person_words_R13(text: str) -> None:
    assert asks_for_person(prepare(text))
    assert Meaning.HUMAN in word_cues(prepare(text))


@pytest.mark.rule("R13")
@pytest.mark.parametrize(
    "text",
    [
        "I don't need a human",
        "no need for a human",
        "no agent needed",
        "唔使轉人工",
        "不用转人工",
        "唔搵人工",  # 搵 folds to 揾: still turned down
    ],
)
def test_a_person_turned_down_is_not_a_request_for_one_R13(text: str) -> None:
    assert not asks_for_person(prepare(text))
    assert Meaning.HUMAN not in word_cues(prepare(text))


@pytest.mark.rule("R12")
@pytest.mark.parametrize(
    "text",
    [
        "I want to kill myself",
        "I want to die",
        "我不想活了",
        "我想自杀",
        "我想自殺",
        "活不下去了",
        "我真係唔想再活落去",
        "might just jump off a bridge",
        "我已經買好炭準備燒炭",
        "死咗算",
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
        "我想kill myself",  # English inside Chinese, as the person words
        "我想kms",
    ],
)
def test_crisis_words_R12(text: str) -> None:
    assert crisis_words(prepare(text))
    assert crisis_words(prepare(text + " agent"))


@pytest.mark.rule("R12")
def test_crisis_outranks_everything_R12(model: IntentModel) -> None:
    """R12: crisis comes first; the other cues are still read beside it."""
    text = "I lost my job, this is unfair, I want a human, I want to die"
    reading = understand(text, locale="en", today=TODAY, model=model)
    assert reading.crisis
    assert reading.top is Meaning.CRISIS
    assert reading.cues == {Meaning.HUMAN, Meaning.COMPLAINT, Meaning.HARDSHIP}
    assert word_cues(prepare("stop messaging me, I'll complain")) == {
        Meaning.STOP,
        Meaning.COMPLAINT,
    }


@pytest.mark.rule("R11")
@pytest.mark.parametrize(
    "text",
    [
        "I lost my job",
        "I'm in hospital",
        "我失业了",
        "失業",
        "我生病住院了",
        "我冇收入",
        "我畀人炒咗",
        "冇工開",
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
        "我lost my job",  # English inside Chinese
        # The understanding layer's own words, now the one list the engine routes on too:
        "no job no money",
        "手頭緊",
        "欠薪三个月",
    ],
)
def test_hardship_words_R11(text: str) -> None:
    assert mentions_hardship(prepare(text))
    assert Meaning.HARDSHIP in word_cues(prepare(text))


@pytest.mark.rule("R15")
@pytest.mark.parametrize(
    "text",
    [
        "I want to complain",
        "投诉",
        "我要投訴",
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
def test_complaint_words_R15(text: str) -> None:
    assert complains(prepare(text))
    assert Meaning.COMPLAINT in word_cues(prepare(text))


@pytest.mark.rule("R3")
@pytest.mark.parametrize(
    "text",
    [
        "STOP",
        "stop",
        "Unsubscribe",
        "退订",
        "退訂",
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
        # The mainland's SMS unsubscribe, typed to the chat as it is to a text.
        "TD",
        "td",
        "回复TD",
        "TD退订",
        # Hong Kong, in Cantonese.
        "唔好再send嘢俾我",
        "唔好再發訊息俾我",
        "唔好再搵我",
    ],
)
def test_stop_words_R3(text: str) -> None:
    assert asks_to_stop(prepare(text))
    assert Meaning.STOP in word_cues(prepare(text))


@pytest.mark.rule("R3")
@pytest.mark.parametrize(
    "text",
    [
        "when will the interest stop?",
        "I want to stop paying interest",
        "can the late fees stop",
        "bus stop",
        "non-stop calls",
        "my TD bank account",
        "td ameritrade",
    ],
)
def test_stop_inside_a_sentence_is_not_an_opt_out_R3(text: str) -> None:
    assert not asks_to_stop(prepare(text))


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
def test_ordinary_answers_carry_no_cue_and_no_crisis(text: str) -> None:
    assert word_cues(prepare(text)) == frozenset()
    assert not crisis_words(prepare(text))


# ---- how a word list becomes a pattern ----


def test_words_match_english_as_whole_words_and_chinese_anywhere() -> None:
    pattern = words_pattern(("agent", "e-mail", "人工"))
    assert pattern.search("i want an agent")
    assert pattern.search("搵個agent")
    assert not pattern.search("agency fee")
    assert not pattern.search("reagent")
    assert pattern.search("send an e-mail")
    assert not pattern.search("re-mail it")
    assert pattern.search("转人工")
    assert pattern.search("please人工")
    assert pattern.fullmatch("人工")


def test_words_are_matched_on_folded_text() -> None:
    # The message is folded before matching ("Don't" reads as "dont", "轉" as "转"),
    # so are the words.
    pattern = words_pattern(("Don't call", "轉人工"))
    assert pattern.search("dont call me")
    assert not pattern.search("don't call me")
    assert pattern.search("转人工")


def test_signs_match_anywhere_and_numbers_as_whole_numbers() -> None:
    pattern = words_pattern(("?", "12378"))
    assert pattern.search("what?")
    assert pattern.search("call 12378")
    assert pattern.search("打12378投诉")
    assert not pattern.search("112378")


def test_a_word_list_without_english_words_matches_only_its_own_words() -> None:
    pattern = words_pattern(("转人工", "真人"))
    assert pattern.search("hello") is None
    assert pattern.search("你好") is None
    assert pattern.search("转人工pls") is not None
    assert isinstance(pattern, re.Pattern)
