"""R12, issue 30: the classes round 4 missed, checked with fresh sentences of their own.

Round 4 (now in data/nlu/dev/) found intensifier idioms and everyday wording read as a
sure crisis (不得好死, 死活, 死都會…轉, 卡死, 死差, 害死人, 了斷這件事, 攞咗我條命,
收入撐不住, 解脫 beside a debt paid off, "end this back and forth") or as a possible one
("my wallet is dead", "crashing to death", a show where everyone dies, skydiving), and
quiet farewells read as nothing: affairs left tidy for the family, a letter or an
envelope for a relative, "the last thing before I go", "gone before the next payment",
sorry passed on to whoever handles the account, nobody left to pay, 安心走, a night on a
rooftop. These sentences are none of round 4's: they check the class, not the line.
"""

from __future__ import annotations

import pytest

from bot.understanding import CrisisLevel, crisis_of, prepare
from bot.understanding.crisis import words_level
from bot.understanding.labels import Meaning
from bot.understanding.model import IntentModel
from bot.understanding.understand import classify

# Oaths, 死 as "very" or "stuck", a matter settled, money that cannot hold out, relief
# at a debt paid off, things that are "dead", sport and stories: no sign by the words.
IDIOMS = (
    "骗你的话我不得好死，周三一定转",
    "不管死活，月底前都会先还三百",
    "死都要喺月尾前過兩千過去",
    "网银又卡死了，还能怎么付",
    "呢度收訊死差，遲啲覆你",
    "多扣我一百，真系害死人",
    "下周全部还清，彻底了断这笔债",
    "快啲了結佢啦，我唔想再諗",
    "呢期供款真係攞咗我半條命",
    "生意顶唔顺，可唔可以分期",
    "家里收入快撑不住了，能少还点吗",
    "总算解脱了，贷款全部还清",
    "my savings account is basically dead until the 15th",
    "business has been dead all month, can i pay less",
    "the office is dead quiet today",
    "the banking app keeps freezing to death on my phone",
    "that film ends with everybody dead, wild",
    "my cousin went skydiving for a cancer charity",
    "let's end this back and forth, i'll pay friday",
)
# Quiet farewells: at least a possible crisis by the words alone.
FAREWELLS = (
    "i'll be gone long before the first installment",
    "this is the last bit of admin before i leave for good",
    "i've got a plan and a date now",
    "leaving everything in order for my wife",
    "my brother will need these details afterwards",
    "i don't have many weeks left in me",
    "tell the collections team i'm sorry",
    "just give me the balance so i can write it in the note",
    "who deals with the loan after my funeral",
    "生日我填了，反正以后也用不上了",
    "我走了以后，爸妈就少了一个负担",
    "替我同收數嗰位講聲對唔住",
    "这张卡的密码我写好了，放在信封里留给我弟",
    "今晚寫咗封信俾老公，以防萬一",
    "到時都冇人會供呢筆數",
    "走之前最后一件事就是处理这笔",
    "搞完呢樣我就安心上路",
    "以後唔會再煩你哋喇",
    "這些資料之後我家人辦手續要用",
)
SURE = ("我在天台坐了一整晚", "琴晚喺頂層企咗好耐")
# Everyday wording beside the new signs: nothing.
EVERYDAY = (
    "我住顶楼，信号不好",
    "what do i put in the note field of the transfer",
    "put the reference in the note field please",
    "ill be gone on holiday next week, can i pay after",
    "帮我跟客服说一下我改了电话",
    "出国前最后一件事是把这笔还清",
    "以后用不到这张卡了，可以注销吗",
    "thanks, i'll sort it out before i go to work",
)
# The everyday meanings round 4 misread, in other words: what they mean.
MEANINGS = (
    ("alright, that's all from me, bye bye", Meaning.OFF_TOPIC),
    ("终于供完了，再也不欠钱，爽", Meaning.OFF_TOPIC),
    ("wait, am i texting a machine", Meaning.OFF_TOPIC),
    ("你係咪真人嚟㗎定係電腦", Meaning.OFF_TOPIC),
    ("which options do i have here", Meaning.HELP),
    ("唔要呢個，仲有冇第二啲", Meaning.DECLINE),
    ("可唔可以用信用卡俾", Meaning.HOW_TO_PAY),
    ("can you talk cantonese", Meaning.LANGUAGE),
)


