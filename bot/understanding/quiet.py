"""The second and third answer to "is this a crisis?": possible, and no.

Safe-messaging guidance asks directly when a sign is there but not sure: a
farewell without a method ("I've said goodbye to everyone", "講再見"), giving up
("nothing matters any more", "I don't plan on seeing March", "活不到下個月").
Those are *possible* crises: the bot asks whether the borrower is safe.

Intensifier idioms are no sign at all: "this fee is killing me", "dying to get
this done", "my dad would kill me", "愁死", "饿死", "煩到死", "打死我", and a
method word in a story ("the TV drama where he 跳楼"). `without_idioms` takes
them out before the lexicon looks, so the words beside them still count; an
idiom beside another sign of despair is a possible crisis.
"""

from __future__ import annotations

import re

from bot.understanding.quiet_en import ENGLISH_IDIOMS, ENGLISH_SIGNS
from bot.understanding.quiet_zh import CHINESE_IDIOMS, CHINESE_SIGNS
from bot.understanding.quiet_zh_context import CHINESE_CONTEXT
from bot.understanding.text import Prepared

IDIOMS = re.compile(
    "|".join([rf"(?<![a-z0-9])(?:{'|'.join(ENGLISH_IDIOMS)})(?![a-z0-9])", *CHINESE_IDIOMS])
)
# Farewells and giving up, said without a method: a possible crisis.
SIGNS = re.compile(
    "|".join(
        [rf"(?<![a-z0-9])(?:{'|'.join(ENGLISH_SIGNS)})(?![a-z0-9])"]
        + [re.escape(w) for w in CHINESE_SIGNS]
        + list(CHINESE_CONTEXT)
    )
)
# Strain beside an idiom turns the idiom into a possible sign.
_STRAIN = re.compile(
    r"(?<![a-z])(?:cant (?:cope|take|go on|handle)|no way out|alone|trapped|exhausted|"
    r"nobody (?:cares|would care)|burden)(?![a-z])"
    r"|受不了|顶唔顺|撑不住|好绝望|没人在乎|冇人理|好孤独|负担"
    # Worthless said of oneself, not of an app ("this app is dead useless", "个app冇用到死").
    r"|(?<![a-z])(?:im|i am|i m|i feel|feel|i was|ive been|i have been) (?:so |just |totally |completely "
    r"|such a |a |really )?(?:worthless|useless|failure|waste)(?![a-z])"
    r"|我(?:真|真系|真的|好|就|系|是|就是|根本|根本就|只|咁)?(?:是|系)?(?:个)?(?:没用|冇用|废物|失败者)"
)


# A denial ("I'm not suicidal or anything"): never a sure crisis, but still a
# possible one: the bot asks once, gently, rather than take it on trust.
DENIALS = re.compile(
    r"(?<![a-z])(?:im |i am |i m )?(?:not|never) (?:suicidal|going to (?:kill myself|do anything stupid))(?![a-z])"
    r"|我?(?:不是|没有|冇|唔系|并不)(?:想)?(?:自杀|轻生|想死)"
)


def without_denials(folded: str) -> tuple[str, bool]:
    """The folded text with denials blanked, and whether there was one."""
    stripped, count = DENIALS.subn(" ", folded)
    return stripped, count > 0


# "Free at last" about a debt paid off: "终于解脱了！最后一期扣完了，全部还清", "全部还完
# 彻底了结", "还晒最后嗰笔 终于甩难".
_PAID_OFF = re.compile(
    r"还清|还完|供完|清数|扣完|无债|冇债|还晒|清晒|付清|结清|缴清|缴完|交清|付完|供晒|俾晒"
    r"|(?<![a-z])(?:paid (?:it )?(?:all )?off|cleared (?:it|the lot|the debt|everything)"
    r"|(?:last|final) (?:payment|instalment|installment) (?:went|has gone|is|has) (?:through|out|in|cleared)"
    r"|(?:sent|paid|made|sending|paying|cleared|clearing) (?:the )?(?:last|final|rest) (?:of it|bit|payment|instalment|installment)"
    r"|(?:sent|paid) the rest)(?![a-z])"
)
_RELIEF = re.compile(
    r"(?:终于|总算|彻底|真正)?(?:解脱|了结|了断|自由了|解放了|甩难|甩身)"
    # "im done!! just paid it all off", "thats the end of it", "free at last".
    r"|(?<![a-z])(?:(?:im|i am|i m|thats me|that s me) (?:so |finally |totally |all )?(?:done|free|finished)"
    r"|free at last|(?:thats|that s|that is) the end of (?:it|that))(?![a-z])"
)


