"""The aiogram adapter: aiogram speaks to Telegram, the gateway decides.

Only translation happens here: aiogram's Message and CallbackQuery become an
TelegramUpdate, and BotApi calls become aiogram methods with its errors mapped to
ours. No aiogram FSM: dialog state lives in the database.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from aiogram import Bot, Dispatcher, Router, methods
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ChatMemberStatus
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.methods.base import Response
from aiogram.types import (
    BotCommand,
    BotCommandScopeChat,
    BotCommandScopeDefault,
    CallbackQuery,
    ChatMemberUpdated,
    InaccessibleMessage,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

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

T = TypeVar("T")

# aiogram parametrizes its generic Response[...] on every call, and pydantic keeps
# parametrized classes only weakly: each Bot API call rebuilt the class (schema
# and validators), which was most of the bot's CPU. Holding one strong reference
# per method we call keeps them built once.
_RESPONSE_TYPES = tuple(
    Response[method.__returning__]  # type: ignore[name-defined]
    for method in (
        methods.SendMessage,
        methods.EditMessageReplyMarkup,
        methods.EditMessageText,
        methods.AnswerCallbackQuery,
        methods.SetMyCommands,
        methods.GetMe,
        methods.GetUpdates,
        methods.SetWebhook,
        methods.DeleteWebhook,
    )
)


def _inline(buttons: list[Button]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=b.text, callback_data=b.callback_data) for b in row]
            for row in keyboard_rows(buttons)
        ]
    )


def make_bot(token: str, api_url: str) -> Bot:
    """A Bot calling `<api_url>/bot<token>/<method>`, so a local Bot API server works."""
    session = AiohttpSession(api=TelegramAPIServer.from_base(api_url.rstrip("/")))
    return Bot(token=token, session=session)


class AiogramApi:
    """BotApi over an aiogram Bot."""

    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def _call(self, call: Callable[[], Awaitable[T]]) -> T:
        try:
            return await call()
        except TelegramRetryAfter as exc:
            raise RetryLater(float(exc.retry_after)) from exc
        except TelegramUnauthorizedError as exc:
            raise TokenRejected(exc.message) from exc
        except TelegramForbiddenError as exc:
            raise Blocked(exc.message) from exc
        except TelegramBadRequest as exc:
            raise refusal(exc.message) from exc
        except (TelegramServerError, TelegramNetworkError) as exc:
            raise Unavailable(type(exc).__name__) from exc
        except Exception as exc:  # aiohttp timeouts and the like surface unwrapped
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
                keyboard=[[KeyboardButton(text=contact_button, request_contact=True)]],
                resize_keyboard=True,
                one_time_keyboard=True,
            )
        elif remove_contact_keyboard:
            markup = ReplyKeyboardRemove(remove_keyboard=True)
        mode = "HTML" if html else None
        sent = await self._call(
            lambda: self._bot.send_message(
                chat_id=chat_id,
                text=text,
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
                text=html,
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
        await self._call(
            lambda: self._bot.answer_callback_query(callback_query_id=callback_id, text=text)
        )

    async def set_commands(
        self, commands: list[tuple[str, str]], *, language_code: str | None, chat_id: int | None
    ) -> None:
        scope = (
            BotCommandScopeChat(chat_id=chat_id)
            if chat_id is not None
            else BotCommandScopeDefault()
        )
        await self._call(
            lambda: self._bot.set_my_commands(
                commands=[BotCommand(command=c, description=d) for c, d in commands],
                scope=scope,
                language_code=language_code,
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
                timeout=wait_seconds,
                request_timeout=wait_seconds + 30,
                allowed_updates=list(CONVERSATION_KINDS),
            )
        )
        return [u.model_dump(mode="json", exclude_none=True, by_alias=True) for u in updates]


def _from_message(update_id: int, message: Message) -> TelegramUpdate:
    contact = message.contact
    return TelegramUpdate(
        update_id=update_id,
        chat_id=message.chat.id,
        chat_type=message.chat.type,
        user_id=message.from_user.id if message.from_user else None,
        language_code=message.from_user.language_code if message.from_user else None,
        text=message.text,
        contact_phone=contact.phone_number if contact else None,
        contact_user_id=contact.user_id if contact else None,
    )


def _from_callback(update_id: int, query: CallbackQuery) -> TelegramUpdate:
    """A press, whatever Telegram still shows of its message: a Message, an
    InaccessibleMessage (date 0, no text or keyboard: older than 48 hours, or deleted),
    or none at all (a message sent in inline mode). The signed data alone says what was
    pressed; without a message the press is the presser's own private chat's."""
    message = query.message
    return TelegramUpdate(
        update_id=update_id,
        chat_id=message.chat.id if message is not None else query.from_user.id,
        chat_type=message.chat.type if message is not None else "private",
        user_id=query.from_user.id,
        language_code=query.from_user.language_code,
        callback_id=query.id,
        callback_data=query.data,
        **_pressed(message),
    )


def _from_member_update(update_id: int, change: ChatMemberUpdated) -> TelegramUpdate:
    return TelegramUpdate(
        update_id=update_id,
        chat_id=change.chat.id,
        chat_type=change.chat.type,
        user_id=change.from_user.id,
        member_status=ChatMemberStatus(change.new_chat_member.status).value,
    )


def _pressed(message: Message | InaccessibleMessage | None) -> dict[str, Any]:
    """The id of the message whose button was pressed, accessible or not: what it
    shows is in the outbox, so the answer can still be marked on it."""
    return {"message_id": message.message_id} if message is not None else {}


def build_dispatcher(gateway: TelegramGateway) -> Dispatcher:
    """A dispatcher whose only job is to hand every update to the gateway."""
    router = Router(name="repaybot")

    @router.message()
    async def on_message(message: Message, event_update: Any) -> None:
        await gateway.handle(_from_message(event_update.update_id, message))

    @router.channel_post()
    async def on_channel_post(message: Message, event_update: Any) -> None:
        await gateway.handle(_from_message(event_update.update_id, message))

    @router.callback_query()
    async def on_callback(query: CallbackQuery, event_update: Any) -> None:
        await gateway.handle(_from_callback(event_update.update_id, query))

    @router.my_chat_member()
    async def on_member(change: ChatMemberUpdated, event_update: Any) -> None:
        await gateway.handle(_from_member_update(event_update.update_id, change))

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    return dispatcher
