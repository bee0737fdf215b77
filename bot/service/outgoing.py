"""What a channel's sender is given to send, and what it must do (bot.service.outbox
delivers; each channel has a `Sender`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class OutgoingMessage:
    """What a sender needs: the text, the buttons with their signed data, and which of
    the chat's earlier messages still show buttons (to take them away)."""

    outbox_id: int
    chat_key: str
    text: str
    buttons: tuple[tuple[str, str], ...] = ()
    contact_button: str | None = None
    close_keyboards: tuple[str, ...] = ()
    html: str | None = None  # the text as HTML (escaped, amounts bold), for channels that can
    # The same question asked again: a channel that can edit may replace the message
    # whose keyboard was just pressed instead of sending a new one (and return its id).
    replace: bool = False
    # The press this message answers: the pressed message (channel id and the HTML it
    # shows) and the chosen label. Kept in the row, so a restart loses nothing.
    pressed: PressedMessage | None = None
    # An answer to a shared contact: channels with a contact keyboard take it away.
    after_contact: bool = False
    # Outreach (a reminder), not a reply to a borrower writing now: it waits behind
    # replies for the channel's rate (outbox.priority).
    outreach: bool = False


@dataclass(frozen=True)
class PressedMessage:
    message_key: str
    html: str
    label: str


class Sender(Protocol):
    """One per channel: sends a message and returns the channel's id for it.

    Raises RetryLater, Unavailable, RecipientUnreachable or Rejected (bot.errors).
    """

    channel: str

    async def send(self, message: OutgoingMessage) -> str: ...


def pressed_of(value: Any) -> PressedMessage | None:
    if not isinstance(value, dict):
        return None
    return PressedMessage(str(value["message"]), str(value["html"]), str(value["label"]))