# Since round 7: a goodbye that ends only the chat. Beside an opt-out ("unsubscribe. bye
# forever", "以后别给我发了，就到这里吧") or a debt paid off ("終於還清晒！同你哋講拜拜") the
# goodbye is said to the messages and the lender, not to the world.
_OPT_OUT = re.compile(
    r"(?<![a-z])(?:unsubscribe|opt(?: me)? out|stop (?:texting|messaging|sending|calling|contacting|the)"
    r"|no more (?:texts|messages|msgs|calls|reminders|emails)|take me off|remove me from|delete my number"
    r"|(?:dont|do not|never) (?:text|message|msg|call|contact|email|ring) me)(?![a-z])"
    r"|(?:别|不要|唔好|不用|唔使|不必|勿)(?:再)?(?:给我|俾我|畀我|同我|跟我)?(?:发|send|打|联系|联络|搵|揾|找|提醒|催)"
    r"|取消(?:订阅|通知|提醒)|退订"
)
_CHAT_GOODBYE = re.compile(
    r"(?<![a-z])(?:good ?bye|bye|farewell|ciao|adios|ttyl)"
    r"(?: (?:forever|for good|for ever|for real|then|now|all))?(?![a-z])"
    r"|(?:就|便)?到(?:这里|呢度|此)(?:为止)?(?:吧|啦|喇|了)?"
    r"|(?:同|跟|和|对|向)?(?:你们|你哋|你地|你|大家)?(?:讲|说)?(?:拜拜|再见|永别|bye)(?:了|喇|啦)?"
    # Since round 9: the last message to the lender, beside an opt-out ("this is my last
    # message to this bot, opt me out", "这是我给你们发的最后一条消息 以后别联系我").
    # Only when said to the lender or the bot: "my last message, stop texting me" after a
    # "sorry mum" may be a farewell, and keeps its sign.
    r"|(?<![a-z])(?:(?:this is|thats|heres|its) )?(?:my )?(?:last|final) (?:message|msg|text|reply)"
    r" (?:to|for) (?:you|u|you guys|you lot|this bot|the bot|this number|this company|your company)(?![a-z])"
    r"|(?:这是|呢个系|这条是)?(?:我)?(?:给|传给|发给|俾|畀)(?:你们|你哋)(?:发|传|send)?(?:的|嘅)?最后一(?:条|则|个|次)"
    r"(?:消息|讯息|信息|短信|message|回复)"
)


def without_idioms(folded: str) -> tuple[str, bool]:
    """The folded text with intensifier idioms blanked, and whether there was one."""
    stripped, count = IDIOMS.subn(" ", folded)
    if _PAID_OFF.search(stripped):
        stripped, relief = _RELIEF.subn(" ", stripped)
        count += relief
    if _PAID_OFF.search(stripped) or _OPT_OUT.search(stripped):
        stripped, goodbye = _CHAT_GOODBYE.subn(" ", stripped)
        count += goodbye
    return stripped, count > 0


