"""Which charge a borrower means: "that late fee", "年費", "the $35 charge".

A charge is named by its kind (each language's words for it), by words of
its description, or by its amount. Two charges of the same kind both match:
the bot then asks which one rather than picking.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from bot.domain.accounts import Charge, ChargeKind
from bot.understanding.text import Prepared, fold

# Folded (lower case, Simplified) words for each kind of charge.
_KIND_WORDS: dict[ChargeKind, tuple[str, ...]] = {
    ChargeKind.LATE_FEE: (
        r"\blate (?:payment )?(?:fee|charge|fine|penalty)s?\b",
        r"\bpenalty\b",
        r"\blate fees?\b",
        "滞纳金",
        "迟交费",
        "迟缴费",
        "逾期费",
        "延迟费",
        "违约金",
        "罚款",
        "罚金",
    ),
    ChargeKind.ANNUAL_FEE: (
        r"\b(?:annual|yearly|membership|card) fees?\b",
        "年费",
        "年费用",
        "会员费",
    ),
    ChargeKind.INTEREST: (r"\binterest\b", r"\bapr\b", "利息", "罚息", "利率", "计息"),
    ChargeKind.PRINCIPAL: (r"\bprincipal\b", r"\bthe loan itself\b", "本金"),
}
_KIND_PATTERNS = {kind: re.compile("|".join(words)) for kind, words in _KIND_WORDS.items()}
# Words in a description that name nothing in particular.
_GENERIC = frozenset({"fee", "fees", "charge", "charges", "the", "and", "for", "of", "费", "费用"})
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


@lru_cache(maxsize=256)
def _description_words(description: str) -> frozenset[str]:
    """The words of a charge's description that name it. Folded once per description,
    not once per message: an account's charges change far less often than it is written to."""
    folded = fold(description)
    words = {w for w in re.findall(r"[a-z]{4,}", folded) if w not in _GENERIC}
    # Chinese descriptions: every two-character piece that is not generic.
    han = "".join(re.findall(r"[\u4e00-\u9fff]+", folded))
    words.update(han[i : i + 2] for i in range(len(han) - 1) if han[i : i + 2] not in _GENERIC)
    return frozenset(words)


def _amounts(folded: str) -> set[Decimal]:
    found = set()
    for raw in _NUMBER.findall(folded.replace(",", "")):
        try:
            found.add(Decimal(raw))
        except InvalidOperation:  # pragma: no cover - the pattern only matches numbers
            continue
    return found


def named_charges(message: Prepared, charges: Sequence[Charge]) -> tuple[str, ...]:
    """The ids of the charges the message names, best first; () when none is named."""
    if not charges:
        return ()
    folded = message.folded
    numbers = _amounts(folded)
    scored: list[tuple[int, str]] = []
    for charge in charges:
        score = 0
        pattern = _KIND_PATTERNS.get(charge.kind)
        if pattern is not None and pattern.search(folded):
            score += 2
        # Each word of the description counts: "the october late fee" names
        # October's late fee, not November's.
        score += sum(word in folded for word in _description_words(charge.description))
        if charge.amount in numbers:
            score += 2
        if score:
            scored.append((score, charge.charge_id))
    if not scored:
        return ()
    best = max(score for score, _ in scored)
    return tuple(charge_id for score, charge_id in scored if score == best)


# Words that only name or point at a charge, or ask to dispute it: what is left
# without them is a reason ("I paid on time", "我按时还了").
_POINTING = _GENERIC | frozenset(
    (
        "a", "an", "this", "that", "these", "those", "it", "its", "my", "i", "want", "wanna",
        "would", "like", "to", "please", "dispute", "disputing", "challenge", "query",
        "question", "on", "about", "one", "is", "was",
    )
)  # fmt: skip
_POINTING_HAN = (
    "我想", "我要", "想要", "申诉", "争议", "投诉", "质疑", "这笔", "那笔", "这个", "那个",
    "这项", "那项", "请", "的", "我", "要", "想", "是", "笔", "项", "个", "这", "那",
)  # fmt: skip
_EN_WORD = re.compile(r"[a-z]+")
_HAN = re.compile(r"[\u4e00-\u9fff]")
# Enough words left over to be a reason, not a stray word ("fee please").
_REASON_WORDS = 2
_REASON_HAN = 3


def gives_reason(message: Prepared, charges: Sequence[Charge], named: Sequence[str]) -> bool:
    """Whether a message naming charges also says why ("the late fee, I paid on time"),
    so a dispute can keep it as its reason instead of asking for one."""
    if not named:
        return False
    rest = message.folded
    for charge in charges:
        if charge.charge_id not in named:
            continue
        pattern = _KIND_PATTERNS.get(charge.kind)
        if pattern is not None:
            rest = pattern.sub(" ", rest)
        for word in _description_words(charge.description):
            rest = rest.replace(word, " ")
    rest = _NUMBER.sub(" ", rest)
    for piece in _POINTING_HAN:
        rest = rest.replace(piece, " ")
    words = [w for w in _EN_WORD.findall(rest) if w not in _POINTING]
    return len(words) >= _REASON_WORDS or len(_HAN.findall(rest)) >= _REASON_HAN
