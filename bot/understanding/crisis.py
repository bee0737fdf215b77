"""Crisis first (R12): a wide lexicon, backed by the model, checked before anything else.

Recall is the point. A false alarm costs one gentle question ("Are you
safe?"); a miss can cost a life. So the lexicon names methods and places
("pills", "bridge", "燒炭", "天台") and the quiet ways people say it ("I won't
be around", "冇咗我大家會好啲"), not only the word "suicide", and the model
adds what no list foresees. Negation is deliberately ignored: "I don't want
to die" is still worth a gentle question.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.understanding.crisis_lexicon import (
    CHINESE_MAYBE,
    CHINESE_SURE,
    ENGLISH_MAYBE,
    ENGLISH_SURE,
    METHOD_RESEARCH,
    WISHES,
)
from bot.understanding.labels import CrisisLevel
from bot.understanding.quiet import quiet_signs, without_denials, without_idioms
from bot.understanding.text import Prepared, prepare

# Saying sorry to one's children or family out of nowhere is a farewell.
_FAREWELL = re.compile(
    r"(?:跟|同|和|对)(?:孩子|仔女|家人|屋企人|老婆|老公|爸妈|父母).{0,4}(?:说|讲)?声?(?:对不起|对唔住|sorry)"
)
_NO_MORE_TROUBLE = re.compile(
    r"(?:不会|唔会|不再).{0,8}(?:麻烦|烦到|拖累)(?:任何人|大家|家人|人|了)"
)
# Paying with one's life: "只能拿命来还", "用命來還", "pay it with my life".
_LIFE_AS_PAYMENT = re.compile(
    r"(?:用|拿|以|赔上|搭上|赌上)(?:我的|我条|条|这条|呢条)?(?:老)?命(?:来|去)?(?:还|抵|偿|赔|填)"
    r"|(?<![a-z])(?:pay|repay|settle) (?:it|this|that|them|the debt|the rest|what i owe)?"
    r" ?(?:back )?with my (?:life|own life)(?![a-z])"
)
# Standing a long time at a height: "昨晚在頂樓站了很久" (a top floor alone is where people live).
_HEIGHTS = re.compile(
    r"(?:顶楼|顶层|楼顶|天台|桥上|桥边)[^。！？]{0,6}(?:站|坐|企|待|徘徊|望落|望下)"
    r"|(?:站|坐|企|待|徘徊)(?:了|咗)?(?:在|喺)(?:顶楼|顶层)"
)
# Jumping from somewhere, said as one's own act: "再逼我我就从楼上跳下去", "想跳落去".
_JUMP = re.compile(
    r"(?:楼上|楼顶|顶楼|天台|桥上|阳台|窗口|窗|这里|呢度|高处)[^。！？]{0,4}跳(?:下去|落去|下来|落嚟)"
    r"|(?:想|就|要|会|宁愿)(?:从[^。！？]{0,6})?跳(?:下去|落去)"
)
# 死 said alone, as the whole message ("死", "死吧", "我死了"): nothing beside it makes it
# an idiom, so it is taken at its word.
_DEATH_ALONE = re.compile(r"^[\W_]*我?死(?:吧|了|啦|咗|左)?[\W_]*$")
# 死 alone, except where it only means "very" ("笑死", "累死了", "烦死") or a crashed
# phone ("死机"): a possible sign (the wishes built with it, 想死, 去死, 死了算, are sure).
_DEATH = re.compile(r"(?<![笑累攰烦气忙热冷饿吵闷痛怕急困悶煩氣熱餓])死(?![机機线線贵貴])")


def _lexicon(english: tuple[str, ...], chinese: tuple[str, ...]) -> re.Pattern[str]:
    """English as whole words, even glued to Chinese ("我想kms"): anchored on Latin
    letters and digits rather than `\\b`, for which a Chinese character is a letter."""
    return re.compile(
        "|".join(
            [rf"(?<![a-z0-9])(?:{'|'.join(english)})(?![a-z0-9])"] + [re.escape(w) for w in chinese]
        )
    )


_LEXICON = _lexicon(ENGLISH_SURE, CHINESE_SURE)
_METHOD_RESEARCH = re.compile("|".join(METHOD_RESEARCH))
_WISHES = re.compile("|".join(WISHES))
_MAYBE = _lexicon(ENGLISH_MAYBE, CHINESE_MAYBE)
# The model's crisis probability above which a message counts as crisis even
# when no lexicon entry matched. Low on purpose: see the module docstring.
MODEL_THRESHOLD = 0.2
# One or two characters ("我", "i") say too little for the model to judge;
# the lexicon still reads them ("死").
MODEL_MIN_CHARS = 3
# What idioms leave of a message that was mostly idioms ("昨晚那集男主死了 哭死我了" leaves
# "昨晚 了") is too little for the model to judge: a word or two it learned from quiet
# farewells ("last night") would decide alone. Below this share of the message's letters
# and characters, the idioms were the message.
MODEL_MIN_SHARE_AFTER_IDIOMS = 1 / 2


# "die ... tonight/now/today" on one line, as two searches: as one pattern ("die.*now")
# every "die" scanned to the end of the line, and "die die die ..." cost the square of
# its length. The first "die" of a line is enough: a time word after a later one is
# after the first too.
_DIE = re.compile(r"(?<![a-z0-9])die(?![a-z0-9])")
_SOON = re.compile(r"(?<![a-z0-9])(?:tonight|now|today)(?![a-z0-9])")


def _dying_soon(folded: str) -> bool:
    for line in folded.split("\n"):
        die = _DIE.search(line)
        if die is not None and _SOON.search(line, die.end()) is not None:
            return True
    return False


def _sure_words(folded: str) -> bool:
    return _dying_soon(folded) or any(
        p.search(folded)
        for p in (
            _LEXICON,
            _METHOD_RESEARCH,
            _WISHES,
            _DEATH_ALONE,
            _FAREWELL,
            _NO_MORE_TROUBLE,
            _LIFE_AS_PAYMENT,
            _HEIGHTS,
            _JUMP,
        )
    )


def _maybe_words(folded: str) -> bool:
    return _MAYBE.search(folded) is not None or _DEATH.search(folded) is not None


def crisis_words(message: Prepared) -> bool:
    """True when the lexicon alone finds a sure sign of crisis (idioms taken out first:
    "this fee is killing me" and "饿死了" are no sign)."""
    return _sure_words(without_denials(without_idioms(message.folded)[0])[0])


def words_level(message: Prepared) -> CrisisLevel:
    """What the words alone say: sure (a method, a place, a wish to die), possible
    (a farewell, giving up, an idiom beside strain) or nothing."""
    folded, idiom = without_idioms(message.folded)
    folded, denial = without_denials(folded)
    if _sure_words(folded):
        return CrisisLevel.SURE
    if denial or _maybe_words(folded) or quiet_signs(folded, idiom=idiom):
        return CrisisLevel.POSSIBLE
    return CrisisLevel.NONE


def without_idioms_prepared(message: Prepared) -> Prepared:
    """The message as the model should read it for crisis: idioms taken out."""
    folded, idiom = without_idioms(message.folded)
    return prepare(folded) if idiom else message


def _content(folded: str) -> int:
    """Letters, digits and characters: what a message says, without spaces and punctuation."""
    return sum(ch.isalnum() for ch in folded)


def model_says_crisis(message: Prepared, probability: float) -> bool:
    """The model's crisis probability for the message, judged against the threshold."""
    return (
        probability >= MODEL_THRESHOLD and len(message.folded.replace(" ", "")) >= MODEL_MIN_CHARS
    )


