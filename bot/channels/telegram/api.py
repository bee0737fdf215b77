"""What the Telegram channel needs from a Bot API client, whichever library sends.

aiogram and python-telegram-bot each implement BotApi and translate their own
exceptions into the errors below, so delivery, retries and the conversation
rules are written once.
"""

from __future__ import annotations

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
]


# Telegram's failures are the project's channel errors; the adapters wrap their
# library's exceptions into these at the edge.
TelegramSendError = ChannelError


class TokenRejected(ChannelError):
    """Telegram does not know the bot token (401/404): retrying cannot help."""


@dataclass(frozen=True)
class Button:
    text: str
    callback_data: str


class BotApi(Protocol):
    async def send_message(
        self,
        chat_id: int,
        text: str,
        *,
        buttons: list[Button] | None = None,
        contact_button: str | None = None,
    ) -> int:
        """Send a message; returns Telegram's message_id."""

    async def remove_buttons(self, chat_id: int, message_id: int) -> None: ...

    async def answer_callback(self, callback_id: str, text: str | None = None) -> None: ...

    async def set_commands(
        self, commands: list[tuple[str, str]], *, language_code: str | None, chat_id: int | None
    ) -> None: ...

    async def bot_username(self) -> str: ...
