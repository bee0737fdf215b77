"""Compliance checks that are pure text and time rules.

R9 (no threats, deception, impersonation) and R10 (no pressure to borrow or
sell, no unreasonably short deadlines) are enforced by linting every script
text in every locale; R1 (reasonable hours) and R3 (opt-out wording) are
checked for bot-initiated messages.

The lists are deliberately strict: a lint that flags "court" in an honest
sentence costs a script author one rephrasing, while a threat that slips
through reaches every overdue borrower. Every list is checked in every
locale, because translated and mixed-language texts exist.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from bot.domain.threat_patterns import Finding, find_findings, negated

# Threats of arrest, exposure or legal action that is not real (R9). A third
# party alone ("your family") is no threat: threat_patterns pairs who is told
# with a verb of telling, so "a friend or relative may help you" passes.
R9_THREAT_PHRASES = (
    "arrest",
    "arrested",
    "jail",
    "prison",
    "criminal",
    "lawsuit",
    "sue you",
    "sued",
    "suing you",
    "take you to court",
    "legal action",
    "garnish",
    "garnishment",
    "seize",
    "repossess",
    "bailiff",
    "blacklist",
    "blacklisted",
    "social media",
    "public record",
    "ruin your credit",
    "destroy your credit",
    "last warning",
    "逮捕",
    "抓你",
    "坐牢",
    "拘留",
    "判刑",
    "刑事",
    "报警",
    "報警",
    "起诉",
    "起訴",
    "律师函",
    "律師函",
    "黑名单",
    "黑名單",
    "老赖",
    "老賴",
    "联系单位",
    "聯繫單位",
    "单位领导",
    "單位領導",
    "通讯录",
    "通訊錄",
    "曝光",
    "上门",
    "上門",
    "影响征信",
    "影響徵信",
    "征信污点",
    "徵信汙點",
    "征信黑",
    "徵信黑",
    "后果自负",
    "後果自負",
    "涉嫌",
    "诈骗",
    "詐騙",
    "恶意逃债",
    "惡意逃債",
)
# Impersonating courts, police or government (R9).
R9_IMPERSONATION_PHRASES = (
    "police",
    "court",
    "court order",
    "this is the court",
    "warrant",
    "sheriff",
    "government official",
    "government agency",
    "on behalf of the government",
    "法院",
    "法警",
    "公安",
    "警察",
    "警方",
    "检察院",
    "檢察院",
    "政府",
    "法院传票",
    "法院傳票",
)
R9_PHRASES = R9_THREAT_PHRASES + R9_IMPERSONATION_PHRASES
# Pressure to borrow elsewhere or sell property, and unreasonably short deadlines (R10).
R10_PHRASES = (
    "borrow from",
    "borrow money",
    "take a loan",
    "take out a loan",
    "another loan",
    "payday loan",
    "cash advance",
    "credit card to pay",
    "pawn",
    "sell your",
    "within 1 hour",
    "within one hour",
    "within an hour",
    "within the hour",
    "today or else",
    "right now or",
    "immediately or",
    "final demand",
    "借钱还",
    "借錢還",
    "找人借",
    "向亲友借",
    "向親友借",
    "网贷",
    "網貸",
    "贷款还",
    "貸款還",
    "以贷养贷",
    "以貸養貸",
    "借呗",
    "借唄",
    "套现",
    "套現",
    "卖房",
    "賣房",
    "卖车",
    "賣車",
    "卖掉",
    "賣掉",
    "变卖",
    "變賣",
    "马上还",
    "馬上還",
    "立即还",
    "立即還",
    "立即付",
    "立即缴",
    "立即繳",
    "最后通牒",
    "最後通牒",
    "一小时内",
    "一小時內",
    "两小时内",
    "兩小時內",
    "今天必须",
    "今天必須",
)
# R3: how a bot-initiated message tells the borrower to stop them.
OPT_OUT_WORDS = ("STOP", "/stop", "退订", "退訂", "取消订阅", "取消訂閱")


# R10: the shortest time a text may give a borrower to pay. Deadlines in texts
# ("Pay within 2 hours", "今天内还清") shorter than this are pressure. The policy
# file does not carry the value yet, so callers pass it when it does.
DEFAULT_MIN_DEADLINE_DAYS = 7


@dataclass(frozen=True)
class Violation:
    """One phrase a script must not say, and the rule it breaks."""

    rule: str  # "R9" or "R10"
    phrase: str
    # The kind of prohibited practice ("legal action", "contacting third parties", ...).
    kind: str = field(default="prohibited phrase", compare=False)


def _pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    # Longest first, so "court order" is reported rather than "court".
    # Reverse alphabetical order would do as well for lower-case phrases (a phrase
    # sorts before its own prefixes), so dropping key=len changes nothing.
    ordered = sorted(set(phrases), key=len, reverse=True)  # pragma: no mutate (equivalent key)
    parts = [rf"\b{re.escape(p)}\b" if p.isascii() else re.escape(p) for p in ordered]
    return re.compile("|".join(parts), re.IGNORECASE)


_RULES = (("R9", _pattern(R9_PHRASES)), ("R10", _pattern(R10_PHRASES)))
# A placeholder's value is data, not wording: "{borrower_name}" must not read as "borrow".
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def _clean(text: str) -> str:
    """NFKC so that full-width letters ("ｐｏｌｉｃｅ") cannot slip past the lint."""
    return unicodedata.normalize("NFKC", text).replace("’", "'")


def find_violations(
    text: str, locale: str, *, min_deadline_days: int = DEFAULT_MIN_DEADLINE_DAYS
) -> tuple[Violation, ...]:
    """Threatening, deceptive or pressuring phrases; every list applies in every locale.

    Word lists and patterns (threat_patterns) both run; where two findings of
    one rule overlap, the longest is reported once.
    """
    del locale  # mixed-language texts exist, so all lists are checked
    clean = _PLACEHOLDER.sub(" ", _clean(text))
    found: list[Finding] = []
    for rule, pattern in _RULES:
        found.extend(
            Finding(rule, "prohibited phrase", m.group(0), m.start(), m.end())
            for m in pattern.finditer(clean)
        )
    found.extend(find_findings(clean, min_deadline_days))
    # "We will not take legal action while you keep to the plan" promises the opposite.
    found = [f for f in found if not negated(clean, f.start, f.end)]
    # At one start, -(end - start) and -(end + start) order alike: not mutated.
    found.sort(key=lambda f: (f.start, -(f.end - f.start)))  # pragma: no mutate
    kept: list[Finding] = []
    for finding in found:
        if any(
            k.rule == finding.rule and k.start <= finding.start and finding.end <= k.end
            for k in kept
        ):
            continue
        kept.append(finding)
    return tuple(Violation(f.rule, f.phrase, f.kind) for f in kept)


def lender_text_problem(text: str, *, is_name: bool = False) -> str | None:
    """R9/R10 for a text the lender supplies and the bot shows as written (a charge
    description, a borrower's name): the rules and kinds it breaks, or None.

    The answer never repeats the text: it goes to an import report, and the
    text may hold personal data. In a name, a capitalised English word alone
    ("Sue", "Court") is read as a name, not as a threat.
    """
    found = find_violations(text, "en")
    if is_name:
        found = tuple(v for v in found if not re.fullmatch(r"[A-Z][a-z]+", v.phrase))
    if not found:
        return None
    said = "; ".join(sorted({f"{v.rule}: {v.kind}" for v in found}))
    return f"would show the borrower a threat or pressure ({said}); the text is refused"


# R6: how a first message says the borrower is talking to an automated assistant.
_AUTOMATED = re.compile(
    r"\b(?:automated|virtual|digital|AI)\s+assistant\b|\bchat\s?bot\b|\bbot\b"
    r"|(?:智能|智慧|自动|自動|AI\s?|人工智能)(?:助手|助理|客服)|自动回复|自動回覆|机器人|機器人",
    re.IGNORECASE,
)
LENDER_PLACEHOLDER = "{lender}"


def says_automated(text: str) -> bool:
    """R6: the text tells the borrower they are talking to an automated assistant."""
    return bool(_AUTOMATED.search(_clean(text)))


def first_contact_problems(text: str) -> tuple[str, ...]:
    """R6: what a text that can be someone's first message from the bot lacks."""
    missing = []
    if LENDER_PLACEHOLDER not in text:
        missing.append("does not name the {lender}")
    if not says_automated(text):
        missing.append("does not say it is an automated assistant")
    return tuple(missing)


_OPT_OUT_KEYWORD = re.compile(r"\bSTOP\b|(?<!\w)/stop\b")
# In Chinese the keyword alone is not an instruction: the text must also say, in
# Chinese, what to do with it (回复/回覆 STOP) or what it does (退订, 取消訂閱, 停止提醒).
_ZH_OPT_OUT_WORDS = re.compile(
    r"回[复覆]|[发發][送]|傳送|[输輸]入|退[订訂]|取消[订訂][阅閱]|停止(?:提醒|接收|[发發]送|傳送)"
)
_ZH_UNSUBSCRIBE = re.compile(r"退[订訂]|取消[订訂][阅閱]")


def bot_initiated_has_opt_out(text: str, locale: str) -> bool:
    """R3: every bot-initiated message says how to stop them, in the borrower's language.

    "STOP" must be in capitals: a lower-case "stop" in a sentence ("we never
    stop helping") is not an instruction. A Chinese text names the keyword
    with a Chinese instruction ("回复 STOP 退订", "回覆 STOP 即可停止提醒"),
    or says 退订/取消訂閱 on its own; an English "Reply STOP" pasted into a
    Chinese text does not tell a Chinese reader how to stop.
    """
    clean = _clean(text)
    if locale.startswith("zh"):
        if _ZH_UNSUBSCRIBE.search(clean):
            return True
        return bool(_OPT_OUT_KEYWORD.search(clean) and _ZH_OPT_OUT_WORDS.search(clean))
    return bool(_OPT_OUT_KEYWORD.search(clean))
