"""English amounts in words, as digits: "ninety" is 90, "a hundred and twenty-five" 125.

Borrowers write amounts the way they say them ("what if i did ninety a month",
"two hundred and fifty"). `prepare` (text.py) writes such a run as digits in the
form amounts and numbers are read from (`Prepared.plain`), so every reader of
amounts and numbers sees "90" and "125"; the folded form the model and the word
lists read keeps the words. Only runs worth 10 or more, or with "hundred" or
"thousand" in them, are written as digits: "one" and "a" alone stay words ("in
one go", "no one"), and small counts keep being read as they were.
"""

from __future__ import annotations

import re

_SMALL = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fourty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1000}
_WORD = "|".join(sorted([*_SMALL, *_SCALES], key=len, reverse=True))
# A run of number words, joined by spaces, hyphens or "and", after an optional "a".
_RUN = re.compile(
    rf"(?<![a-z0-9])(?:(?:an?)\s+(?=hundred|thousand))?(?:{_WORD})"
    rf"(?:(?:\s+and\s+|\s*-\s*|\s+)(?:{_WORD}))*(?![a-z0-9])",
    re.IGNORECASE,
)
_TOKEN = re.compile(rf"{_WORD}", re.IGNORECASE)
# What a run must be worth to be written as digits, unless it has a scale word.
SMALLEST = 10


def run_value(run: str) -> int | None:
    """The value of a run of number words; None when it is no well-formed number
    ("five six", "twenty twenty": read as two numbers, so not one)."""
    total = 0
    current = 0
    last = None  # the size of the last word added to `current` (10s, 1s)
    for token in _TOKEN.findall(run):
        word = token.lower()
        if word in _SCALES:
            scale = _SCALES[word]
            if scale == 100:
                current = (current or 1) * 100
            else:
                total += (current or 1) * 1000
                current = 0
            last = None
            continue
        value = _SMALL[word]
        if last is not None and (last < 20 or (value >= 10 and last >= 20) or value >= 20):
            return None
        current += value
        last = value
    return total + current


def words_as_digits(text: str) -> str:
    """The text with each run of English number words worth writing as digits written so."""

    def digits(match: re.Match[str]) -> str:
        run = match.group(0)
        value = run_value(run)
        has_scale = re.search(r"hundred|thousand", run, re.IGNORECASE) is not None
        if value is None or (value < SMALLEST and not has_scale):
            return run
        return str(value)

    return _RUN.sub(digits, text)