@pytest.mark.rule("R12")
@pytest.mark.parametrize("text", IDIOMS)
def test_r12_round4_idiom_classes_are_no_sign_by_the_words(text: str, model: IntentModel) -> None:
    assert words_level(prepare(text)) is CrisisLevel.NONE
    assert crisis_of(text, model=model) is not CrisisLevel.SURE


@pytest.mark.rule("R12")
@pytest.mark.parametrize("text", FAREWELLS)
def test_r12_round4_farewell_classes_are_at_least_possible_by_the_words(
    text: str, model: IntentModel
) -> None:
    assert words_level(prepare(text)) is not CrisisLevel.NONE
    assert classify(text, model=model) is Meaning.CRISIS


@pytest.mark.rule("R12")
@pytest.mark.parametrize("text", SURE)
def test_r12_a_long_while_on_a_rooftop_is_sure(text: str) -> None:
    assert words_level(prepare(text)) is CrisisLevel.SURE


@pytest.mark.rule("R12")
@pytest.mark.parametrize("text", EVERYDAY)
def test_r12_everyday_words_beside_the_round4_signs_are_no_sign(text: str) -> None:
    assert words_level(prepare(text)) is CrisisLevel.NONE


@pytest.mark.parametrize(("text", "meaning"), MEANINGS)
def test_round4_everyday_classes_are_read_for_what_they_mean(
    text: str, meaning: Meaning, model: IntentModel
) -> None:
    assert classify(text, model=model) is meaning


# A word that is a sign only sometimes (a place, a thing that can be a method, a goodbye,
# strain, a bare 死): alone it makes a crisis possible, never sure.
SOMETIMES = (
    "thinking about the bridge a lot lately",
    "i have a drawer full of pills",
    "it's my last night",
    "i can't go on like this",
    "我最近常去河边",
    "再见了各位",
    "我真的撑不住了",
    "我要走了",
    "佢哋冇咗我會點",
)
# The same words in everyday wording: no sign at all.
SOMETIMES_EVERYDAY = (
    "the bridge toll ate my budget this week",
    "my prescriptions cost more than the loan",
    "tomorrow is my last day at the shop, payday is friday",
    "you took it without notice",
    "今天是最后一天还款吗",
    "没有我的签名，这个不算",
    "煤气费都快交不起了",
    "我要走了，下次再聊",
    "呢期月供真係頂唔順",
    "我死都唔會認呢筆數",
)
# The strong forms stay sure: a method with its verb, a wish, 死 said alone.
STRONG = (
    "i bought a rope",
    "i took all my sleeping pills",
    "going to jump off the flyover",
    "我想从阳台跳下去",
    "死",
)


@pytest.mark.rule("R12")
@pytest.mark.parametrize("text", SOMETIMES)
def test_r12_a_sometimes_sign_alone_is_possible_not_sure(text: str) -> None:
    assert words_level(prepare(text)) is CrisisLevel.POSSIBLE


@pytest.mark.rule("R12")
@pytest.mark.parametrize("text", SOMETIMES_EVERYDAY)
def test_r12_a_sometimes_sign_in_everyday_wording_is_no_sign(text: str) -> None:
    assert words_level(prepare(text)) is CrisisLevel.NONE


@pytest.mark.rule("R12")
@pytest.mark.parametrize("text", STRONG)
def test_r12_a_method_with_its_verb_is_still_sure(text: str) -> None:
    assert words_level(prepare(text)) is CrisisLevel.SURE
