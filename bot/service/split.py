"""Cut a reply that is too long for its channel into messages that fit.

A channel refuses a message over its limit for good (Telegram: "message is too
long"), so a long statement would never arrive. Replies are cut once, where
they are queued (bot/service/queueing.py), so every channel gets parts that fit
and no sender has to know about it; each channel's limit is written here, in
one table.

The cut is made on the HTML that Telegram shows and measured on what it shows
(the text after entity parsing): at line breaks, a line longer than a message
at its last space (or, with no space at all, where the limit falls). It never
falls inside a tag or an entity, and a tag open across a cut is closed before
it and opened again after it, so every part is balanced HTML on its own. The
plain text of each part is the HTML part's visible text, so both always agree.

Lengths are counted in UTF-16 code units, as Telegram counts entity offsets: a
character outside the Basic Multilingual Plane (most emoji) counts as two,
which can only make a part shorter than it could have been, never too long.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass

# The most a channel shows in one message, in UTF-16 code units of visible text.
# A channel missing here has no limit (the terminal prints anything).
MESSAGE_LIMITS: Mapping[str, int] = {
    "telegram": 4096,
}


def limit_for(channel: str) -> int | None:
    """The channel's message limit, None when it has none."""
    return MESSAGE_LIMITS.get(channel)


@dataclass(frozen=True)
class Piece:
    """One message of a reply: its plain text and, when the reply had one, its HTML."""

    text: str
    html: str | None


@dataclass(frozen=True)
class _Token:
    raw: str  # as written in the source
    visible: str  # what it shows: "" for a tag, the character for an entity
    tag: str | None = None  # the tag's name, for a tag
    closing: bool = False


_MARKUP = re.compile(r"<[^<>]*>|&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});")
_TAG_NAME = re.compile(r"</?\s*([A-Za-z][A-Za-z0-9-]*)")


def _tokens(source: str, *, markup: bool) -> list[_Token]:
    """Characters, tags and entities, each one token: a cut only falls between tokens."""
    if not markup:
        return [_Token(ch, ch) for ch in source]
    tokens: list[_Token] = []
    position = 0
    for match in _MARKUP.finditer(source):
        tokens.extend(_Token(ch, ch) for ch in source[position : match.start()])
        raw = match.group()
        if raw.startswith("&"):
            tokens.append(_Token(raw, html.unescape(raw)))
        else:
            name = _TAG_NAME.match(raw)
            self_closing = raw.endswith("/>")
            tag = name.group(1).lower() if name and not self_closing else None
            tokens.append(_Token(raw, "", tag, raw.startswith("</")))
        position = match.end()
    tokens.extend(_Token(ch, ch) for ch in source[position:])
    return tokens


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0xFFFF else 1 for ch in text)


def visible_length(source: str, *, markup: bool = True) -> int:
    """What a message shows, in UTF-16 code units (what the channel limit counts)."""
    return sum(_width(t.visible) for t in _tokens(source, markup=markup))


def split_message(
    text: str, html_text: str | None, limit: int | None, *, last_room: int = 0
) -> list[Piece]:
    """The reply as one or more messages, in order, each within `limit`.

    `last_room`: units the last part keeps free, for what a channel adds to it
    later (Telegram writes the chosen answer under a question whose button was
    pressed). A reply that fits whole is returned as it is.
    """
    markup = html_text is not None
    source = html_text if html_text is not None else text
    # Most replies are far shorter than any limit: no need to read them. Markup only
    # adds characters and a character is at most two units, so this never misjudges.
    if limit is None or 2 * len(source) <= limit - last_room:
        return [Piece(text, html_text)]
    tokens = _tokens(source, markup=markup)
    ends = [0]
    for token in tokens:
        ends.append(ends[-1] + _width(token.visible))
    if ends[-1] <= limit - last_room:
        return [Piece(text, html_text)]
    # A piece may never be longer than the last one may be: any piece can end up last.
    room = max(1, limit - last_room)
    units = _units(tokens, ends, room)
    parts = _leave_room_at_the_end(_pack(units, ends, limit), units, ends, room)
    return [_emit(tokens, start, end, markup=markup) for start, end in parts]


