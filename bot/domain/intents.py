"""Recognise what a borrower asks for in their own words, in any state.

Order matters: crisis comes before everything (R12), then a person (R13),
then opting out (R3), complaints (R15) and hardship (R11). When in doubt the
lists err towards the safe side: "I don't need a human" still reaches one.
"""

from __future__ import annotations

import re
from enum import StrEnum

from bot.domain.parsing import normalize


class Intent(StrEnum):
    CRISIS = "crisis"
    HUMAN = "human"
    STOP = "stop"
    COMPLAINT = "complaint"
    HARDSHIP = "hardship"
    HELP = "help"
    LANGUAGE = "language"


CRISIS_WORDS = (
    "suicide",
    "suicidal",
    "kill myself",
    "end my life",
    "take my life",
    "want to die",
    "wanna die",
    "self-harm",
    "self harm",
    "hurt myself",
    "no reason to live",
    "自杀",
    "自殺",
    "不想活",
    "想死",
    "轻生",
    "輕生",
    "活不下去",
    "了结自己",
    "了結自己",
    "结束生命",
    "結束生命",
    "跳楼",
    "跳樓",
)
HUMAN_WORDS = (
    "agent",
    "human",
    "real person",
    "a person",
    "operator",
    "representative",
    "speak to someone",
    "talk to someone",
    "customer service",
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
)
HARDSHIP_WORDS = (
    "lost my job",
    "lost job",
    "unemployed",
    "laid off",
    "redundant",
    "illness",
    "sick",
    "hospital",
    "medical bills",
    "can't afford",
    "cannot afford",
    "can not afford",
    "financial difficulty",
    "hardship",
    "struggling",
    "失业",
    "失業",
    "生病",
    "住院",
    "没钱",
    "沒錢",
    "困难",
    "困難",
    "裁员",
    "裁員",
    "没有工作",
    "沒有工作",
    "看病",
    "医药费",
    "醫藥費",
)
COMPLAINT_WORDS = (
    "complaint",
    "complain",
    "unfair",
    "harass",
    "harassment",
    "投诉",
    "投訴",
    "举报",
    "舉報",
    "骚扰",
    "騷擾",
)
# STOP only as the whole message (or nearly): "when will the interest stop?" is no opt-out.
STOP_MESSAGES = (
    "stop",
    "unsubscribe",
    "stop messaging me",
    "stop messages",
    "stop reminders",
    "退订",
    "退訂",
    "取消订阅",
    "取消訂閱",
    "不要再发了",
    "不要再發了",
)
HELP_MESSAGES = ("help", "帮助", "幫助", "?", "？", "menu help")
LANGUAGE_WORDS = ("language", "语言", "語言", "中文", "english", "简体", "繁體", "繁体")


def _compile(words: tuple[str, ...]) -> re.Pattern[str]:
    parts = []
    for word in words:
        escaped = re.escape(word.casefold())
        # Whole words in English; Chinese has no spaces to anchor on.
        parts.append(rf"\b{escaped}\b" if word.isascii() and word[0].isalpha() else escaped)
    return re.compile("|".join(parts))


_PATTERNS = (
    (Intent.CRISIS, _compile(CRISIS_WORDS)),
    (Intent.HUMAN, _compile(HUMAN_WORDS)),
    (Intent.COMPLAINT, _compile(COMPLAINT_WORDS)),
    (Intent.HARDSHIP, _compile(HARDSHIP_WORDS)),
)


def detect_intents(text: str) -> tuple[Intent, ...]:
    """Every intent the text expresses, most urgent first."""
    clean = normalize(text).casefold()
    if not clean:
        return ()
    bare = clean.strip(" .!。！")
    found = [intent for intent, pattern in _PATTERNS if pattern.search(clean)]
    if bare in STOP_MESSAGES:
        found.append(Intent.STOP)
    if bare in HELP_MESSAGES:
        found.append(Intent.HELP)
    if bare in LANGUAGE_WORDS or bare.startswith(("change language", "切换语言", "切換語言")):
        found.append(Intent.LANGUAGE)
    order = list(Intent)
    return tuple(sorted(set(found), key=order.index))
