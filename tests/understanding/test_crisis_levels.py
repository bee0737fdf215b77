"""R12, issue 30: sure, possible or no crisis, and "I'm safe".

The issue's own examples (found later, so training lines and lexicon cases now),
in every language: quiet farewells are at least possible, intensifier idioms
with no other sign are none, an idiom beside strain is possible.
"""

from __future__ import annotations

from datetime import date

import pytest

from bot.understanding import CrisisLevel, crisis_of, is_crisis, prepare, understand
from bot.understanding.crisis import crisis_level, words_level
from bot.understanding.labels import Meaning
from bot.understanding.model import IntentModel
from bot.understanding.quiet import says_safe, strain_idiom, without_idioms
from bot.understanding.understand import classify

QUIET = (
    "what's the point of a payment plan. I don't plan on seeing march",
    "我走了以后，这笔钱会不会找我爸妈要？我已经不打算看到明年了",
    "不重要了，我已经跟所有人告别了",
    "核對嚟做咩，我已經決定咗同呢個世界講再見",
    "多少都沒差，我應該活不到下個月了",
    "nothing matters anymore",
    "after I'm gone who pays this",
    "I've given up on everything",
)
IDIOMS = (
    "150, anything more would kill my budget",
    "yes, set it up, I'm dying to have this behind me",
    "this fee is killing me",
    "my dad would kill me if he found out",
    "两千五，再多我就要饿死了",
    "好的确认，早点搞定我就不用天天愁死了",
    "我妈要是知道我欠钱会打死我的",
    "好呀，快啲搞掂佢，煩到死",
    "笑死，你哋個機械人",
    "昨晚看的电视剧里男主角跳楼了，太狗血了",
    "that movie where he jumps off a bridge was wild",
    "my phone is almost dead, ill reply later",
    "我想看繁体的",
)
SURE = ("I want to end my life", "我不想活了", "我想自殺", "i bought a rope today")


@pytest.mark.rule("R12")
@pytest.mark.parametrize("text", QUIET)
def test_r12_farewells_and_giving_up_are_at_least_possible(text: str, model: IntentModel) -> None:
    assert crisis_of(text, model=model) is not CrisisLevel.NONE
    assert classify(text, model=model) is Meaning.CRISIS


@pytest.mark.rule("R12")
@pytest.mark.parametrize("text", QUIET[:5])
def test_r12_the_issues_quiet_farewells_are_found_by_the_words_alone(text: str) -> None:
    assert words_level(prepare(text)) is CrisisLevel.POSSIBLE


@pytest.mark.rule("R12")
@pytest.mark.parametrize("text", IDIOMS)
def test_r12_an_idiom_with_no_other_sign_is_no_crisis(text: str, model: IntentModel) -> None:
    assert crisis_of(text, model=model) is CrisisLevel.NONE
    assert not is_crisis(text, model=model)
    assert classify(text, model=model) is not Meaning.CRISIS


@pytest.mark.rule("R12")
@pytest.mark.parametrize("text", SURE)
def test_r12_a_wish_to_die_or_a_method_is_sure(text: str, model: IntentModel) -> None:
    assert crisis_of(text, model=model) is CrisisLevel.SURE
    assert is_crisis(text, model=model)


@pytest.mark.rule("R12")
@pytest.mark.parametrize(
    "text", ["this debt is killing me, I'm so alone", "愁死了，我真的受不了", "煩到死，冇人理我"]
)
def test_r12_an_idiom_beside_strain_is_possible(text: str) -> None:
    assert words_level(prepare(text)) is CrisisLevel.POSSIBLE


def test_idioms_are_taken_out_and_said() -> None:
    stripped, found = without_idioms("this fee is killing me")
    assert found and "killing" not in stripped and stripped.startswith("this")
    assert without_idioms("i want to pay") == ("i want to pay", False)


@pytest.mark.rule("R12")
def test_r12_the_model_alone_makes_a_crisis_possible_never_sure() -> None:
    message = prepare("something the words do not know at all")
    assert crisis_level(message, lambda _: 0.99) is CrisisLevel.POSSIBLE
    assert crisis_level(message, lambda _: 0.2) is CrisisLevel.POSSIBLE
    assert crisis_level(message, lambda _: 0.19) is CrisisLevel.NONE
    # Too short for the model to judge.
    assert crisis_level(prepare("ok"), lambda _: 0.9) is CrisisLevel.NONE


