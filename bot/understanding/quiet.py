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
from bot.understanding.quiet_zh import CHINESE_CONTEXT, CHINESE_IDIOMS, CHINESE_SIGNS
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
    r"nobody (?:cares|would care)|worthless|useless|burden)(?![a-z])"
    r"|受不了|顶唔顺|撑不住|好绝望|没人在乎|冇人理|好孤独|没用|冇用|废物|负担"
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
    r"还清|还完|供完|清数|扣完|无债|冇债|还晒|清晒|付清|结清|(?<![a-z])paid (?:it )?off(?![a-z])"
)
_RELIEF = re.compile(r"(?:终于|总算|彻底|真正)?(?:解脱|了结|了断|自由了|解放了|甩难|甩身)")


def without_idioms(folded: str) -> tuple[str, bool]:
    """The folded text with intensifier idioms blanked, and whether there was one."""
    stripped, count = IDIOMS.subn(" ", folded)
    if _PAID_OFF.search(stripped):
        stripped, relief = _RELIEF.subn(" ", stripped)
        count += relief
    return stripped, count > 0


def quiet_signs(folded: str, *, idiom: bool) -> bool:
    """A farewell or giving up in `folded` (idioms already taken out), or an idiom
    (`idiom`) beside strain: a possible crisis."""
    return SIGNS.search(folded) is not None or (idiom and _STRAIN.search(folded) is not None)


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
