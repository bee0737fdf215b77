"""What the outbox holds while it sends: a claimed row, a send whose mark is still
to be written, and what to do after one send (bot.service.outbox)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Claimed:
    row_id: int
    row: dict[str, Any]
    close: tuple[str, ...]


@dataclass(frozen=True)
class Unmarked:
    """A message the channel accepted, to be marked sent with the id it gave."""

    claimed: Claimed
    external_id: str
    has_buttons: bool


@dataclass(frozen=True)
class HeadClaim:
    """A chat's head claimed in the transaction that queued it: the row to send first,
    or None when nothing is due now (an older message waits for a retry, or another
    sender holds one)."""

    claimed: Claimed | None


@dataclass(frozen=True)
class Outcome:
    """After one send: seconds to wait before trying again (None: go on at once), and
    the chat's next row when the send already claimed it (`looked_ahead`)."""

    wait: float | None = None
    next: Claimed | None = None
    looked_ahead: bool = False
