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
from dataclasses import dataclass

MAX_BYTES = 64
_MAC_CHARS = 12


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
    """The reference, or None when the data is malformed or not signed by us."""
    if not data or len(data.encode()) > MAX_BYTES:
        return None
    parts = data.split(".")
    if len(parts) != 4 or not all(p.isdigit() for p in parts[:3]):
        return None
    body = ".".join(parts[:3])
    if not hmac.compare_digest(parts[3], _mac(secret, body)):
        return None
    return ButtonRef(int(parts[0]), int(parts[1]), int(parts[2]))
