"""What the Telegram channel needs from a Bot API client, whichever library sends.

aiogram and python-telegram-bot each implement BotApi and translate their own
exceptions into the errors below, so delivery, retries and the conversation
rules are written once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class TelegramSendError(Exception):
    """A call to the Bot API that did not succeed."""


class RetryLater(TelegramSendError):
    """429 Too Many Requests: Telegram says how long to wait."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"retry after {seconds}s")
        self.seconds = seconds


class Unavailable(TelegramSendError):
    """5xx or a network error: worth retrying with backoff."""


class Blocked(TelegramSendError):
    """403: the user blocked the bot; stop writing to them."""


class Rejected(TelegramSendError):
    """400: the request itself is wrong; retrying will not help."""


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
