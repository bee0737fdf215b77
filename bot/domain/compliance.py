"""Compliance checks that are pure text and time rules.

R9 (no threats, deception, impersonation) and R10 (no pressure to borrow or
sell, no unreasonably short deadlines) are enforced by linting every script
text in every locale; R1 (reasonable hours) and R3 (opt-out wording) are
checked for bot-initiated messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time

R9_PHRASES = (
    "arrest",
    "jail",
    "prison",
    "police",
    "criminal",
    "lawsuit",
    "sue you",
    "legal action",
    "garnish",
    "seize",
    "repossess",
    "blacklist",
    "your employer",
    "your family",
    "your contacts",
    "your neighbours",
    "your neighbors",
    "tell your boss",
    "public record",
    "court order",
    "this is the court",
    "warrant",
    "government official",
    "last warning",
    "逮捕",
    "坐牢",
    "拘留",
    "报警",
    "報警",
    "起诉",
    "起訴",
    "黑名单",
    "黑名單",
    "通知你的家人",
    "通知您的家人",
    "告诉你的家人",
    "告訴你的家人",
    "联系你的单位",
    "聯繫你的單位",
    "你的单位",
    "你的單位",
    "通讯录",
    "通訊錄",
    "曝光",
    "公安",
    "警察",
    "法院传票",
    "法院傳票",
    "刑事",
    "判刑",
    "上门催收",
    "上門催收",
    "影响征信",
    "影響徵信",
    "征信污点",
    "徵信汙點",
)
R10_PHRASES = (
    "borrow from",
    "take a loan",
    "take out a loan",
    "payday loan",
    "credit card to pay",
    "sell your house",
    "sell your car",
    "sell your home",
    "within 1 hour",
    "within one hour",
    "today or else",
    "immediately or",
    "final demand",
    "借钱还",
    "借錢還",
    "网贷",
    "網貸",
    "卖房",
    "賣房",
    "卖车",
    "賣車",
    "以贷养贷",
    "以貸養貸",
    "马上还",
    "馬上還",
    "立即还清",
    "立即還清",
    "最后通牒",
    "最後通牒",
    "一小时内",
    "一小時內",
)
OPT_OUT_WORDS = ("stop", "退订", "退訂")


@dataclass(frozen=True)
class Violation:
    rule: str  # "R9" or "R10"
    phrase: str


def _pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    parts = [rf"\b{re.escape(p)}\b" if p.isascii() else re.escape(p) for p in phrases]
    return re.compile("|".join(parts), re.IGNORECASE)


_RULES = (("R9", _pattern(R9_PHRASES)), ("R10", _pattern(R10_PHRASES)))


def find_violations(text: str, locale: str) -> tuple[Violation, ...]:
    """Threatening, deceptive or pressuring phrases; every list applies in every locale."""
    del locale  # mixed-language texts exist, so all lists are checked
    found: list[Violation] = []
    for rule, pattern in _RULES:
        found.extend(Violation(rule, m.group(0)) for m in pattern.finditer(text))
    return tuple(found)


def bot_initiated_has_opt_out(text: str, locale: str) -> bool:
    """R3: every bot-initiated message says how to stop them."""
    del locale
    return any(word in text for word in ("STOP", "退订", "退訂"))


def hour_allowed(local_time: time, start: time = time(8), end: time = time(21)) -> bool:
    """R1: bot-initiated messages only between 08:00 and 21:00 local time."""
    return start <= local_time < end
