"""R12, issue 30: intensifier idioms and everyday death words are no sign of crisis.

One class, every round: each held-out round (now in data/nlu/dev/) found idioms and everyday
wording read as a crisis, and each is checked here with fresh sentences of its own, none of
a round's lines nor of the training lines: the tables check the class, not the line. The
words alone find no sign in them, and the model never makes one sure.
"""

from __future__ import annotations

import pytest

from bot.understanding import CrisisLevel, crisis_of, prepare
from bot.understanding.crisis import crisis_level, words_level
from bot.understanding.model import IntentModel
from bot.understanding.quiet import without_idioms

# Round 3: 死都會還, 救咗我條命, 蠢到死, 頭都大, 半死, 丟臉死, 要我命, 窮死, "dead certain",
# "financial suicide".
ROUND3 = (
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
# Round 4: oaths, 死 as "very" or "stuck", a matter settled, money that cannot hold out,
# relief at a debt paid off, things that are "dead", sport and stories.
ROUND4 = (
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
# Round 5: 死 and "dead" in an app, a game, a joke or an oath.
ROUND5 = (
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
# Round 6: a life "saved" by a plan, "even if it kills me", a debt "dead and buried", done
# with the lender, heat "to death", coming back to life on payday; 得要死, 暈死, 死胡同,
# a dead link, a refusal or an oath on one's life, a series episode, dancing, a game
# character 掛了, a debt that 逼死人, messages one cannot stand, a matter 到此為止, a relative's
# death told as the reason money ran out, relief beside a debt paid off. And the issue's
# own: "this fee is killing me", 愁死, 笑死, 攰到死.
ROUND6 = (
    "a lower monthly amount would honestly save my life",
    "you guys are lifesavers for this plan",
    "ill find the 200 by friday even if it kills me",
    "lets get this loan dead and buried, paying it all off",
    "cleared it today, so done with you lot for good",
    "its roasting to death in this office",
    "payday on the 30th, thats when i come back to life",
    "this fee is killing me",
    "这个月房租贵得要死 能少还一点吗",
    "这些选项看得我头晕死了",
    "呢個計劃係死胡同 有冇第二個",
    "付款链接死咗 点算",
    "分十二期？死都唔要",
    "打死都不会赖账 周五一定还",
    "发工资那天我就活过来了 到时候还",
    "今集女主死咗 喊到我",
    "我去跳街舞先 陣間覆你",
    "打游戏我的英雄又挂了",
    "这笔债真是逼死人 能分期吗",
    "我真係頂唔順你哋啲短訊 唔好再send",
    "电话短信都到此为止吧 别再联系了",
    "奶奶上个月过世了 办完丧事手头很紧",
    "全部还清了 彻底了结 开心",
    "愁死了 这个月又超支",
    "笑死 你们这个提示写错字了",
    "攰到死 收工先過數",
    "这部剧又是一哭二闹三上吊 看腻了",
)


# Round 7: a goodbye that ends only the chat (beside an opt-out or a debt paid off), a thing
# that is "dead" (an app, an offer, a payment service that hangs), jumping into something
# everyday or as a sport, killed in a game, a plan ended, 死 in a proverb or as "come what
# may", "very" as 快死掉, a series where someone dies, a grandparent's funeral as hardship.
ROUND7 = (
    "unsubscribe. bye forever",
    "stop the texts, goodbye for good",
    "cleared the last bit today, bye forever lol",
    "this app is dead useless",
    "that offer is dead, forget it",
    "brb jumping in the shower",
    "cliff diving is on tv tonight",
    "killed again in the first round of the game, im done with this game",
    "yes end the current plan and set up the new one",
    "以后别给我发了，就到这里吧",
    "终于缴清了！我自由了",
    "终于还清了，跟你们说拜拜",
    "死马当活马医，就选这个方案",
    "转数快又死咗机，点俾钱",
    "房贷压力大得快死掉了，能不能缓一缓",
    "这集电视剧女主又死了，好假",
    "阿嬤過世，回老家辦後事，請了一週假",
    "得，就咁話，死就死啦",
    "好，死就死，就揀呢個",
    "網銀好似死咗機，仲有咩方法俾錢",
    "唔好再send嘢俾我，拜拜",
)


# Round 9 (and round 8's sure alarms): "rather die than" anything but living on, killing
# oneself with an effort or a tool, a chore that makes one "want to die" (講到想死), you or an
# app wanting me dead, "dead on my feet", "dead on 320", a dead brain, "killed it", the debt
# ended by paying, done with a bank, gone on a work trip, goodbye before a holiday; oaths
# (死也不会, 宁死不, 拼死), an amount that would kill me, a dying phone, goodbye said to a debt,
# plants that died, 冤死, 今天台风.
ROUND9 = (
    "paid it on the 3rd, i'd rather die than be late again haha",
    "i'd rather die than queue at that branch again",
    "killing myself with overtime so i can pay this off",
    "worked myself to death this month, can i pay on friday",
    "are you trying to kill me with these fees",
    "this app wants me dead, it logged me out again",
    "dead on my feet after a double shift, ill reply tomorrow",
    "yep its dead on 320",
    "my brain is totally dead today, what was the amount again",
    "smashed it at my interview, can pay more next month",
    "let me pay 300 now to end this nightmare",
    "im done with this bank, put me through to complaints",
    "ill be gone for a few days on a work trip, can we push it",
    "goodbye everyone, off on holiday till the 9th",
    "一讲电话就等到我想死，有没有网上办理",
    "打字打到想死，可以语音吗",
    "死也不会再拖了，这次一定准时",
    "宁死不签这个协议",
    "拼死也要这个月还清",
    "还这么多我真的会死，能不能少点",
    "手机没电了，快死了，晚点聊",
    "终于跟这笔网贷说拜拜了",
    "我家的盆栽全死了",
    "冤枉死了，我明明按时付了",
    "明天台风，银行开门吗",
)


@pytest.mark.rule("R12")
@pytest.mark.parametrize(
    "text",
    [
        pytest.param(text, id=f"{name}-{index}")
        for name, table in (
            ("r3", ROUND3),
            ("r4", ROUND4),
            ("r5", ROUND5),
            ("r6", ROUND6),
            ("r7", ROUND7),
            ("r9", ROUND9),
        )
        for index, text in enumerate(table)
    ],
)
def test_r12_an_idiom_is_no_sign_by_the_words_and_never_sure(text: str, model: IntentModel) -> None:
    assert words_level(prepare(text)) is CrisisLevel.NONE
    assert crisis_of(text, model=model) is not CrisisLevel.SURE


def test_r12_a_life_idiom_needs_someone_elses_measure_not_a_wish() -> None:
    """ "要我命" (too much for me) is an idiom; "不想要命了" (I don't want my life) is not
    taken out, nor is "用命來還" (paying with one's life)."""
    assert without_idioms(prepare("再多就要我命了").folded)[1]
    assert not without_idioms(prepare("我不想要命了").folded)[1]
    assert not without_idioms(prepare("只好用命來還").folded)[1]


@pytest.mark.rule("R12")
@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("我爸上周走了，我走了以后谁来还", "以后"),
        ("全部还清了，我也不想活了", "不想活"),
        ("this fee is killing me and i cant see a way out", "way out"),
        # Round 7: an opt-out takes out the goodbye, not a sign beside it.
        ("unsubscribe. bye forever, there is no point in living", "point in living"),
        ("别再发了，拜拜，反正我也活不到下个月", "活不到"),
        # Round 7: a dead app beside worthlessness said of oneself.
        ("the app is dead and im so worthless", "worthless"),
        # Round 9: the last message to the lender is taken out, not a sign beside it.
        ("opt me out, this is my last message, i cant go on", "cant go on"),
        # ... and only a last message said to the lender: one not addressed keeps its sign.
        ("sorry mum, this was my last message, stop the texts", "last message"),
        ("这是我最后一条信息了，别再联系我", "最后一条"),
        # ... and an idiom of "very" or an oath keeps the wish or the sign beside it.
        ("电话没电了，我想死", "想死"),
        ("我死都唔會有人理", "有人理"),
        ("goodbye everyone, im going away", "goodbye everyone"),
    ],
)
def test_r12_the_words_beside_an_idiom_still_count(text: str, kept: str) -> None:
    """Only the idiom is taken out: a sign beside it is still read."""
    assert kept in without_idioms(prepare(text).folded)[0]
    assert words_level(prepare(text)) is not CrisisLevel.NONE


def test_r12_what_is_left_of_an_idiom_is_no_likelier_a_crisis_than_the_whole() -> None:
    """Round 7: taking a chat-ending goodbye or a quiet time out can leave a fragment the
    model alone would read as a farewell; the model's chance is the lower of the two."""
    text = "cleared the last bit today, thats me done with you lot"
    whole = prepare(text)
    assert without_idioms(whole.folded)[1]

    def chance(probe: object) -> float:
        # A model that reads the fragment as a farewell and the whole message as not one.
        return 0.1 if probe is whole else 0.9

    assert crisis_level(whole, chance) is CrisisLevel.NONE
