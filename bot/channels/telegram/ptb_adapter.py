"""The python-telegram-bot adapter: PTB speaks to Telegram, the gateway decides.

A single TypeHandler hands every Update to the gateway; no ConversationHandler,
no PTB persistence: dialog state lives in the database.
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any, TypeVar

# PTB 22 is moving time periods from int to timedelta; opt in so it does not
# warn on every RetryAfter.
os.environ.setdefault("PTB_TIMEDELTA", "true")

from telegram import Bot as PtbBot
from telegram import (
    BotCommand,
    BotCommandScopeChat,
    BotCommandScopeDefault,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    MaybeInaccessibleMessage,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.error import (
    BadRequest,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.ext import Application, ContextTypes, TypeHandler

from bot.channels.telegram.api import (
    Blocked,
    Button,
    RetryLater,
    TelegramSendError,
    TokenRejected,
    Unavailable,
    keyboard_rows,
    refusal,
)
from bot.channels.telegram.gateway import TelegramGateway, TelegramUpdate
from bot.channels.telegram.polling import CONVERSATION_KINDS
from bot.channels.telegram.ptb_transport import AiohttpRequest

T = TypeVar("T")


def build_application(token: str, api_url: str) -> Application:  # type: ignore[type-arg]
    """An Application calling `<api_url>/bot<token>/<method>`; updates handled concurrently.

    Requests go over aiohttp (see ptb_transport); getUpdates has its own session,
    so a long poll never holds a connection a reply is waiting for."""
    calls, polls = AiohttpRequest(), AiohttpRequest(connections=1)
    application = (
        Application.builder()
        .token(token)
        .base_url(f"{api_url.rstrip('/')}/bot")
        .request(calls)
        .get_updates_request(polls)
        .concurrent_updates(True)
        .build()
    )
    _transports[application] = (calls, polls)
    return application


# Each application's two transports, to close them when PTB's start fails: PTB
# shuts down only a bot that finished initializing.
_transports: weakref.WeakKeyDictionary[Any, tuple[AiohttpRequest, ...]] = (
    weakref.WeakKeyDictionary()
)


def _inline(buttons: list[Button]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(b.text, callback_data=b.callback_data) for b in row]
            for row in keyboard_rows(buttons)
        ]
    )


async def initialize(application: Application) -> None:  # type: ignore[type-arg]
    """Start PTB (it calls getMe), with its errors translated like every other call."""
    try:
        await PtbApi(application.bot)._call(application.initialize)
    except BaseException:
        for transport in _transports.get(application, ()):
            await transport.shutdown()
        raise


class PtbApi:
    """BotApi over a PTB Bot."""

    def __init__(self, bot: PtbBot) -> None:
        self._bot = bot

    async def _call(self, call: Callable[[], Awaitable[T]]) -> T:
        try:
            return await call()
        except RetryAfter as exc:
            wait = exc.retry_after
            seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
            raise RetryLater(seconds) from exc
        except InvalidToken as exc:
            raise TokenRejected(exc.message) from exc
        except Forbidden as exc:
            raise Blocked(exc.message) from exc
        except BadRequest as exc:
            raise refusal(exc.message) from exc
        except NetworkError as exc:  # 5xx, timeouts, refused connections
            raise Unavailable(type(exc).__name__) from exc
        except TelegramError as exc:
            raise TelegramSendError(type(exc).__name__) from exc

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
        markup: InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | None = None
        if buttons:
            markup = _inline(buttons)
        elif contact_button:
            markup = ReplyKeyboardMarkup(
                [[KeyboardButton(contact_button, request_contact=True)]],
                resize_keyboard=True,
                one_time_keyboard=True,
            )
        elif remove_contact_keyboard:
            markup = ReplyKeyboardRemove()
        mode = "HTML" if html else None
        sent = await self._call(
            lambda: self._bot.send_message(
                chat_id,
                text,
                parse_mode=mode,
                reply_markup=markup,
                allow_paid_broadcast=True if paid else None,
            )
        )
        return sent.message_id

    async def edit_text(
        self, chat_id: int, message_id: int, html: str, *, buttons: list[Button] | None = None
    ) -> None:
        await self._call(
            lambda: self._bot.edit_message_text(
                html,
                chat_id=chat_id,
                message_id=message_id,
                parse_mode="HTML",
                reply_markup=_inline(buttons) if buttons else None,
            )
        )

    async def remove_buttons(self, chat_id: int, message_id: int) -> None:
        await self._call(
            lambda: self._bot.edit_message_reply_markup(
                chat_id=chat_id, message_id=message_id, reply_markup=None
            )
        )

    async def answer_callback(self, callback_id: str, text: str | None = None) -> None:
        await self._call(lambda: self._bot.answer_callback_query(callback_id, text=text))

    async def set_commands(
        self, commands: list[tuple[str, str]], *, language_code: str | None, chat_id: int | None
    ) -> None:
        scope = BotCommandScopeChat(chat_id) if chat_id is not None else BotCommandScopeDefault()
        await self._call(
            lambda: self._bot.set_my_commands(
                [BotCommand(c, d) for c, d in commands], scope=scope, language_code=language_code
            )
        )

    async def bot_username(self) -> str:
        me = await self._call(self._bot.get_me)
        return me.username or ""

    async def set_webhook(self, url: str, secret: str | None) -> None:
        await self._call(
            lambda: self._bot.set_webhook(
                url, secret_token=secret, allowed_updates=list(CONVERSATION_KINDS)
            )
        )

    async def delete_webhook(self) -> None:
        await self._call(lambda: self._bot.delete_webhook(drop_pending_updates=False))

    async def get_updates(self, offset: int | None, wait_seconds: int) -> list[dict[str, Any]]:
        """Raw updates as Telegram sent them, for the inbox (see polling.py)."""
        updates = await self._call(
            lambda: self._bot.get_updates(
                offset=offset,
                allowed_updates=list(CONVERSATION_KINDS),
                timeout=timedelta(seconds=wait_seconds),
                read_timeout=wait_seconds + 30,
            )
        )
        return [u.to_dict() for u in updates]


def _pressed(message: MaybeInaccessibleMessage | None) -> dict[str, Any]:
    """The id of the message whose button was pressed, accessible or not: what it
    shows is in the outbox, so the answer can still be marked on it."""
    return {"message_id": message.message_id} if message is not None else {}


def to_inbound(update: Update) -> TelegramUpdate | None:
    change = update.my_chat_member
    if change is not None:
        return TelegramUpdate(
            update_id=update.update_id,
            chat_id=change.chat.id,
            chat_type=change.chat.type,
            user_id=change.from_user.id,
            member_status=change.new_chat_member.status,
        )
    query = update.callback_query
    if query is not None:
        # A Message, one Telegram no longer shows the bot (date 0, no text or keyboard:
        # older than 48 hours, or deleted), or none (inline mode): the signed data alone
        # says what was pressed; without a message, the presser's private chat is meant.
        message = query.message
        return TelegramUpdate(
            update_id=update.update_id,
            chat_id=message.chat.id if message is not None else query.from_user.id,
            chat_type=message.chat.type if message is not None else "private",
            user_id=query.from_user.id,
            language_code=query.from_user.language_code,
            callback_id=query.id,
            callback_data=query.data,
            **_pressed(message),
        )
    message = update.message or update.channel_post
    if message is None:
        return None  # edits, reactions, ...: not part of a conversation
    user = message.from_user
    contact = message.contact
    return TelegramUpdate(
        update_id=update.update_id,
        chat_id=message.chat.id,
        chat_type=message.chat.type,
        user_id=user.id if user else None,
        language_code=user.language_code if user else None,
        text=message.text,
        contact_phone=contact.phone_number if contact else None,
        contact_user_id=contact.user_id if contact else None,
    )


def install(application: Application, gateway: TelegramGateway) -> None:  # type: ignore[type-arg]
    async def on_update(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        inbound = to_inbound(update)
        if inbound is not None:
            await gateway.handle(inbound)

    application.add_handler(TypeHandler(Update, on_update))
