"""R12, issue 30: the classes rounds 10 to 16 found, read by the words, in other words.

Round 10 (measured once, then dev) and round 11 showed two kinds of mistakes the words
can settle. Quiet signs the lexicon did not know: the account holder "gone", a plan that is
"a permanent one", 人都没了, a festival of the dead as a fitting day, 趁我还在, not being here
next month as the answer to an amount, a pet handed away, gone by the time the lender has
checked. And everyday idioms read as a possible crisis: giving up on a bank (死心), social
death (社死), a fake death in a drama, 早死早超生 at a yes, a plan paid "until I die", a debt
cut off (了断, 一刀两断, 两不相欠), a relative's or a friend's funeral, a boss who "doesn't kill
me", a "dead" account or card, a pet that died, a boss beaten in a game. Round 12 added
abuse reported from staff (a complaint, R15, never a sure crisis), a relative's death told
as the reason, memorials as dates, a character who dies in a story, and three farewells
folded into answers. Round 13: an executor paying, a letter left for family; dead ends, a
phone thrown in a lake, a borrower already dead written about by the family. Round 14:
medicine saved up (which a medicine-cost idiom had blanked), the borrower's death asked
about; a "dead" marriage, the end of one's rope, a pet that died or "went", a death
certificate sent, paying at once that "would kill me". Round 15: the last thing one will
ever sign, family spared calls "afterwards", dying that looks cheaper than paying, the
estate paying, paying in the next life, soon not my business, whoever finds me. Round 16:
knowing how one would do it, not coming back down from a hike, not seeing next month;
"wanting to die" of annoyance at a named cause is an idiom, while a wish to die said instead
of a payment stays a sure sign. None of these sentences is a line of any round: each class is
written again here.
"""

from __future__ import annotations

import pytest

from bot.understanding import CrisisLevel, prepare
from bot.understanding.crisis import words_level

