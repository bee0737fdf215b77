"""Small word lists that correct or complete the model where words decide.

- A person asked for in the negative ("no need for a human", "唔使轉人工")
  is not a request for a person.
- Hardship mentioned beside an offer ("$50, I really can't afford more")
  keeps the offer and notes the hardship (R11).
- "All of it", "全部", "一次過" name the whole balance.
"""

from __future__ import annotations

import re

from bot.domain.intents import HARDSHIP_WORDS, NEGATED_PERSON
from bot.understanding.text import fold

_EXTRA_HARDSHIP = (
    "cant afford",
    "can't afford",
    "cannot afford",
    "broke",
    "no job",
    "laid off",
    "redundant",
    "冇收入",
    "冇钱",
    "冇工",
    "炒咗",
    "失咗业",
    "执笠",
    "执咗",
    "还唔起",
    "俾唔起",
    "入不敷",
    "拖粮",
    "欠薪",
    "手头紧",
)


def _words_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    parts = []
    for word in dict.fromkeys(fold(w) for w in words):
        escaped = re.escape(word)
        parts.append(rf"\b{escaped}\b" if word.isascii() else escaped)
    return re.compile("|".join(parts))


_HARDSHIP = _words_pattern(HARDSHIP_WORDS + _EXTRA_HARDSHIP)
_ALL_OF_IT = re.compile(
    r"\b(?:all of it|all of this|the (?:whole|entire|full) (?:thing|lot|amount|balance|debt)"
    r"|everything(?: i owe)?|in full|pay (?:it )?all|clear (?:it )?all|the lot|in one go|lump sum)\b"
    r"|全部|全额|全数|一次性|一次过|一次还清|一次付清|还清|还晒|清晒|结清|付清|清数|一笔过"
)


def negated_human(text: str) -> bool:
    """True when the text turns a person down rather than asking for one."""
    return NEGATED_PERSON.search(fold(text)) is not None


def mentions_hardship(text: str) -> bool:
    return _HARDSHIP.search(fold(text)) is not None


def means_all_of_it(text: str) -> bool:
    """The whole balance: "all of it", "pay in full", "全部", "一次過還晒"."""
    return _ALL_OF_IT.search(fold(text)) is not None
