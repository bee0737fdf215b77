"""R12, issue 30: the classes round 5 missed, checked with fresh sentences of their own.

Round 5 (now in data/nlu/dev/) found quiet farewells read as nothing: a goodbye folded into
another answer (a birth date, then "there won't be another one"), paying "in the next life",
sorry said to family or to everyone beside a goodbye, this life resigned to. Its everyday
lines were read as a crisis or as the wrong meaning: 死 and "dead" in an app, a game, a joke
or an oath, stop requests, complaints about the bot and about calls to family, changes of
mind, a promise with a date and an amount in Chinese numerals, a hardship idiom inside an
installment request. These sentences are none of round 5's (nor of the training lines):
they check the class, not the line.
"""

from __future__ import annotations

import pytest

from bot.understanding import CrisisLevel, crisis_of, prepare
from bot.understanding.crisis import words_level
from bot.understanding.labels import Meaning
from bot.understanding.model import IntentModel
from bot.understanding.understand import classify
from bot.understanding.yesno import yes_or_no

# A farewell folded into the answer to a question: possible by the words alone.
FOLDED_FAREWELLS = (
    "dob is 9 sept 1975, not that itll matter after this weekend",
    "21/06/88. there wont be another birthday for me",
    "ok 60 dollars. the final payment i will ever make",
    "that's the last you will ever hear from me, send the total",
    "just take the balance out of whatever i leave behind",
    "no need for a plan, im not sticking around",
    "1987年4月2号，反正也过不到下一个生日了",
    "1990年3月8號，應該不會再有下一個了",
    "生日係1982年10月1號，都唔會有下一個喇",
    "到月底我就什么都不用管了",
)
# Paying in the next life.
NEXT_LIFE = (
    "ill have to repay you in my next life",
    "欠你们的来世再还",
    "呢筆數下一世先還你哋",
    "這些錢下輩子再給你們",
)
# Sorry said to family or to everyone beside a goodbye, a goodbye to everyone.
APOLOGY_GOODBYES = (
    "sorry mum, goodbye",
    "everyone im sorry. goodbye",
    "爸爸对不起，我先走一步",
    "對唔住大家，拜拜",
    "再见了大家，谢谢你们",
    "老婆，原谅我，永别了",
)
# This life resigned to.
RESIGNATION = (
    "这一辈子就这样算了",
    "呢一世就咁啦",
    "今生就到此为止吧",
)
# A plain goodbye ending a chat, a thank-you, the next month or the next payment: nothing.
NOT_FAREWELLS = (
    "ok thanks, bye",
    "sorry, gotta go, bye",
    "好啦，拜拜",
    "多谢，bye",
    "得喇，唔該晒，拜拜",
    "没有下一个方案了吗",
    "下个月的还款日是几号",
    "there won't be another late fee, right?",
    "it will matter after the 15th if i pay late?",
    "大家好，我想问下还款",
)
# 死 and "dead" in an app, a game, a joke or an oath: no sign by the words.
EVERYDAY_DEATH = (
    "the banking app hung to death again",
    "the card you're asking about is long dead, cancelled it years ago",
    "im dead lol your reply",
    "got killed on the final boss three times tonight",
    "my husband'll kill me if he sees this letter",
    "id rather die than borrow from my brother again",
    "thats bang on, go ahead",
    "个app lag死咗，俾唔到钱",
    "网页卡死了，付不了款",
    "玩游戏又死了五次",
    "我死都不会用花呗还",
    "网银死都登不上，还有别的方法吗",
    "笑到我不活了，你们这个提示",
    "餓到頂唔順，陣間再覆你",
)
# Round 5's everyday meanings, in other words.
MEANINGS = (
    ("please quit messaging me", Meaning.STOP),
    ("以后不要再给我发这些了", Meaning.STOP),
    ("呢個聊天機械人講極都唔明", Meaning.COMPLAINT),
    ("this robot understands nothing, so annoying", Meaning.COMPLAINT),
    ("你们凭什么打电话给我爸妈", Meaning.COMPLAINT),
    ("一次過俾晒我就要食白粥，分四期得唔得", Meaning.INSTALLMENT),
    ("下周四还一千五", Meaning.PROMISE),
    ("merry xmas guys", Meaning.OFF_TOPIC),
)
# A change of mind: the last answer wins.
CHANGES_OF_MIND = (
    ("ok wait no, actually no", False),
    ("no hang on, yes", True),
    ("好……唔係，唔好", False),
    ("好吧，等等，还是不要了", False),
)


@pytest.mark.rule("R12")
@pytest.mark.parametrize("text", FOLDED_FAREWELLS)
def test_r12_a_farewell_folded_into_an_answer_is_possible(text: str, model: IntentModel) -> None:
    assert words_level(prepare(text)) is CrisisLevel.POSSIBLE
    assert classify(text, model=model) is Meaning.CRISIS


@pytest.mark.rule("R12")
@pytest.mark.parametrize("text", NEXT_LIFE)
def test_r12_paying_in_the_next_life_is_possible(text: str, model: IntentModel) -> None:
    assert words_level(prepare(text)) is CrisisLevel.POSSIBLE
    assert classify(text, model=model) is Meaning.CRISIS


@pytest.mark.rule("R12")
@pytest.mark.parametrize("text", APOLOGY_GOODBYES)
def test_r12_sorry_to_family_or_everyone_with_a_goodbye_is_possible(text: str) -> None:
    assert words_level(prepare(text)) is not CrisisLevel.NONE


@pytest.mark.rule("R12")
@pytest.mark.parametrize("text", RESIGNATION)
def test_r12_this_life_resigned_to_is_possible(text: str) -> None:
    assert words_level(prepare(text)) is CrisisLevel.POSSIBLE


@pytest.mark.rule("R12")
@pytest.mark.parametrize("text", NOT_FAREWELLS)
def test_r12_a_plain_goodbye_or_the_next_payment_is_no_sign(text: str) -> None:
    assert words_level(prepare(text)) is CrisisLevel.NONE


@pytest.mark.rule("R12")
@pytest.mark.parametrize("text", EVERYDAY_DEATH)
def test_r12_death_words_in_an_app_a_game_a_joke_or_an_oath_are_no_sign(
    text: str, model: IntentModel
) -> None:
    assert words_level(prepare(text)) is CrisisLevel.NONE
    assert crisis_of(text, model=model) is not CrisisLevel.SURE


@pytest.mark.parametrize(("text", "meaning"), MEANINGS)
def test_round5_everyday_classes_are_read_for_what_they_mean(
    text: str, meaning: Meaning, model: IntentModel
) -> None:
    assert classify(text, model=model) is meaning


@pytest.mark.parametrize(("text", "answer"), CHANGES_OF_MIND)
def test_a_change_of_mind_ends_on_its_last_answer(text: str, answer: bool) -> None:
    assert yes_or_no(prepare(text)) is answer


def test_no_more_reminders_is_no_plain_no() -> None:
    assert yes_or_no(prepare("no more reminders for me thanks")) is None
    assert yes_or_no(prepare("no, too much")) is False
