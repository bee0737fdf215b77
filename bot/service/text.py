"""What every channel's text goes through once, at the edge of the runtime."""

from __future__ import annotations

import unicodedata

from bot.domain.characters import drop_invisible, fold_width

# The one length limit of a message (Telegram's own): cut here, once, and trusted by
# every reader after (bot/understanding/), the engine and the transcript.
MAX_TEXT = 4096


def clean_text(text: str | None) -> str | None:
    """Drop NUL and other control characters (PostgreSQL text cannot hold NUL, and
    none of them means anything in a chat); keep line breaks and tabs. Remove the
    invisible format characters (a zero-width space inside a birth date must not
    split it) and fold full-width forms to ASCII, as every reader does
    (bot/domain/characters.py), so what is kept is what was read."""
    if text is None:
        return None
    kept = "".join(
        ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs")
    )
    return fold_width(drop_invisible(kept))[:MAX_TEXT]


def parse_command(text: str | None) -> tuple[str | None, str]:
    """('start', 'TOKEN') for '/start TOKEN'; ('help', '') for '/help@MyBot'; (None, '')
    for anything that is not a command. The one place that reads "/command"."""
    if not text or not text.startswith("/"):
        return None, ""
    head, _, rest = text[1:].partition(" ")
    name = head.split("@", 1)[0].lower()
    if not name or not name.replace("_", "").isalnum():
        return None, ""
    return name, rest.strip()
