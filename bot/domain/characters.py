"""Characters that change nothing a person meant: removed, or folded to plain ASCII.

Invisible format characters (Unicode category Cf: zero-width space and joiners,
word joiner, bidi marks and isolates, byte order mark, soft hyphen) arrive from
copy and paste, keyboards and messengers. Turned into a space, one inside a
birth date splits a number and the date reads as another day; so they are
removed, once at the runtime's door and again by every reader, which then all
see the same text. The zero-width joiner between two emoji, and the tag
characters of a flag, are part of the emoji and stay.

Full-width forms (U+FF01-U+FF5E, the ideographic space) are what a Chinese
keyboard types for ASCII: "１９９０－０５－１７" is "1990-05-17".
"""

from __future__ import annotations

import unicodedata

ZWJ = "\u200d"
_VARIATION_SELECTOR = "\ufe0f"
_BLACK_FLAG = "\U0001f3f4"
_TAGS = ("\U000e0020", "\U000e007f")  # spell a subdivision flag after the black flag
_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def _emoji(ch: str) -> bool:
    """A pictograph or a skin tone (the pieces a ZWJ sequence joins)."""
    code = ord(ch)
    return (
        unicodedata.category(ch) == "So" or 0x1F000 <= code <= 0x1FAFF or 0x2600 <= code <= 0x27BF
    )


def _kept(kept: list[str], ch: str, following: str) -> bool:
    """Whether a format character is part of an emoji and so not invisible at all."""
    before = kept[-1] if kept else ""
    if before == _VARIATION_SELECTOR and len(kept) > 1:
        before = kept[-2]
    if ch == ZWJ:
        return bool(before) and _emoji(before) and bool(following) and _emoji(following)
    if _TAGS[0] <= ch <= _TAGS[1]:
        return before == _BLACK_FLAG or _TAGS[0] <= before <= _TAGS[1]
    return False


def drop_invisible(text: str) -> str:
    """The text without its invisible format characters (Cf), emoji left whole."""
    if text.isprintable():  # no Cf character is printable: the usual message costs one scan
        return text
    kept: list[str] = []
    for index, ch in enumerate(text):
        if unicodedata.category(ch) != "Cf" or _kept(kept, ch, text[index + 1 : index + 2]):
            kept.append(ch)
    return "".join(kept)


def fold_width(text: str) -> str:
    """Full-width ASCII forms and the ideographic space as plain ASCII."""
    return text.translate(_WIDTH)
