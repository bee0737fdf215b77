"""Word cues: where words decide, whatever the model says (R3, R11, R13, R15).

The model ranks meanings; these lists catch what must never be missed or
mistaken, in any state:
- a person asked for (R13), but not a person turned down ("no need for a
  human", "唔使轉人工");
- no more messages (R3): "stop" as the whole message (give or take
  "please"), or an explicit request; "when will the interest stop?" is no
  opt-out;
- a complaint (R15) and hardship (R11), also beside an offer ("$50, I really
  can't afford more" keeps the offer and notes the hardship);
- "All of it", "全部", "一次過" name the whole balance.

When in doubt the lists err towards the safe side, and the known false
positives are accepted: "my agent number", "travel agent", "human resources"
and "找人借钱" ask for a person; an agent who is not needed costs a minute, a
borrower trapped with a bot costs far more (R13). Crisis has its own lexicon
(crisis.py), checked before these.

Words are matched on folded text (lower case, Simplified, apostrophes
dropped), so each is listed once, in Simplified. English words match whole
words ("agency fee" is not "agent"), also glued to Chinese ("搵個agent");
Chinese has no spaces, so Chinese words match anywhere.
"""

from __future__ import annotations

import re

from bot.understanding.labels import Meaning
from bot.understanding.text import Prepared, fold

PERSON_WORDS = (
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
    "人工客服",
    "客服",
    "找人",
    "真人客服",
    "专员",
    "经理",
    "主管",
    "接线员",
    "打电话给我",
)
HARDSHIP_WORDS = (
    "lost my job",
    "lost job",
    "lost my income",
    "out of work",
    "no income",
    "no job",
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
    "没工作",
    "没有工作",
    "丢了工作",
    "下岗",
    "裁员",
    "没收入",
    "没有收入",
    "生病",
    "病了",
    "住院",
    "看病",
    "手术",
    "医药费",
    "没钱",
    "没有钱",
    "还不起",
    "付不起",
    "困难",
    "破产",
    "离婚",
    "去世",
    "过世",
    "冇收入",
    "冇钱",
    "冇工",
    "炒咗",
    "失咗业",
    "还唔起",
    "俾唔起",
    "执笠",
    "执咗",
    "入不敷",
    "拖粮",
    "欠薪",
    "手头紧",
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
    "举报",
    "骚扰",
    "不公平",
    "维权",
    "12378",
    "银保监",
    "金管会",
)
# STOP only as the whole message (give or take "please")... "TD" is the mainland's
# SMS unsubscribe ("回复TD退订"): borrowers type it to a chat bot just the same.
STOP_MESSAGES = ("stop", "unsubscribe", "opt out", "optout", "td", "退订", "取消订阅")
# ... or as an explicit request.
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
    "别再发",
    "不要再联系我",
    "别再联系我",
    "回复退订",
    "回复td",
    "td退订",
    # Hong Kong, in Cantonese (folded to simplified characters): "唔好再send嘢俾我".
    "唔好再send",
    "唔好再发",
    "唔使再发",
    "唔好再联络我",
    "唔好再联系我",
    "唔好再搵我",
    "唔好再揾我",
)
# Politeness around a one-word command: "stop please", "请退订".
_POLITE = re.compile(r"\b(?:please|pls|plz|thanks|thank you|now)\b|[请谢]|[\s.!,。！，~]+")


