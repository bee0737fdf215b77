"""Yes and no as people type them, in English, Mandarin and Cantonese.

A whole short answer ("yep", "好", "得", "冇問題", "不用了", "算了") or one
that starts with it ("唔得，太多", "no, that's too much", "ok go ahead").
Anything longer is left to the intent model.
"""

from __future__ import annotations

import re

from bot.understanding.text import Prepared

# Folded forms: lower case, Simplified, apostrophes dropped.
YES = frozenset(
    {
        "yes",
        "yeah",
        "yea",
        "yep",
        "yup",
        "ya",
        "yas",
        "yess",
        "yesss",
        "ye",
        "y",
        "ok",
        "okay",
        "okey",
        "oki",
        "okie",
        "okk",
        "k",
        "kk",
        "sure",
        "sure thing",
        "of course",
        "fine",
        "alright",
        "all right",
        "right",
        "correct",
        "confirm",
        "confirmed",
        "agreed",
        "agree",
        "i agree",
        "deal",
        "go ahead",
        "go",
        "do it",
        "sounds good",
        "thats fine",
        "that works",
        "thats right",
        "works for me",
        "perfect",
        "great",
        "good",
        "absolutely",
        "definitely",
        "yes please",
        "please do",
        "lets do it",
        "ok go",
        "yeah ok",
        "ok fine",
        "好",
        "好的",
        "好吧",
        "好啊",
        "好呀",
        "好哒",
        "好滴",
        "好嘞",
        "好喔",
        "好的喔",
        "行",
        "行吧",
        "行啊",
        "可以",
        "可以的",
        "可以呀",
        "没问题",
        "冇问题",
        "无问题",
        "对",
        "对的",
        "是",
        "是的",
        "嗯",
        "嗯嗯",
        "恩",
        "确认",
        "确定",
        "同意",
        "我同意",
        "就这样",
        "就这么办",
        "没错",
        "冇错",
        "得",
        "得呀",
        "得啦",
        "系",
        "系呀",
        "啱",
        "啱呀",
        "就咁",
        "就咁啦",
        "好啦",
        "ok的",
        "ok啦",
        "妥",
        "中",
        "要",
        "要的",
        "成交",
        "👍",
        "👌",
        "✅",
        "🆗",
        "🙆",
    }
)
NO = frozenset(
    {
        "no",
        "n",
        "nope",
        "nah",
        "no thanks",
        "no thank you",
        "no thx",
        "no ty",
        "not now",
        "never",
        "no way",
        "dont",
        "wrong",
        "incorrect",
        "cancel",
        "not interested",
        "i disagree",
        "nah thanks",
        "no need",
        "not really",
        "negative",
        "thats wrong",
        "not that",
        "不",
        "不要",
        "不用",
        "不用了",
        "不行",
        "不可以",
        "不同意",
        "算了",
        "算了吧",
        "算啦",
        "不了",
        "不对",
        "错了",
        "不是",
        "不需要",
        "没必要",
        "唔",
        "唔要",
        "唔使",
        "唔使喇",
        "唔得",
        "唔同意",
        "唔好",
        "唔啱",
        "唔系",
        "唔需要",
        "冇需要",
        "取消",
        "不要了",
        "唔要喇",
        "算数啦",
        "👎",
        "❌",
        "🙅",
    }
)
# Words that answer on their own even with a few words after them:
# "ok go ahead", "no, that's too much", "唔得，太多". Weaker words ("good",
# "right", "don't") only count as the whole message ("good morning" is no yes).
_YES_HEADS = frozenset(
    {"yes", "yeah", "yep", "yup", "ok", "okay", "sure", "好", "好的", "可以", "行", "得", "冇问题"}
    | {"没问题", "确认", "同意", "对", "系", "是的"}
)
_NO_HEADS = frozenset(
    {"no", "nope", "nah", "不", "不用", "不用了", "不要", "不行", "唔得", "唔要", "唔使", "算了"}
    | {"不了", "唔好", "不对", "唔系", "不是"}
)
_MAX_TAIL_WORDS = 4
_MAX_TAIL_CHARS = 8
_TRIM = re.compile(r"^[\s.!！。,，~～?？]+|[\s.!！。,，~～?？]+$")
_POLITE = re.compile(r"\b(?:please|pls|plz|thanks|thank you|thx)\b|[请謝谢唔该]+$")
_SPLIT = re.compile(r"[\s,，.。!！;；:：、]+")