def _units(tokens: list[_Token], ends: list[int], room: int) -> list[tuple[int, int]]:
    """Token ranges that are never cut: the lines, a line too long cut at spaces."""
    units: list[tuple[int, int]] = []
    start = 0
    for index, token in enumerate([*tokens, _Token("\n", "\n")]):
        if token.visible == "\n":
            units.extend(_cut_line(tokens, ends, start, index, room))
            start = index + 1
    return units


def _cut_line(
    tokens: list[_Token], ends: list[int], start: int, end: int, room: int
) -> list[tuple[int, int]]:
    """A line in pieces of at most `room`: at the last space that fits, else hard."""
    pieces: list[tuple[int, int]] = []
    while ends[end] - ends[start] > room:
        limit_index = start
        while ends[limit_index + 1] - ends[start] <= room:
            limit_index += 1  # tokens start..limit_index-1 fit
        space = next((i for i in range(limit_index, start, -1) if _breaks(tokens[i].visible)), None)
        if space is not None:
            pieces.append((start, space))
            start = space + 1  # the space itself is where the message breaks
        else:
            cut = max(limit_index, start + 1)  # never an empty piece
            pieces.append((start, cut))
            start = cut
    pieces.append((start, end))
    return pieces


# Spaces that promise to keep their neighbours together (inside "HK$ 6,510.00").
_NO_BREAK = frozenset("\u00a0\u2007\u202f")


def _breaks(visible: str) -> bool:
    return visible.isspace() and visible not in _NO_BREAK


def _pack(units: list[tuple[int, int]], ends: list[int], limit: int) -> list[tuple[int, int]]:
    """Consecutive units gathered greedily into parts of at most `limit`; blank lines
    at a cut are dropped (a part neither starts nor ends with one)."""
    parts: list[tuple[int, int]] = []
    current: tuple[int, int] | None = None
    for start, end in units:
        if start == end:
            continue  # blank: kept only between lines of one part, by the range
        if current is None:
            current = (start, end)
        elif ends[end] - ends[current[0]] <= limit:
            current = (current[0], end)
        else:
            parts.append(current)
            current = (start, end)
    if current is not None:
        parts.append(current)
    return parts or [(0, len(ends) - 1)]


def _leave_room_at_the_end(
    parts: list[tuple[int, int]], units: list[tuple[int, int]], ends: list[int], room: int
) -> list[tuple[int, int]]:
    """Move the last part's first units into a part of their own until the rest keeps
    the room the last part needs (every unit fits in `room`, so this ends)."""
    start, end = parts[-1]
    inside = [u for u in units if start <= u[0] and u[1] <= end and u[0] != u[1]]
    for previous, (unit_start, _) in zip([None, *inside], inside, strict=False):
        if ends[end] - ends[unit_start] <= room:
            if previous is None:
                return parts
            return [*parts[:-1], (start, previous[1]), (unit_start, end)]
    return parts


def _emit(tokens: list[_Token], start: int, end: int, *, markup: bool) -> Piece:
    """Tokens start..end-1 as a part: tags open before it opened again, and closed after."""
    if not markup:
        text = "".join(t.raw for t in tokens[start:end])
        return Piece(text, None)
    opened: list[_Token] = []
    for token in tokens[:start]:
        _track(opened, token)
    prefix = "".join(t.raw for t in opened)
    for token in tokens[start:end]:
        _track(opened, token)
    suffix = "".join(f"</{t.tag}>" for t in reversed(opened))
    body = "".join(t.raw for t in tokens[start:end])
    text = "".join(t.visible for t in tokens[start:end])
    return Piece(text, prefix + body + suffix)


def _track(opened: list[_Token], token: _Token) -> None:
    if token.tag is None:
        return
    if not token.closing:
        opened.append(token)
        return
    for index in range(len(opened) - 1, -1, -1):
        if opened[index].tag == token.tag:
            del opened[index]
            return
