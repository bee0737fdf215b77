"""When the borrower does not want to hear from the bot, in their own words (R4).

"not during work hours", "only evenings on weekdays", "don't message me before
10am", "not on weekends", "别在上班时间发", "平日晚上才找我", "週末不要打擾我",
"朝早唔好搵我": read into quiet windows (bot/domain/quiet_windows.py). A message
that names times says when the borrower does not want messages, unless it says
*only* ("only evenings", "才", "只"): then the bot stays quiet at every other time
of the week. Nothing read means nothing understood: the caller asks again with
an example and changes nothing.

Read from `Prepared.digits` (lower case, Simplified, Chinese numerals as
digits), so Traditional and Cantonese wording needs no second list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time

from bot.domain.quiet_windows import EVERY_DAY, WEEKDAYS, QuietWindow
from bot.understanding.text import Prepared

WEEKEND: frozenset[int] = frozenset({5, 6})
_DAY_END = 24 * 60  # minutes: midnight at the end of a day

# Words for the days a clause is about, most specific first.
_WEEKEND_WORDS = re.compile(r"weekend|周末|礼拜六日|星期六日|周六日|六日")
_WEEKDAY_WORDS = re.compile(
    r"weekday|week day|work ?day|working day|monday to friday|mon-fri|"
    r"工作日|平日|上班日|返工日|(星期|周|礼拜)[1一][到至\-~](星期|周|礼拜)?[5五]"
)
_EVERY_DAY_WORDS = re.compile(r"every ?day|daily|any day|每天|每日|天天")

# Named parts of the day, as (start, end) minutes.
_WORK_HOURS = (9 * 60, 18 * 60)
_PERIODS: tuple[tuple[re.Pattern[str], tuple[int, int]], ...] = (
    (
        re.compile(
            r"work(ing)? hours|office hours|business hours|at work|while i.?m working|"
            r"during work|上班|工作时间|办公时间|返工|做嘢|返緊工|返紧工"
        ),
        _WORK_HOURS,
    ),
    (re.compile(r"lunch|午饭|午休|午餐|晏昼"), (12 * 60, 14 * 60)),
    (re.compile(r"morning|早上|上午|朝早|早晨|清早"), (0, 12 * 60)),
    (re.compile(r"afternoon|下午|晏昼"), (12 * 60, 18 * 60)),
    (
        re.compile(r"evening|tonight|night|晚上|夜晚|夜里|夜间|晚间|晚黑|夜晚|深夜|半夜"),
        (18 * 60, _DAY_END),
    ),
)

# "only evenings", "平日晚上才找我": the borrower says when they may be contacted.
_ONLY = re.compile(r"\bonly\b|\bjust\b|\bexcept\b|只|才|仅|净系|淨係|除了")

_CLOCK_EN = re.compile(
    r"\b(?P<h>\d{1,2})(?::(?P<m>\d{2}))?\s*(?P<ampm>a\.?m\.?|p\.?m\.?|o'?clock)?(?![\d/])"
)
_CLOCK_ZH = re.compile(
    r"(?P<part>早上|上午|中午|下午|晚上|夜里|夜晚|凌晨|朝早|晏昼|夜晚)?\s*"
    r"(?P<h>\d{1,2})\s*(?:[点时:：]\s*(?P<m>\d{1,2}|半)?)(?:分)?"
)
_BEFORE = re.compile(r"\bbefore\b|\buntil\b|\btill\b|earlier than")
_AFTER = re.compile(r"\bafter\b|later than|\bpast\b")
_ZH_BEFORE = re.compile(r"^\s*(之前|以前|前)")
_ZH_AFTER = re.compile(r"^\s*(之后|以后|后|过后)")
_TIME_WORDS = re.compile(r"\b(before|after|between|from|until|till|past|later|earlier)\b")
_CLAUSES = re.compile(r"[,，;；。、\n]|\band not\b|\bor\b|\band also\b|也|还有|或者|同埋")


@dataclass(frozen=True)
class _Said:
    days: frozenset[int] | None
    span: tuple[int, int] | None  # minutes; end may be below start (past midnight)


# Words about being contacted: with a time, the message is a request about when.
_CONTACT = re.compile(
    r"messag|\btext|contact|\bcall|remind|ping|bother|disturb|reach|\bwrite|\bsend|"
    r"\bmsg|hear from|找我|发|打扰|联系|搵|揾|打给|打俾|提醒|通知|消息|信息|短信|骚扰|打电话"
)


# "not", "don't" (folded: "dont"), "别", "唔好": the times named are the quiet ones.
_NEGATION = re.compile(
    r"\bnot?\b|\bdont\b|\bnever\b|\bstop\b|\bavoid\b|\bbusy\b|\bwithout\b|"
    r"别|不要|唔好|勿|不可以|不方便|没空|冇空|唔得|不行|不想|唔想|停|免"
)


# "When can you contact me?", "免打扰时间": a question about the settings themselves.
_ABOUT_CONTACT_TIMES = re.compile(
    r"quiet (hours|times?)|do not disturb|dont disturb|"
    r"when (can|will|do|would) (you|u) (contact|message|text|call|remind|write)|"
    r"(contact|reminder) (hours|times|settings|preferences)|"
    r"免打扰|勿扰|什么时候(会)?(联系|找|发|打)|几点(会)?(联系|找|发|打)|几时(会)?(搵|揾|联络)"
)


def asks_about_contact_times(prepared: Prepared) -> bool:
    """Whether the borrower asks about when the bot writes, without naming times."""
    return _ABOUT_CONTACT_TIMES.search(prepared.folded) is not None


def asks_for_quiet(prepared: Prepared, windows: tuple[QuietWindow, ...]) -> bool:
    """Whether a message that names times is about when to be contacted ("don't
    message me at work"), so it can be taken up from anywhere in the conversation."""
    return bool(windows) and _CONTACT.search(prepared.folded) is not None


def read_quiet_windows(prepared: Prepared) -> tuple[QuietWindow, ...]:
    """The quiet windows a message asks for; () when it names no time or day."""
    text = prepared.digits
    said = [found for clause in _CLAUSES.split(text) if (found := _clause(clause)) is not None]
    if not said:
        return ()
    if _ONLY.search(text) or _welcome(prepared):
        return _outside(said)
    return tuple(_window(found) for found in said)


def _welcome(prepared: Prepared) -> bool:
    """ "Call me after 6pm", "晚上找我": times the borrower may be contacted, said
    without "not" (a bare "work hours" answers "when should I not write?")."""
    folded = prepared.folded
    return _NEGATION.search(folded) is None and _CONTACT.search(folded) is not None


def _clause(clause: str) -> _Said | None:
    days = _days(clause)
    span = _clock_span(clause) or _period(clause)
    if days is None and span is None:
        return None
    if days is None and _PERIODS[0][0].search(clause):
        days = WEEKDAYS  # "work hours" are a weekday's
    return _Said(days, span)


def _days(clause: str) -> frozenset[int] | None:
    if _WEEKEND_WORDS.search(clause):
        return WEEKEND
    if _WEEKDAY_WORDS.search(clause):
        return WEEKDAYS
    if _EVERY_DAY_WORDS.search(clause):
        return EVERY_DAY
    return None


def _period(clause: str) -> tuple[int, int] | None:
    for pattern, span in _PERIODS:
        if pattern.search(clause):
            return span
    return None


def _clock_span(clause: str) -> tuple[int, int] | None:
    """An explicit time: before 10, after 8pm, between 9 and 5, 9点到17点, 10点前."""
    clocks = _clocks(clause)
    if not clocks:
        return None
    if len(clocks) >= 2:
        start, end = clocks[0][0], clocks[1][0]
        if end <= start and end < 12 * 60 and not clocks[1][1]:
            end += 12 * 60  # "between 9 and 5": five in the afternoon
        return (start, end % _DAY_END)
    minutes, _, _, after_text, before_text = clocks[0]
    if _ZH_BEFORE.match(after_text) or _BEFORE.search(before_text):
        return (0, minutes)
    if _ZH_AFTER.match(after_text) or _AFTER.search(before_text):
        return (minutes, _DAY_END)
    return None


def _clocks(clause: str) -> list[tuple[int, bool, int, str, str]]:
    """Each time of day named: (minutes, whether am/pm was said, where, text after, before)."""
    found: list[tuple[int, bool, int, str, str]] = []
    for match in _CLOCK_ZH.finditer(clause):
        hour = int(match["h"])
        minute = 30 if match["m"] == "半" else int(match["m"] or 0)
        part = match["part"] or ""
        marked = bool(part)
        afternoon = part in ("下午", "晚上", "夜里", "夜晚", "晏昼") and hour < 12
        if afternoon or (part == "中午" and hour < 6):
            hour += 12
        if hour <= 24 and minute < 60:
            found.append(
                (hour % 24 * 60 + minute, marked, match.start(), clause[match.end() :], "")
            )
    if found:
        return found
    for match in _CLOCK_EN.finditer(clause):
        hour, minute = int(match["h"]), int(match["m"] or 0)
        ampm = (match["ampm"] or "").replace(".", "")
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
        if hour <= 24 and minute < 60:
            marked = ampm in ("am", "pm") or match["m"] is not None or "clock" in ampm
            before = clause[: match.start()]
            found.append((hour % 24 * 60 + minute, marked, match.start(), "", before))
    for word, minutes in (("noon", 12 * 60), ("midnight", 0)):
        if (named := re.search(rf"\b{word}\b", clause)) is not None:
            found.append((minutes, True, named.start(), "", clause[: named.start()]))
    if not _TIME_WORDS.search(clause):
        found = [clock for clock in found if clock[1]]  # a bare number is no time of day
    found.sort(key=lambda item: item[2])
    return found


def _clock(minutes: int) -> time:
    return time(minutes // 60 % 24, minutes % 60)


def _window(said: _Said) -> QuietWindow:
    start, end = said.span if said.span is not None else (0, 0)
    return QuietWindow(said.days or EVERY_DAY, _clock(start), _clock(end))


def _outside(allowed: list[_Said]) -> tuple[QuietWindow, ...]:
    """Quiet at every time of the week the borrower did not name ("only evenings")."""
    free: dict[int, list[tuple[int, int]]] = {day: [] for day in range(7)}
    for said in allowed:
        start, end = said.span if said.span is not None else (0, _DAY_END)
        pieces = [(start, end or _DAY_END)] if start < (end or _DAY_END) else [(start, _DAY_END)]
        for day in said.days or EVERY_DAY:
            free[day].extend(pieces)
            if said.span is not None and start >= (end or _DAY_END):
                free[(day + 1) % 7].append((0, end))  # past midnight: the next morning
    quiet: dict[tuple[int, int], set[int]] = {}
    for day, spans in free.items():
        for gap in _gaps(sorted(spans)):
            quiet.setdefault(gap, set()).add(day)
    return tuple(
        QuietWindow(frozenset(days), _clock(start), _clock(end))
        for (start, end), days in sorted(quiet.items(), key=lambda item: (min(item[1]), item[0]))
    )


def _gaps(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of a day (minutes 0..1440) no span covers."""
    gaps: list[tuple[int, int]] = []
    at = 0
    for start, end in spans:
        if start > at:
            gaps.append((at, start))
        at = max(at, end)
    if at < _DAY_END:
        gaps.append((at, _DAY_END))
    return gaps
