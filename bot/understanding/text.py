"""One preparation of a message for every reader: the only place text is normalized.

A message is prepared once (`prepare`) into the forms the readers match on,
and every reader takes that `Prepared` value: nothing downstream normalizes,
case-folds or converts the text again (tests/test_architecture.py holds
every other module to that, tests/runtime/test_one_reading.py counts it).

Traditional characters are folded to Simplified with OpenCC so that what the
model learns from "還錢" also serves "还钱"; a lexicon written in either
script matches both. OpenCC's converter is built once and converts in
microseconds.

No length limit here: the runtime's door (bot/service/text.py, MAX_TEXT) cuts
every message once, and the readers trust it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import opencc

from bot.domain.characters import drop_invisible
from bot.domain.parsing import CHINESE_NUMERALS, cn_numerals_to_digits
from bot.understanding.number_words import words_as_digits

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'"})
# Terminal escape sequences ("\x1b[2J") are formatting, not digits.
_ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-_]")
_SPACES = re.compile(r"\s+")
# A digit or a Chinese numeral: every amount, number and date is written with one.
_NUMERAL = re.compile(rf"[\d{CHINESE_NUMERALS}廿卅]")
# Dashes that people (and phones) use as a minus sign.
_MINUS_SIGNS = str.maketrans({"−": "-", "－": "-", "﹣": "-"})


@dataclass(frozen=True)
class Prepared:
    """A message in the forms its readers match on, made once by `prepare`."""

    text: str  # as it arrived
    # NFKC (full-width digits as ASCII), control characters as spaces, minus signs
    # as "-", spaces collapsed, amounts in English words as digits ("ninety" is
    # "90", number_words.py): amounts and numbers are read here.
    plain: str
    # `plain` in lower case and Simplified, apostrophes dropped ("don't" reads as
    # "dont"): words, cues, crisis, yes and no, charges and the intent model.
    folded: str
    # `plain` in lower case and Simplified, Chinese numerals as digits ("十二月一号"
    # is "12月1号"), apostrophes kept ("may 17 '90"): dates are read here.
    digits: str
    # Whether it holds a digit or a Chinese numeral: without one it names no amount,
    # number or date written with its year, and those readers are not run at all.
    numbered: bool


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional to Simplified characters; other scripts pass through."""
    return str(_t2s().convert(text))


def _plain(text: str) -> str:
    """NFKC, control characters as spaces, minus signs as "-", spaces collapsed.

    Control characters become spaces rather than vanishing so that
    "800\\nper month" stays two words; invisible format characters vanish, so that
    a birth date with a zero-width space inside stays one date (domain/characters.py).
    """
    text = drop_invisible(text)
    if "\x1b" in text:
        text = _ANSI_ESCAPE.sub(" ", text)
    text = unicodedata.normalize("NFKC", text)
    if not text.isprintable():
        text = "".join(ch if ch.isprintable() else " " for ch in text)
    text = text.translate(_MINUS_SIGNS)
    return _SPACES.sub(" ", text).strip()


def prepare(text: str) -> Prepared:
    """The message in every form a reader needs: one normalization, one case fold."""
    plain = _plain(text)
    lower = plain.casefold()
    folded = to_simplified(lower.translate(_APOSTROPHES).replace("'", ""))
    digits = cn_numerals_to_digits(_TWENTIES.sub(_tens, to_simplified(lower)))
    # Amounts in English words ("ninety", "a hundred and twenty-five") as digits,
    # where amounts and numbers are read; the folded form keeps the words.
    amounts = words_as_digits(plain)
    return Prepared(text, amounts, folded, digits, _NUMERAL.search(amounts) is not None)


# 廿 (20) and 卅 (30), as dates write them ("十二月廿四"): as the numerals they stand for.
_TWENTIES = re.compile("[廿卅]")


def _tens(match: re.Match[str]) -> str:
    return "二十" if match[0] == "廿" else "三十"


def fold(text: str) -> str:
    """The folded form of a text that is not a message: a word list, a button label,
    a charge's description, a training example. A message is `prepare`d once instead."""
    return prepare(text).folded


_LATIN_WORD = re.compile(r"[a-z]+")


def latin_words(folded: str) -> list[str]:
    return _LATIN_WORD.findall(folded)