# Since round 7: a life wound up, thing by thing, with only this left: "房子退了工作辞了账号也
# 注销了，就剩这个", "quit the job, gave up the flat, closed my accounts, this is the last". One
# closing is everyday ("其他卡都还清了，就剩这个"); so is a move ("辞了工作搬回老家").
_CLOSINGS = (
    re.compile(
        r"(?<![a-z])(?:cancel\w*|end\w*|gave up|giving up|handed back) (?:the |my )?(?:lease|flat|tenancy"
        r"|apartment|room)|退(?:了|咗)?(?:租|房)|房子?(?:也|都)?退(?:了|咗)"
    ),
    re.compile(
        r"(?<![a-z])(?:quit|left|resigned from|handed in my notice at) (?:my |the )?(?:job|work)|resigned"
        r"|辞(?:了|咗)?(?:职|工)|工(?:作)?(?:也|都)?辞(?:了|咗)"
    ),
    re.compile(
        r"(?<![a-z])(?:closed|closing|deleted|deleting|cancelled|shut) (?:down )?(?:all )?(?:my |the )?"
        r"(?:other )?(?:accounts?|phone|number|profiles?|socials|subscriptions|cards)|注销|销户|删(?:了|咗)?(?:号|账号)"
    ),
    re.compile(
        r"(?<![a-z])(?:gave away|given away|sold) (?:my|all my|the)|送(?:了|咗|走|晒)|卖(?:了|咗|掉)(?:车|楼|房)"
    ),
)
_ONLY_THIS_LEFT = re.compile(
    r"(?<![a-z])(?:(?:just|only) (?:this|you|this one|this debt|this loan) (?:left|to go|remaining)"
    r"|(?:this|this one|this debt|this loan|yours) is the (?:last|final) (?:one|thing)|nothing (?:else )?left to do)"
    r"|(?:就|只|净系|得返)?剩(?:下|返)?(?:这个|这笔|呢个|呢笔|这件|呢件|最后|你们|你哋)"
)
_MOVING = re.compile(
    r"(?<![a-z])(?:mov(?:e|ed|ing)|relocat\w*|emigrat\w*)(?![a-z])|搬|回老家|回乡|回国|移民"
)


def _wound_up(folded: str) -> bool:
    closings = sum(pattern.search(folded) is not None for pattern in _CLOSINGS)
    return (
        closings >= 2
        and _ONLY_THIS_LEFT.search(folded) is not None
        and _MOVING.search(folded) is None
    )


def quiet_signs(folded: str, *, idiom: bool) -> bool:
    """A farewell or giving up in `folded` (idioms already taken out), a life wound up
    with only this left, or an idiom (`idiom`) beside strain: a possible crisis."""
    return (
        SIGNS.search(folded) is not None
        or _wound_up(folded)
        or (idiom and _STRAIN.search(folded) is not None)
    )


# "Are you safe?" answered: clearly fine, said first in the message ("yes I'm ok",
# "I'm fine thanks", "我没事，放心", "冇事"). Anything that also carries a sign is not.
_SAFE = re.compile(
    r"^(?:(?:yes|yeah|yep|ya|yup|yea)[ ,.!]*)?(?:im|i am|i m)? ?(?:really |honestly )?"
    r"(?:ok|okay|fine|safe|alright|all right|good|doing ok(?:ay)?)"
    r"(?:[ ,.!]*(?:now|really|honestly|thanks|thank you|dont worry|no worries|i promise))*[ .!]*$"
    r"|^(?:嗯|是的|是|系|係|对|對|yes)?[，, ]*(?:我)?(?:现在|而家|真的|真係)?"
    r"(?:没事|冇事|无事|安全|还好|几好|很好|好好|没问题|冇问题)"
    r"(?:[，,。.! ]*(?:的|啦|喇|呀|了|放心|别担心|不用担心|唔使担心|谢谢|多谢|唔该))*[。.! ]*$"
)
_NOT = re.compile(
    r"(?<![a-z])(?:not|no|never|dont|isnt|arent|wasnt)(?![a-z])|不好|唔好|唔ok|不ok|不安全|唔安全"
)


def says_safe(message: Prepared) -> bool:
    """A clear "I'm safe / I'm ok": the answer that lowers a possible crisis. A
    negation, or any sign of crisis beside it, is not a clear answer."""
    folded = message.folded
    return (
        _SAFE.search(folded) is not None
        and _NOT.search(folded) is None
        and SIGNS.search(without_idioms(folded)[0]) is None
    )


# Idioms of money strain ("kill my budget", "this fee is killing me", "饿死", "愁死"):
# no crisis, but hardship noticed (R11: plans on hardship terms, and the reply says so).
_STRAIN_IDIOMS = re.compile(
    r"(?<![a-z])(?:kill(?:ing)? (?:my|our) (?:budget|wallet|bank|savings|credit)"
    r"|(?:fee|fees|interest|payments?|bills?|rent|debt|this|it)s? (?:is |are |s )?killing (?:me|us)"
    r"|dead broke)(?![a-z])"
    r"|(?:饿|愁|穷|压|烦|煩)(?:到|得|都|咁)?(?:快要|快|要)?死"
)


def strain_idiom(folded: str) -> bool:
    """An idiom of money strain: hardship worth noticing, not a crisis."""
    return _STRAIN_IDIOMS.search(folded) is not None
