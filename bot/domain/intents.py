"""Recognise what a borrower asks for in their own words, in any state.

Order matters: crisis comes before everything (R12), then a person (R13),
then opting out (R3), complaints (R15) and hardship (R11). When in doubt the
lists err towards the safe side, and the known false positives are accepted:
- "my agent number", "travel agent", "human resources" and "找人借钱" route
  to a person: an agent who is not needed costs a minute, a borrower trapped
  with a bot costs far more (R13);
- "累得想死" ("tired to death") is treated as crisis (R12).
A person turned down ("no need for a human", "唔使轉人工") is not a request
for one. English words match whole words ("agency fee" is not "agent"), also
inside Chinese ("搵個agent"); Chinese has no spaces, so Chinese words match
anywhere.
"""

from __future__ import annotations

import re
from enum import StrEnum

from bot.domain.parsing import normalize


class Intent(StrEnum):
    """Declared in priority order: `detect_intents` sorts by this order."""

    CRISIS = "crisis"
    HUMAN = "human"
    STOP = "stop"
    COMPLAINT = "complaint"
    HARDSHIP = "hardship"
    HOW_TO_PAY = "how_to_pay"
    HELP = "help"
    LANGUAGE = "language"


CRISIS_WORDS = (
    "suicide",
    "suicidal",
    "kill myself",
    "killing myself",
    "end my life",
    "end it all",
    "take my life",
    "take my own life",
    "want to die",
    "wanna die",
    "dont want to live",
    "do not want to live",
    "no reason to live",
    "no point living",
    "no point in living",
    "better off dead",
    "self-harm",
    "self harm",
    "hurt myself",
    "harm myself",
    "cut myself",
    "overdose",
    "自杀",
    "自殺",
    "不想活",
    "想死",
    "寻死",
    "尋死",
    "轻生",
    "輕生",
    "活不下去",
    "活着没意思",
    "活著沒意思",
    "不如死了",
    "死了算了",
    "一了百了",
    "了结自己",
    "了結自己",
    "结束生命",
    "結束生命",
    "自残",
    "自殘",
    "伤害自己",
    "傷害自己",
    "割腕",
    "跳楼",
    "跳樓",
    "jump off",
    "better off without me",
    "dont want to wake up",
    "kms",
    "唔想活",
    "唔想再活",
    "死咗算",
    "跳落去",
    "烧炭",
    "燒炭",
    "了結",
    "了结",
    "一睡不醒",
    "一瞓唔起",
    "撑不下去",
    "撐不下去",
    "頂唔順",
)
HUMAN_WORDS = (
    "agent",
    "live agent",
    "human",
    "person",
    "real person",
    "someone real",
    "operator",
    "representative",
    "speak to someone",
    "talk to someone",
    "customer service",
    "speak to a manager",
    "talk to a manager",
    "supervisor",
    "call me",
    "人工",
    "真人",
    "转人工",
    "轉人工",
    "人工客服",
    "客服",
    "找人",
    "真人客服",
    "专员",
    "專員",
    "经理",
    "經理",
    "主管",
    "接线员",
    "接線員",
    "打电话给我",
    "打電話給我",
)
# Issue 7 point 7: asking how to pay; the script answers with the policy's instructions.
HOW_TO_PAY_WORDS = (
    "how do i pay",
    "how can i pay",
    "how to pay",
    "how should i pay",
    "where do i pay",
    "where can i pay",
    "payment details",
    "bank details",
    "怎么还款",
    "怎么还钱",
    "怎么付款",
    "如何还款",
    "怎样还款",
    "在哪里还款",
    "怎麼還款",
    "怎麼還錢",
    "如何還款",
    "點樣還錢",
    "點樣還款",
    "点样还钱",
    "點樣俾錢",
)

