"""One folded form of a message for every matcher: case, width, script and digits.

Traditional characters are folded to Simplified with OpenCC so that what the
model learns from "還錢" also serves "还钱"; a lexicon written in either
script matches both. OpenCC's converter is built once and converts in
microseconds, so folding costs nothing noticeable per message.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

import opencc

from bot.domain.parsing import normalize

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'"})


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional to Simplified characters; other scripts pass through."""
    return str(_t2s().convert(text))


@lru_cache(maxsize=64)
def fold(text: str) -> str:
    """Normalized, lower case, Simplified, apostrophes dropped ("don't" reads as "dont").

    Memoized: one message is folded by every matcher in turn.
    """
    clean = normalize(text).casefold().translate(_APOSTROPHES).replace("'", "")
    return to_simplified(clean)


_LATIN_WORD = re.compile(r"[a-z]+")


def latin_words(folded: str) -> list[str]:
    return _LATIN_WORD.findall(folded)