def _mostly_idioms(message: Prepared, probe: Prepared) -> bool:
    """True when taking the idioms out left too little of the message to judge."""
    return probe is not message and _content(probe.folded) < (
        _content(message.folded) * MODEL_MIN_SHARE_AFTER_IDIOMS
    )


def crisis_level(message: Prepared, probability: Callable[[Prepared], float]) -> CrisisLevel:
    """Sure, possible or no crisis: the words first, then the model's crisis
    `probability` on the message without its idioms. The words alone decide a sure
    crisis; the model alone can only make one possible (the bot asks whether the
    borrower is safe), so what it learned from quiet farewells ("I can't see a
    future") never stops a plan outright on "I can't see myself paying that"."""
    level = words_level(message)
    if level is not CrisisLevel.NONE:
        return level
    probe = without_idioms_prepared(message)
    if _mostly_idioms(message, probe):
        return CrisisLevel.NONE
    chance = probability(probe)
    if probe is not message:
        # Taking an idiom out only takes a sign away: what is left ("thats me done with you
        # lot" without "done with you lot", "周末别联系我" without the quiet time) is no
        # likelier a crisis than the whole message.
        chance = min(chance, probability(message))
    if not model_says_crisis(probe, chance):
        return CrisisLevel.NONE
    return CrisisLevel.POSSIBLE