def words_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for a word list, matched on folded text.

    Whole words in English, even glued to Chinese ("搵個agent"); Chinese has no
    spaces to anchor on. The English words share one pair of anchors: anchors on
    each alternative would keep the regex engine from skipping ahead by first
    letter, and made this the costliest part of reading a message.
    """
    english: list[str] = []
    other: list[str] = []
    for word in dict.fromkeys(fold(w) for w in words):
        (english if word.isascii() and word[0].isalnum() else other).append(re.escape(word))
    parts = [rf"(?<![a-z0-9])(?:{'|'.join(english)})(?![a-z0-9])"] if english else []
    return re.compile("|".join(parts + other))


# A person turned down rather than asked for, matched on folded text.
NEGATED_PERSON = re.compile(
    r"\b(?:no need (?:for|of|to (?:talk|speak) (?:to|with))|(?:dont|do not) (?:really )?(?:need|want)"
    r"(?: to (?:talk|speak) (?:to|with))?|no|without|not)\s+(?:an? |any |the |a real |your )?"
    r"(?:human|person|agent|rep|representative|someone|anyone|operator|manager|people)\b"
    r"|\bno (?:human|agent|person) (?:needed|necessary|required|please|pls)\b"
    # Folding makes 搵 ("look for", Cantonese) 揾; both are listed, as the pattern is public.
    r"|(?:不用|不需要|不要|不必|无需|唔使|唔需要|冇需要|唔要|不找|唔[搵揾]|免)\s*"
    r"(?:转|找|[搵揾]|接|帮我转|帮我找)?\s*"
    r"(?:人工|真人|客服|agent|人|专员|经理)"
)
_PERSON = words_pattern(PERSON_WORDS)
_HARDSHIP = words_pattern(HARDSHIP_WORDS)
_COMPLAINT = words_pattern(COMPLAINT_WORDS)
_STOP = words_pattern(STOP_PHRASES)
_STOP_ALONE = frozenset(_POLITE.sub("", fold(w)) for w in STOP_MESSAGES)
_ALL_OF_IT = re.compile(
    r"\b(?:all of it|all of this|the (?:whole|entire|full) (?:thing|lot|amount|balance|debt)"
    # "pay the full 1320.50 tomorrow": the whole balance, named by its figure.
    r"|the (?:whole|entire|full) (?:[$£€¥]|hk\$|us\$|nt\$)?\d+"
    r"|everything(?: i owe)?|in full|pay (?:it )?all|clear (?:it )?all|the lot|in one go|lump sum)\b"
    r"|全部|全额|全数|一次性|一次过|一次还清|一次付清|还清|还晒|清晒|结清|付清|清数|一笔过"
    r"|一次(?:缴|还|付|交|俾|畀)(?:完|清|晒)"
)


# An option turned down rather than asked for (round 8 and 9: "not interested in splitting it
# into instalments", "gonna pass on the settlement deal", "i'll pass on that one", "這個分期我
# 不要"): the option's words are there, and the answer is no to it.
_TURNED_DOWN = (
    (
        Meaning.INSTALLMENT,
        re.compile(
            r"(?<![a-z])(?:not interested in|(?:dont|do not|dont really) (?:want|need)|no need for|pass on|skip"
            r"|no to|rather not (?:do|have)|not keen on|not doing)(?: \w+){0,3}"
            r" (?:instal+ments?|splitting|split payments|payment plan|monthly payments|paying monthly)(?![a-z])"
            r"|(?:不要|不用|唔要|唔使|不想|唔想|不需要|唔需要|不搞|唔搞)(?:搞|做|办|申请)?分期"
            r"|分期(?:我)?(?:就)?(?:不要|唔要|免了|算了)"
        ),
    ),
    (
        Meaning.PAY_IN_FULL,
        re.compile(
            r"(?<![a-z])(?:not interested in|(?:dont|do not) (?:want|need)|pass on|skip|no to|not keen on)"
            r"(?: \w+){0,3} (?:settlement|lump sum|full payment|paying (?:it )?(?:all|in full)|one go)(?![a-z])"
        ),
    ),
)
# "I'll pass on that one": no to whatever was offered.
_PASS = re.compile(
    r"(?<![a-z])(?:ill |i will |i ll |gonna |going to |think ill |i think ill )?pass on (?:that|this|it)"
    r"(?: one| offer| deal| option| plan)?(?= *(?:[.!,]|$|thanks|thank you|cheers|mate))"
)


def turned_down(message: Prepared) -> frozenset[Meaning]:
    """The options the message turns down ("not interested in instalments"); DECLINE
    alone when it passes on whatever was offered."""
    folded = message.folded
    found = {meaning for meaning, pattern in _TURNED_DOWN if pattern.search(folded)}
    if _PASS.search(folded):
        found.add(Meaning.DECLINE)
    return frozenset(found)


def negated_human(message: Prepared) -> bool:
    """True when the message turns a person down rather than asking for one."""
    return NEGATED_PERSON.search(message.folded) is not None


def asks_for_person(message: Prepared) -> bool:
    """A person named in words and not turned down (R13)."""
    folded = message.folded
    return _PERSON.search(folded) is not None and NEGATED_PERSON.search(folded) is None


def asks_to_stop(message: Prepared) -> bool:
    """No more messages (R3): "stop" alone, or an explicit "stop messaging me"."""
    folded = message.folded
    if _STOP.search(folded):
        return True
    bare = _POLITE.sub("", folded) or folded.strip()
    return bare in _STOP_ALONE


def complains(message: Prepared) -> bool:
    """A complaint about the lender or the bot (R15)."""
    return _COMPLAINT.search(message.folded) is not None


def mentions_hardship(message: Prepared) -> bool:
    """Hardship named in words (R11), even beside an offer."""
    return _HARDSHIP.search(message.folded) is not None


def means_all_of_it(message: Prepared) -> bool:
    """The whole balance: "all of it", "pay in full", "全部", "一次過還晒"."""
    return _ALL_OF_IT.search(message.folded) is not None


def word_cues(message: Prepared) -> frozenset[Meaning]:
    """The meanings the words alone decide: a person, STOP, a complaint, hardship."""
    found = set()
    if asks_for_person(message):
        found.add(Meaning.HUMAN)
    if asks_to_stop(message):
        found.add(Meaning.STOP)
    if complains(message):
        found.add(Meaning.COMPLAINT)
    if mentions_hardship(message):
        found.add(Meaning.HARDSHIP)
    return frozenset(found)
