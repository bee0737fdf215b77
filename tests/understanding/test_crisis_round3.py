"""R12, issue 30: the classes round 3 missed, checked with fresh sentences of their own.

Round 3 (now in data/nlu/dev/) found intensifier idioms read as a sure crisis
(死都會還, 救咗我條命, 蠢到死, 頭都大, 半死, 丟臉死, 要我命, 窮死, "dead certain",
"financial suicide") and farewells or giving up read as nothing (等唔到嗰日, 交代好了,
以後用不到錢, 捱唔過呢個冬天, 過多幾日就冇人聽, 用命來還, 保險受益人, "won't be my
problem much longer"). These sentences are none of round 3's: they check the
patterns hold for the class, not the line.
"""

from __future__ import annotations

import pytest

from bot.understanding import CrisisLevel, crisis_of, prepare
from bot.understanding.crisis import words_level
from bot.understanding.model import IntentModel
from bot.understanding.quiet import without_idioms

IDIOMS = (
    "客服慢得要死，我要投诉",
    "吓得我半死，还以为扣错钱了",
    "明天一定还，死都会还给你们",
    "這個app蠢到死，幫我轉人工",
    "一次還清會要了我的命，分三期吧",
    "你們真係救咗我條命，多謝晒",
    "條款睇到我頭都大",
    "上門催收，丟臉死人",
    "再多三百我就穷死了",
    "that fee is dead wrong, check your records",
    "dead certain i'll have it by friday",
    "paying 600 a month would be career suicide",
    "you're killing me with these calls, just email",
    "i'd die for an extra week",
    "stop texting, you're killing my battery",
    "your agent bored me to death",
)
FAREWELLS = (
    "選咩日都得，我諗我等唔到嗰陣",
    "下礼拜？我估计撑不过这个月",
    "分期就免了，我挨唔过圣诞",
    "身边的事我都交代完了",
    "以后都不需要钱了，随便填",
    "日期你定吧，很快就与我无关了",
    "过两天就没有人接电话了",
    "我把保单的受益人改好了",
    "put me down for any amount, it won't be my problem any more",
    "gave my cats to my sister this morning",
    "i've sorted out my affairs this weekend",
    "i won't need money where i'm going",
    "made my sister the beneficiary of my life insurance",
)
LIFE_AS_PAYMENT = (
    "只能用我的命去还了",
    "這筆債我拿命來償",
    "i'll pay it back with my life",
)
DENIALS = (
    "i'm not suicidal, just tired of the calls",
    "我不是想轻生，就是压力大",
)
EVERYDAY = (
    "我等不到你们回电，先挂了",
    "打了几天都没人接，什么服务",
    "that won't be a problem, thanks",
    "以后用不到这个账户了，可以销户吗",
    "i sorted my papers and found the receipt",
    "我的保險是公司買的",
)


@pytest.mark.parametrize("text", IDIOMS)
def test_r12_round3_idiom_classes_are_no_sign_by_the_words(text: str, model: IntentModel) -> None:
    assert words_level(prepare(text)) is CrisisLevel.NONE
    assert crisis_of(text, model=model) is not CrisisLevel.SURE


@pytest.mark.parametrize("text", FAREWELLS)
def test_r12_round3_farewell_classes_are_at_least_possible_by_the_words(
    text: str, model: IntentModel
) -> None:
    assert words_level(prepare(text)) is not CrisisLevel.NONE
    assert crisis_of(text, model=model) is not CrisisLevel.NONE


@pytest.mark.parametrize("text", LIFE_AS_PAYMENT)
def test_r12_paying_a_debt_with_ones_life_is_sure(text: str) -> None:
    assert words_level(prepare(text)) is CrisisLevel.SURE


@pytest.mark.parametrize("text", DENIALS)
def test_r12_a_denial_is_asked_about_never_a_sure_alarm(text: str) -> None:
    assert words_level(prepare(text)) is CrisisLevel.POSSIBLE


@pytest.mark.parametrize("text", EVERYDAY)
def test_r12_everyday_words_beside_the_new_signs_are_no_sign(text: str) -> None:
    assert words_level(prepare(text)) is CrisisLevel.NONE


def test_r12_a_life_idiom_needs_someone_elses_measure_not_a_wish() -> None:
    """ "要我命" (too much for me) is an idiom; "不想要命了" (I don't want my life) is not
    taken out, nor is "用命來還" (paying with one's life)."""
    assert without_idioms(prepare("再多就要我命了").folded)[1]
    assert not without_idioms(prepare("我不想要命了").folded)[1]
    assert not without_idioms(prepare("只好用命來還").folded)[1]
