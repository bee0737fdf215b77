"""Understand a typed answer to a question with choices.

Borrowers on a terminal type "2"; on Telegram they may type the label instead
of pressing the button. The service remembers the labels it showed and turns
such text into a choice event before the engine sees it.
"""

from __future__ import annotations

import unicodedata

from bot.domain.characters import drop_invisible


def _norm(text: str) -> str:
    """One form of a label and of what was typed: invisible characters gone (as every
    reader drops them), full width and case folded, spaces collapsed."""
    folded = unicodedata.normalize("NFKC", drop_invisible(text)).casefold().strip()
    return " ".join(folded.split()).rstrip(".!?。！？")


def match_choice(text: str, shown: list[tuple[str, str]]) -> str | None:
    """The id of the choice the text names, by number (1-based) or by label."""
    if not shown:
        return None
    wanted = _norm(text)
    if not wanted:
        return None
    if wanted.isdigit() and len(wanted) <= 3:
        index = int(wanted)
        return shown[index - 1][0] if 1 <= index <= len(shown) else None
    for choice_id, label in shown:
        if _norm(label) == wanted:
            return choice_id
    return None
