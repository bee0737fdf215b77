"""The features the intent model sees; training and run time share this one function.

Character n-grams (1 to 4) work for Chinese, which has no spaces, and for
English typed badly ("instalment", "pls"), as Rasa's character n-gram
featurizer does. Digits all read as 0 so that "800 a month" teaches
"1,200 a month" too, and whole Latin words are added so that short English
answers ("no", "ok") carry a feature of their own.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.understanding.text import latin_words

NGRAM_SIZES = (1, 2, 3, 4)
_DIGIT = re.compile(r"\d")


@lru_cache(maxsize=64)
def features(folded: str) -> tuple[str, ...]:
    """Every feature of a folded text (`Prepared.folded`), repeated as often as it occurs.

    Cached: reading one message asks for its features more than once (the
    model's scores, then whether the model knows the text at all)."""
    folded = _DIGIT.sub("0", folded)
    padded = f" {folded} "
    found = [
        padded[start : start + size]
        for size in NGRAM_SIZES
        for start in range(len(padded) - size + 1)
        if padded[start : start + size].strip()
    ]
    found.extend("w:" + word for word in latin_words(folded))
    return tuple(found)