@pytest.mark.rule("R12")
@pytest.mark.parametrize(
    "text",
    [
        "what's the point of the late fee?",
        "ok I'm done, thanks",
        "I can't see myself paying that",
        "这笔费用根本不存在",
        "我放弃了这个方案",
        "都安排好了，下周付款",
        "好，我走了",
    ],
)
def test_r12_everyday_words_beside_the_farewell_words_are_no_sign(text: str) -> None:
    assert words_level(prepare(text)) is CrisisLevel.NONE


@pytest.mark.rule("R12")
def test_r12_the_model_reads_the_message_without_its_idioms() -> None:
    seen: list[str] = []

    def chance(probe: object) -> float:
        seen.append(getattr(probe, "folded", ""))
        return 0.0

    crisis_level(prepare("this fee is killing me, i can't keep up with the payments"), chance)
    assert seen and "killing" not in seen[0] and "payments" in seen[0]


@pytest.mark.rule("R12")
@pytest.mark.parametrize("text", ["昨晚那集男主死了 哭死我了", "this fee is killing me", "饿死了"])
def test_r12_a_message_made_mostly_of_idioms_is_not_left_to_the_model(text: str) -> None:
    """What idioms leave ("昨晚 了") is too little to judge: even a model sure of crisis
    is not asked, and the words alone say no crisis."""
    asked: list[str] = []

    def certain(probe: object) -> float:
        asked.append(getattr(probe, "folded", ""))
        return 1.0

    assert crisis_level(prepare(text), certain) is CrisisLevel.NONE
    assert asked == []


@pytest.mark.rule("R12")
@pytest.mark.parametrize(
    "text",
    [
        "yes I'm ok",
        "I'm fine",
        "im safe",
        "我没事",
        "冇事",
        "我沒事，放心",
        "ok really, thanks",
        "冇事啦，唔使担心",
    ],
)
def test_r12_a_clear_fine_answer_says_safe(text: str) -> None:
    assert says_safe(prepare(text))


@pytest.mark.rule("R12")
@pytest.mark.parametrize(
    "text",
    [
        "I'm not ok",
        "no",
        "不好",
        "唔ok",
        "I don't know",
        "I'm fine, I've said goodbye to everyone",
        "I'd rather book a call",
        "good question",
    ],
)
def test_r12_anything_else_is_not_a_safe_answer(text: str) -> None:
    assert not says_safe(prepare(text))


@pytest.mark.rule("R11")
@pytest.mark.parametrize(
    ("text", "strain"),
    [
        ("150, anything more would kill my budget", True),
        ("this fee is killing me", True),
        ("两千五，再多我就要饿死了", True),
        ("好呀，快啲搞掂佢，煩到死", True),
        ("my dad would kill me if he found out", False),
        ("笑死，你哋個機械人", False),
        ("yes, set it up, I'm dying to have this behind me", False),
    ],
)
def test_r11_an_idiom_of_money_strain_is_noticed_as_hardship(
    text: str, strain: bool, model: IntentModel
) -> None:
    assert strain_idiom(prepare(text).folded) is strain
    if strain:
        found = understand(text, locale="en", today=date(2026, 11, 30), model=model)
        assert found.hardship and found.crisis_level is CrisisLevel.NONE


@pytest.mark.parametrize(
    "text",
    [
        "朝早唔好搵我",
        "返工時間唔好搵我",
        "週末唔好搵我",
        "上班时间别找我",
        "早上十点前别找我",
        "晚上不要打扰我",
    ],
)
def test_quiet_times_asked_for_are_no_crisis(text: str, intent_model: IntentModel) -> None:
    """R4's own examples ("朝早唔好搵我": not in the mornings) read as a farewell to
    the model ("唔好搵我" also ends a goodbye); with a time named they are quiet times."""
    assert crisis_of(text, model=intent_model) is CrisisLevel.NONE


@pytest.mark.parametrize("text", ["唔好搵我，我要走", "晚上别找我了，我不会再在了"])
def test_a_farewell_with_dont_contact_me_stays_possible(
    text: str, intent_model: IntentModel
) -> None:
    assert crisis_of(text, model=intent_model) is not CrisisLevel.NONE
