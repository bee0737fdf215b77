"""R12, issue 30: a method, a wish or a plan is a sure crisis; a word that is a sign only
sometimes is a possible one; the same words in everyday wording are none.

One class, every round (rounds 3 to 9, now dev), checked with fresh sentences
of its own, none of a round's lines nor of the training lines.
"""

from __future__ import annotations

import pytest

from bot.understanding import CrisisLevel, prepare
from bot.understanding.crisis import words_level

# Sure by the words alone: paying with one's life (round 3), a long while on a rooftop
# (round 4), a method with its verb (round 4), a method looked up (round 6: how many
# tablets it takes, a lethal dose, how high a floor, 食幾多粒先夠, 致死量), a wish not to wake
# (round 6: 希望明天別醒過來).
SURE = (
    "只能用我的命去还了",
    "這筆債我拿命來償",
    "i'll pay it back with my life",
    "我在天台坐了一整晚",
    "琴晚喺頂層企咗好耐",
    "i bought a rope",
    "i took all my sleeping pills",
    "going to jump off the flyover",
    "我想从阳台跳下去",
    "死",
    "searched how many painkillers it would take",
    "whats a lethal dose of paracetamol",
    "how high does a building have to be to not survive",
    "looking up a painless way to go",
    "查緊要食幾多粒先會唔醒",
    "吃多少片才够",
    "网上查致死量",
    "几楼跳下去才会死",
    "查了一晚怎样上吊",
    # a wish not to wake (round 6)
    "好希望今晚瞓着就唔好再醒",
    "i hope i dont wake up tomorrow",
    # self-harm said plainly, and a painkiller's dose asked for its harm (round 8)
    "been cutting again since the letters started coming",
    "relapsed and started cutting, cant cope with this debt",
    "扑热息痛一次吞多少片会中毒",
    "安眠藥一次食幾多粒會出事",
    # a roof named as one's own building (round 6, missed once the model grew)
    "sitting on the roof of our block, thinking",
    # no point in being alive, as Cantonese and Mandarin say it (round 8)
    "成日諗做人仲有乜意思",
    "我真的觉得做人还有什么意思",
    # a whole bottle or box taken without naming pills (round 7's, found by the model alone)
    "going to swallow the whole packet after work",
    "成盒安眠藥食晒佢",
    "一整瓶药吃下去就好了",
    # "rather die than" living on, and killing oneself with a method, beside round 9's idioms
    "i'd rather die than face another year of this",
    "i'd rather die than go through another winter like this",
    "thinking of killing myself with the pills in the drawer",
    # other verbs for the same act
    "i want to murder myself",
    "might just top myself tonight",
    "我真系想弄死我自己",
)
# Possible, never sure: a place, a thing that can be a method, a goodbye, strain, a bare
# 死 (round 4); a denial (round 3); tablets or a quantity left open (round 6).
POSSIBLE = (
    "thinking about the bridge a lot lately",
    "i have a drawer full of pills",
    "it's my last night",
    "i can't go on like this",
    "我最近常去河边",
    "再见了各位",
    "我真的撑不住了",
    "我要走了",
    "佢哋冇咗我會點",
    "i'm not suicidal, just tired of the calls",
    "我不是想轻生，就是压力大",
    "got a whole box of tablets saved up",
    "how many would it take?",
    "屋企仲有几多粒",
)
# The same words in everyday wording: no sign at all.
EVERYDAY = (
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
    "how many months would it take to clear 900",
    "the gas bill came in too high",
    # cutting back, a normal dose (round 8's neighbours)
    "started cutting back on takeaways to pay you",
    "been cutting costs again so i can pay on the 12th",
    "布洛芬一天可以吃几次，牙疼得厉害",
    "working on the roof all week so i can pay the 300 friday",
    # a whole bottle of a drink (round 9's neighbours)
    "downed a whole bottle of water after the gym",
    "昨晚飲咗成樽紅酒，頭痛",
    "took the day off myself to sort the payment",
    "i'd rather die than go to court over a parking fine",
)


@pytest.mark.rule("R12")
@pytest.mark.parametrize("text", SURE)
def test_r12_a_method_a_plan_or_paying_with_ones_life_is_sure(text: str) -> None:
    assert words_level(prepare(text)) is CrisisLevel.SURE


@pytest.mark.rule("R12")
@pytest.mark.parametrize("text", POSSIBLE)
def test_r12_a_sometimes_sign_or_a_denial_is_possible_not_sure(text: str) -> None:
    assert words_level(prepare(text)) is CrisisLevel.POSSIBLE


@pytest.mark.rule("R12")
@pytest.mark.parametrize("text", EVERYDAY)
def test_r12_a_sometimes_sign_in_everyday_wording_is_no_sign(text: str) -> None:
    assert words_level(prepare(text)) is CrisisLevel.NONE
