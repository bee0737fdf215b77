"""Understand a typed answer to a question with choices.

Borrowers on a terminal type "2"; on Telegram they may type the label instead
of pressing the button. The service remembers the labels it showed and turns
such text into a choice event before the engine sees it.

The message is matched in the form the reading folds it to (meaning.prepared:
one preparation for both); the labels are folded the same way on their own,
once per set of labels shown.
"""

from __future__ import annotations

from functools import lru_cache

from bot.service.meaning import prepared
from bot.understanding.text import fold

# Label sets kept folded: a conversation shows the same few buttons again and again.
_LABEL_SETS_KEPT = 256
_END_PUNCTUATION = ".!?。！？"


def _matchable(folded: str) -> str:
    """A folded text as a choice is matched: spaces collapsed, closing punctuation gone
    ("Yes!" is the "Yes" button)."""
    return " ".join(folded.split()).rstrip(_END_PUNCTUATION)


@lru_cache(maxsize=_LABEL_SETS_KEPT)
def _labels(labels: tuple[str, ...]) -> tuple[str, ...]:
    """The labels shown, in the form a typed message is matched in."""
    return tuple(_matchable(fold(label)) for label in labels)


def match_choice(text: str, shown: list[tuple[str, str]]) -> str | None:
    """The id of the choice the text names: a number that is a choice's own id ("6"
    among plans of 3, 6 and 12 months, "14" among extensions of 7, 14 and 30 days),
    else a number by its place (1-based), or a label."""
    if not shown:
        return None
    wanted = _matchable(prepared(text).folded)
    if not wanted:
        return None
    if wanted.isdigit() and len(wanted) <= 3:
        # "6" at the plans is six months, not the sixth button ("Back").
        named = next((choice for choice, _ in shown if choice == wanted), None)
        if named is not None:
            return named
        index = int(wanted)
        return shown[index - 1][0] if 1 <= index <= len(shown) else None
    labels = _labels(tuple(label for _, label in shown))
    return next((shown[i][0] for i, label in enumerate(labels) if label == wanted), None)
