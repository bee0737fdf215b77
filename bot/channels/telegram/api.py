"""What the Telegram channel needs from a Bot API client, whichever library sends.

aiogram and python-telegram-bot each implement BotApi and translate their own
exceptions into the errors below, so delivery, retries and the conversation
rules are written once.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Protocol

from bot.errors import ChannelError, Rejected, RetryLater, Unavailable
from bot.errors import RecipientUnreachable as Blocked

__all__ = [
    "Blocked",
    "BotApi",
    "Button",
    "Rejected",
    "RetryLater",
    "TelegramSendError",
    "TokenRejected",
    "Unavailable",
    "keyboard_rows",
    "refusal",
]

# Two buttons share a row on a phone when each label fits in about half its width
# (a CJK character is as wide as two Latin ones).
HALF_ROW = 16


# Telegram's failures are the project's channel errors; the adapters wrap their
# library's exceptions into these at the edge.
TelegramSendError = ChannelError


class TokenRejected(ChannelError):
    """Telegram does not know the bot token (401/404): retrying cannot help."""


MAX_DESCRIPTION = 160


def refusal(description: str) -> Rejected:
    """Telegram's 400 as Rejected, carrying Telegram's description as its message.

    The description says what was wrong ("message is too long", "chat not found")
    without quoting the message, so the outbox may log it and store it for an
    operator. aiogram passes it as Telegram wrote it; PTB strips the "Bad Request: "
    prefix and capitalizes what follows. Both end up as Telegram words it after the
    prefix ("message is too long"), on one line and cut to a sane length.
    """
    lines = description.strip().splitlines()
    text = lines[0].strip() if lines else ""
    text = text.removeprefix("Bad Request:").strip()
    if text[:1].isupper() and text[1:2].islower():  # PTB's capital, not an acronym
        text = text[0].lower() + text[1:]
    text = text or "Bad Request"
    if len(text) > MAX_DESCRIPTION:
        text = text[: MAX_DESCRIPTION - 1] + "…"
    return Rejected(text)


@dataclass(frozen=True)
class Button:
    text: str
    callback_data: str


def label_width(label: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in label)


def keyboard_rows(buttons: list[Button]) -> list[list[Button]]:
    """Short labels two to a row, long ones alone, in the order given."""
    rows: list[list[Button]] = []
    for button in buttons:
        last = rows[-1] if rows else None
        fits = label_width(button.text) <= HALF_ROW
        if last is not None and len(last) == 1 and fits and label_width(last[0].text) <= HALF_ROW:
            last.append(button)
        else:
            rows.append([button])
    return rows


class BotApi(Protocol):
    async def send_message(
        self,
        chat_id: int,
        text: str,
        *,
        html: bool = False,
        buttons: list[Button] | None = None,
        contact_button: str | None = None,
        remove_contact_keyboard: bool = False,
        paid: bool = False,
    ) -> int:
        """Send a message (`text` in Telegram's HTML when `html`); returns its message_id.
        `paid`: as a paid broadcast (allow_paid_broadcast), above the free rate."""

    async def edit_text(
        self, chat_id: int, message_id: int, html: str, *, buttons: list[Button] | None = None
    ) -> None:
        """Replace a message's text (HTML) and keyboard (none when `buttons` is None)."""

    async def remove_buttons(self, chat_id: int, message_id: int) -> None: ...

    async def answer_callback(self, callback_id: str, text: str | None = None) -> None: ...

    async def set_commands(
        self, commands: list[tuple[str, str]], *, language_code: str | None, chat_id: int | None
    ) -> None: ...

    async def bot_username(self) -> str: ...
