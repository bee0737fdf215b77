"""Button data: bound to a conversation and its step, signed.

Channels give button data back verbatim (Telegram's callback_data), but anyone
can craft a press with any data, so it is untrusted: it carries the conversation id, the
step the keyboard was shown at and the choice's position, with a truncated
HMAC so a forged or altered value is recognised. It stays well under
the 64-byte limit Telegram sets whatever the choice ids are.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

MAX_BYTES = 64
_MAC_CHARS = 12
# What encode writes, and nothing else: ASCII digits without sign, space or
# underscore (int() takes all three, and "²" passes str.isdigit), sizes a real
# conversation, step and keyboard stay within, and the MAC in lowercase hex.
_DATA = re.compile(
    rb"(0|[1-9][0-9]{0,17})\.(0|[1-9][0-9]{0,8})\.(0|[1-9][0-9]{0,2})\.([0-9a-f]{12})"
)


@dataclass(frozen=True)
class ButtonRef:
    conversation_id: int
    step: int
    index: int  # position of the choice in the message's keyboard


def _mac(secret: bytes, body: str) -> str:
    return hmac.new(secret, body.encode(), hashlib.sha256).hexdigest()[:_MAC_CHARS]


def encode(ref: ButtonRef, secret: bytes) -> str:
    body = f"{ref.conversation_id}.{ref.step}.{ref.index}"
    data = f"{body}.{_mac(secret, body)}"
    if len(data.encode()) > MAX_BYTES:  # cannot happen with int fields of sane size
        raise ValueError("callback_data longer than 64 bytes")
    return data


def decode(data: str | None, secret: bytes) -> ButtonRef | None:
    """The reference, or None when the data is malformed or not signed by us.

    Whoever presses decides the data, so nothing in it may raise: it is read as
    ASCII bytes (a lone surrogate or a non-ASCII character is refused, not
    encoded), matched whole against the one shape encode writes, and its MAC is
    compared as bytes (compare_digest raises on non-ASCII text)."""
    if not data or len(data) > MAX_BYTES:
        return None
    try:
        raw = data.encode("ascii")
    except UnicodeEncodeError:
        return None
    found = _DATA.fullmatch(raw)
    if found is None:
        return None
    conversation, step, index, mac = found.groups()
    body = b".".join((conversation, step, index))
    if not hmac.compare_digest(mac, _mac(secret, body.decode("ascii")).encode("ascii")):
        return None
    return ButtonRef(int(conversation), int(step), int(index))
