"""What every channel's text goes through once, at the edge of the runtime."""

from __future__ import annotations

import unicodedata

MAX_TEXT = 4096  # Telegram's own limit; longer input is cut


def clean_text(text: str | None) -> str | None:
    """Drop NUL and other control characters (PostgreSQL text cannot hold NUL, and
    none of them means anything in a chat); keep line breaks and tabs."""
    if text is None:
        return None
    kept = "".join(
        ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs")
    )
    return kept[:MAX_TEXT]


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