HARDSHIP_WORDS = (
    "lost my job",
    "lost job",
    "lost my income",
    "out of work",
    "no income",
    "jobless",
    "unemployed",
    "laid off",
    "fired",
    "redundant",
    "illness",
    "sick",
    "hospital",
    "surgery",
    "cancer",
    "disabled",
    "disability",
    "medical bills",
    "cant afford",
    "cannot afford",
    "can not afford",
    "financial difficulty",
    "hardship",
    "struggling",
    "bereavement",
    "passed away",
    "divorce",
    "bankrupt",
    "bankruptcy",
    "失业",
    "失業",
    "没工作",
    "沒工作",
    "没有工作",
    "沒有工作",
    "丢了工作",
    "丟了工作",
    "下岗",
    "下崗",
    "裁员",
    "裁員",
    "没收入",
    "沒收入",
    "没有收入",
    "沒有收入",
    "生病",
    "病了",
    "住院",
    "看病",
    "手术",
    "手術",
    "医药费",
    "醫藥費",
    "没钱",
    "沒錢",
    "没有钱",
    "沒有錢",
    "还不起",
    "還不起",
    "付不起",
    "困难",
    "困難",
    "破产",
    "破產",
    "离婚",
    "離婚",
    "去世",
    "过世",
    "過世",
    "冇收入",
    "冇錢",
    "冇工開",
    "炒咗",
    "失咗業",
    "還唔起",
    "执笠",
    "執笠",
)
COMPLAINT_WORDS = (
    "complaint",
    "complaints",
    "complain",
    "complained",
    "complaining",
    "unfair",
    "harass",
    "harassed",
    "harassing",
    "harassment",
    "ombudsman",
    "regulator",
    "cfpb",
    "投诉",
    "投訴",
    "举报",
    "舉報",
    "骚扰",
    "騷擾",
    "不公平",
    "维权",
    "維權",
    "12378",
    "银保监",
    "銀保監",
    "金管会",
    "金管會",
)
# STOP only as the whole message (give or take "please"), or as an explicit
# request: "when will the interest stop?" is no opt-out.
STOP_MESSAGES = (
    "stop",
    "unsubscribe",
    "opt out",
    "optout",
    "退订",
    "退訂",
    "取消订阅",
    "取消訂閱",
)
STOP_PHRASES = (
    "stop messaging me",
    "stop texting me",
    "stop contacting me",
    "stop sending me",
    "stop sending messages",
    "stop the messages",
    "stop messages",
    "stop reminders",
    "stop the reminders",
    "dont message me",
    "dont text me",
    "dont contact me",
    "do not message me",
    "do not contact me",
    "不要再发",
    "不要再發",
    "别再发",
    "別再發",
    "不要再联系我",
    "不要再聯繫我",
    "别再联系我",
    "別再聯繫我",
    "回复退订",
    "回覆退訂",
)
HELP_MESSAGES = ("help", "help me", "i need help", "need help", "帮助", "幫助", "求助", "?", "？")
LANGUAGE_WORDS = (
    "language",
    "english",
    "chinese",
    "mandarin",
    "语言",
    "語言",
    "中文",
    "英文",
    "英语",
    "英語",
    "简体",
    "簡體",
    "繁体",
    "繁體",
)
# Politeness around a one-word command: "stop please", "请退订".
_POLITE = re.compile(r"\b(?:please|pls|plz|thanks|thank you|now)\b|[请請谢謝]|[\s.!,。！，~]+")


def _fold(text: str) -> str:
    """Lower case, straight apostrophes dropped: "Don't" and "dont" read alike."""
    return normalize(text).casefold().replace("’", "'").replace("'", "")


def _compile(words: tuple[str, ...]) -> re.Pattern[str]:
    # Whole words in English, even glued to Chinese ("搵個agent"); Chinese has no
    # spaces to anchor on. The English words share one pair of anchors: anchors on
    # each alternative would keep the regex engine from skipping ahead by first
    # letter, and made this the costliest part of reading a message.
    english: list[str] = []
    other: list[str] = []
    for word in words:
        (english if word.isascii() and word[0].isalnum() else other).append(re.escape(_fold(word)))
    parts = [rf"(?<![a-z0-9])(?:{'|'.join(english)})(?![a-z0-9])"] if english else []
    return re.compile("|".join(parts + other))


# A person turned down rather than asked for, matched on folded text.
NEGATED_PERSON = re.compile(
    r"\b(?:no need (?:for|of|to (?:talk|speak) (?:to|with))|(?:dont|do not) (?:really )?(?:need|want)"
    r"(?: to (?:talk|speak) (?:to|with))?|no|without|not)\s+(?:an? |any |the |a real |your )?"
    r"(?:human|person|agent|rep|representative|someone|anyone|operator|manager|people)\b"
    r"|\bno (?:human|agent|person) (?:needed|necessary|required|please|pls)\b"
    r"|(?:不用|不需要|不要|不必|无需|無需|唔使|唔需要|冇需要|唔要|不找|唔搵|免)\s*"
    r"(?:转|轉|找|搵|接|帮我转|幫我轉|帮我找|幫我找)?\s*"
    r"(?:人工|真人|客服|agent|人|专员|專員|经理|經理)"
)


_PATTERNS = (
    (Intent.CRISIS, _compile(CRISIS_WORDS)),
    (Intent.HUMAN, _compile(HUMAN_WORDS)),
    (Intent.STOP, _compile(STOP_PHRASES)),
    (Intent.COMPLAINT, _compile(COMPLAINT_WORDS)),
    (Intent.HARDSHIP, _compile(HARDSHIP_WORDS)),
    (Intent.HOW_TO_PAY, _compile(HOW_TO_PAY_WORDS)),
    (Intent.LANGUAGE, _compile(LANGUAGE_WORDS)),
)
_WHOLE_MESSAGE = (
    (Intent.STOP, frozenset(_POLITE.sub("", _fold(w)) for w in STOP_MESSAGES)),
    (Intent.HELP, frozenset(_POLITE.sub("", _fold(w)) for w in HELP_MESSAGES) | {"?"}),
)


def detect_intents(text: str) -> tuple[Intent, ...]:
    """Every intent the text expresses, most urgent first."""
    clean = _fold(text)
    if not clean:
        return ()
    found = {intent for intent, pattern in _PATTERNS if pattern.search(clean)}
    if Intent.HUMAN in found and NEGATED_PERSON.search(clean):
        found.discard(Intent.HUMAN)
    bare = _POLITE.sub("", clean) or clean.strip()
    found.update(intent for intent, messages in _WHOLE_MESSAGE if bare in messages)
    order = list(Intent)
    return tuple(sorted(found, key=order.index))