# A change of mind in the tail ("yes wait no, actually no", "好……啊唔係，唔得"): the
# last answer wins, and when the last words are no plain answer the model reads them.
_CHANGE_OF_MIND = re.compile(
    r"(?<![a-z])(?:wait|actually|hang on|hold on|scratch that|on second thought|changed my mind"
    r"|i mean)(?![a-z])|不对|唔对|唔系|不是|等等|等一下|等阵|哦不|啊不|改主意|还是|都系|算了"
)
# "no more reminders please", "no longer needed": a "no" that heads something else.
_NOT_AN_ANSWER_AFTER_NO = re.compile(r"^(?:more|longer|further)(?![a-z])")
# "算了，我想一次性还清", "no, i want to pay it all": a "no" to what was offered, then a
# request of its own, which the model reads (a bare "算了" or "no, too much" stays a no).
_WANTS_AFTER_NO = re.compile(
    r"^(?:i want|i wanna|id like|i would like|let me|can i|could i|i ll|ill|i d rather|id rather)(?![a-z])"
    r"|^(?:我|我就|我都)?(?:想|要|还是|直接|干脆|宁愿)|^(?:帮我|给我|能不能|可不可以|可唔可以|我可以|不如)"
)


def _short(tail: str) -> bool:
    if "?" in tail or "？" in tail:
        return False
    if tail.isascii():
        return len(tail.split()) <= _MAX_TAIL_WORDS
    return len(tail) <= _MAX_TAIL_CHARS


def yes_or_no(message: Prepared) -> bool | None:
    """True for yes, False for no, None when the message is not a plain yes or no."""
    folded = _TRIM.sub("", message.folded)
    if not folded:
        return None
    for candidate in (folded, _TRIM.sub("", _POLITE.sub("", folded))):
        if candidate in YES:
            return True
        if candidate in NO:
            return False
    parts = _SPLIT.split(folded, maxsplit=1)
    if len(parts) == 2 and _short(parts[1]):
        if _CHANGE_OF_MIND.search(parts[1]):
            return _last_answer(folded)
        if parts[0] == "no" and _NOT_AN_ANSWER_AFTER_NO.search(parts[1]):
            return None
        if parts[0] in _NO_HEADS and _WANTS_AFTER_NO.search(parts[1]):
            return None
        if parts[0] in _NO_HEADS:
            return False
        if parts[0] in _YES_HEADS:
            return True
    return None


def no_heads_a_request(message: Prepared) -> bool:
    """ "不要，我要分期", "no, i want to pay in full": a no to what was offered, then a request
    of its own. The request is the meaning: the no is neither the answer nor the meaning."""
    parts = _SPLIT.split(_TRIM.sub("", message.folded), maxsplit=1)
    return (
        len(parts) == 2 and parts[0] in _NO_HEADS and _WANTS_AFTER_NO.search(parts[1]) is not None
    )


def _last_answer(folded: str) -> bool | None:
    """The answer a change of mind ends on: its last words when they are a plain yes
    or no, else None."""
    words = _SPLIT.split(_TRIM.sub("", _POLITE.sub("", folded)))
    last = next((part for part in reversed(words) if part), "")
    # "还是不要了": the word that turns the mind round, then the answer.
    last = _TRIM.sub("", re.sub(rf"^(?:{_CHANGE_OF_MIND.pattern})", "", last))
    if last in YES:
        return True
    if last in NO:
        return False
    return None