SIGNS = (
    "if the account owner is no longer around, who do you send letters to",
    "the cardholder's gone by next week, sort out who gets the paperwork",
    "forget the instalments. i've got another plan now, a permanent one",
    "i've found a permanent way out of all of this",
    "i really don't plan on being here much longer, so pick any amount",
    "别给我算利息了，人都没了还谈什么还款",
    "號碼下個禮拜停用，人都冇咗",
    "就定在清明那天吧，挺合适的",
    "盂蘭節嗰日啱晒",
    "合同发过来我签，趁我还活着",
    "要簽嘅嘢快啲send嚟，趁我仲喺度",
    "月供唔使計喇，下星期我就唔喺度",
    "只猫我送咗俾表姐養",
    "昨晚跟家人好好告了个别",
    "你哋慢慢查啦，查完我都走咗",
    "thirty a month is fine, i'm not planning on being here past christmas anyway",
    "ok go ahead, that's the last job taken care of",
    "好，就这样，最后一件事总算搞定了",
    "退款的事等我走了再叫我哥去跟进",
    "book it for the 2nd, my executor will settle the rest",
    "i've left a letter for my daughter, she'll know what to do with the account",
    "我留咗封信俾老婆，數嘅事佢會處理",
    "安眠药攒够了，钱的事别找我爸妈",
    "what happens to the debt when the account holder dies? asking for this month",
    "呢個號碼之後冇人用喇，唔好再打",
    "ok sign me up, the last thing i'm ever going to agree to",
    "do not ring my wife after this week, she has enough on",
    "honestly dying sounds easier than paying this off",
    "what happens to the loan if someone dies at 30, does it go to their family",
    "确认吧，剩下的让我的遗产去还",
    "今世還唔到，落世先還俾你哋",
    "那笔手续费算了，很快就不关我的事了",
    "過咗今個月之後我乜都唔使",
    "别打给我妈，她过几天有得忙",
    "以后找到我的人应该会很麻烦吧",
    "話俾睇到呢個msg嘅人知，我已經盡力",
    "i've already worked out how i'll do it, so the plan doesn't matter",
    "twenty a month, not that i'm planning on being here long",
    "禮拜日上山，冇打算行返落嚟",
    "延期都冇用，明年我都見唔到",
    "那个费用你们慢慢查吧，估计我等不到你们了",
)
NO_SIGNS = (
    "charging me on a dead card is a joke, it was cancelled last year",
    "if my mum doesn't kill me for this i'll pay 200 on the 3rd",
    "want this loan dead and gone, what's the sort code",
    "rudest call centre i've dealt with in my life, i'm complaining",
    "the final payment goes out tonight, then we're square for good",
    "i'll send 90 on friday and live on instant noodles till payday",
    "how do i reset my pin, been going round in circles till i die lol",
    "ok lets end this headache, set the plan up",
    "i'm not planning on being here next month, i'm moving to leeds",
    "对这家银行的客服彻底死心了",
    "催收电话打到公司，我社死了",
    "剧里男主假死躲债，太扯了",
    "这周卷死了，下周二还300",
    "好，办吧，早死早超生",
    "呢個plan要供到我老，有冇短啲嘅",
    "把这笔贷款彻底了结，今天全部还清",
    "尾數過咗之後就同你哋一刀兩斷",
    "最後一期繳完，我們就兩不相欠",
    "我外公下週出殯，可以晚幾天繳嗎",
    "二十號係我同事嘅告別式，嗰日唔得",
    "隔壁的狗昨晚死了，我心情不好，还是周五还",
    "張卡死咗好耐，點解仲有年費",
    "追剧追到凌晨，终于打死个boss",
    "以前都是我太太交的，她走了之后我不知道转去哪",
    "这个户口到此为止，今天结清然后销户",
    "下个月我唔喺度，去台湾旅行",
    "周末出差，只狗交咗俾朋友照顧兩日",
    "清明节放假，我那天有空去银行",
    "the collector on the phone told me to go die, i want that on record",
    "one of your staff said to me i should just kill myself. complaint please",
    "my mums dead and dad can't read english, switch to chinese please",
    "the hero dies in the last episode, gutted, anyway hi",
    "the 12th, the day after the funeral",
    "i'll die of frustration, what does this bot do",
    "last £40 on the 1st, then i'm out of here",
    "你们的客服骂我怎么不去死，我要投诉",
    "收數佬話我不如去死，我要投訴",
    "这个还款计划简直要逼死我，换个别的",
    "我哥的后事处理完了，可以确认了",
    "猫咪前几天死了，能不能晚几天还",
    "那天参加完追思会就去转账",
    "旧号码不用了，已经换了新号",
    "死了老公还被你们天天骚扰，我要投诉",
    "applied everywhere, dead ends all round, i can't pay this month",
    "text me one more time and i'm chucking my phone in the river",
    "the account holder passed away in june, i'm his son, what do i do",
    "周日办完丧事，周二再还五百",
    "持卡人已經身故，家屬要點處理",
    "my career is basically dead since the layoff, can't pay in full",
    "honestly at the end of my tether with this app, what are the options",
    "our dog passed away on sunday, sorry for the late reply",
    "last thing i'm sorting tonight before bed, confirm it",
    "死亡证明上周寄过去了，那笔费用怎么还在",
    "我老伴走了以后家里的账我都不懂，从哪开始",
    "只貓前日走咗，心情唔好，遲啲先還",
    "一次性还清我真的会死，分六期吧",
    "确认，赶紧把它了结",
    "我每个月吃药，药费要五百块",
    "旧号码以后没人用了，新号码发给你们",
    "stop calling my mum at work, she's not the borrower",
    "你们的推送烦得我开会都想死，退订",
    "條link撳極都唔得，激到我想死，搵個真人",
    "读这些条款读到想死，有没有简单点的",
    "下個月見唔到你哋嘅短訊就好",
)


@pytest.mark.parametrize("text", SIGNS)
def test_a_quiet_sign_of_a_later_round_is_at_least_possible(text: str) -> None:
    assert words_level(prepare(text)) is not CrisisLevel.NONE


@pytest.mark.parametrize("text", NO_SIGNS)
def test_an_everyday_idiom_of_a_later_round_is_no_sign_by_the_words(text: str) -> None:
    assert words_level(prepare(text)) is CrisisLevel.NONE


@pytest.mark.parametrize("text", ["一个月五千，我还不如去死", "每月兩萬我寧願去死"])
def test_a_wish_to_die_said_instead_of_a_payment_stays_a_sure_sign(text: str) -> None:
    # Round 16's writer meant these as hyperbole; the bot takes a wish to die at its word.
    assert words_level(prepare(text)) is CrisisLevel.SURE
