"""Telegram updates -> the runtime; the outbox -> Telegram.

Both framework adapters turn their update objects into a TelegramUpdate and
call TelegramGateway.handle, which only translates: linking, group refusal,
locale and button checks are the runtime's. Dialog state lives in the
database, never in the framework (no aiogram FSM, no PTB ConversationHandler).
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from dataclasses import dataclass
from html import escape

from bot.bootstrap import App
from bot.channels.telegram.api import BotApi, Button
from bot.channels.telegram.pace import LocalSlots, Pace
from bot.domain.sending import SendingPolicy
from bot.engine.types import Part, Reply
from bot.errors import ChannelError, RetryLater
from bot.i18n.messages import COMMANDS
from bot.service.events import ChatKind, Inbound, Reachability, SharedContact
from bot.service.outbox import OutgoingMessage, PressedMessage

log = logging.getLogger(__name__)

CHANNEL = "telegram"
_CHAT_KINDS = {"private": ChatKind.PRIVATE, "channel": ChatKind.BROADCAST}
# The bot's status in a private chat after a my_chat_member update: blocked or not.
_REACHABLE_BY_STATUS = {"kicked": False, "member": True}


def command_list(app: App, locale: str) -> list[tuple[str, str]]:
    """The bot's commands with their descriptions in the locale."""
    return [
        (name, app.translator.render(Reply(parts=(Part(f"command.{name}"),)), locale, {}).text)
        for name in COMMANDS
    ]


@dataclass(frozen=True)
class TelegramUpdate:
    """One Telegram update, reduced to what the bot uses."""

    update_id: int
    chat_id: int
    chat_type: str  # private, group, supergroup, channel
    user_id: int | None
    language_code: str | None = None
    text: str | None = None
    callback_id: str | None = None
    callback_data: str | None = None
    contact_phone: str | None = None
    contact_user_id: int | None = None
    # For a button press: the message it was on, also when Telegram no longer shows it
    # to the bot (an InaccessibleMessage); None for a press without a message (inline).
    message_id: int | None = None
    # For my_chat_member: the bot's new status in the chat ("kicked": blocked).
    member_status: str | None = None

    def inbound(self) -> Inbound:
        contact = None
        if self.contact_phone is not None:
            owner = str(self.contact_user_id) if self.contact_user_id is not None else None
            contact = SharedContact(self.contact_phone, owner)
        return Inbound(
            channel=CHANNEL,
            chat_key=str(self.chat_id),
            user_key=str(self.user_id) if self.user_id is not None else None,
            event_key=str(self.update_id),
            chat_kind=_CHAT_KINDS.get(self.chat_type, ChatKind.GROUP),
            text=self.text,
            button=self.callback_data if self.callback_id is not None else None,
            contact=contact,
            language_tag=self.language_code,
            message_key=str(self.message_id) if self.message_id is not None else None,
        )


class TelegramSender:
    """Sends outbox messages with either framework's BotApi, in HTML (amounts bold).

    At most one edit per message sent: after a press, the pressed message either
    becomes the next question (the same question asked again, a multi-select tick)
    or keeps its text and shows the answer ("✓ Pay in installments"); otherwise the
    previous question's buttons are taken away.

    Every call that counts against Telegram's limits (a send, an edit) waits for the
    bot's pace first (bot.channels.telegram.pace); a 429 pauses the whole bot.
    """

    channel = CHANNEL

    def __init__(self, api: BotApi, pace: Pace | None = None) -> None:
        self._api = api
        self._pace = pace or Pace(LocalSlots(), SendingPolicy())

    async def send(self, message: OutgoingMessage) -> str:
        return await _Paced(self._api, self._pace, message.outreach).send(message)


class _Paced:
    """One outbox message's calls to Telegram, each after the pace lets it go."""

    def __init__(self, api: BotApi, pace: Pace, outreach: bool) -> None:
        self._api = api
        self._pace = pace
        self._outreach = outreach

    async def _turn(self, chat_id: int) -> None:
        await self._pace.take(chat_id, outreach=self._outreach)

    async def _paused_on_429(self, exc: RetryLater) -> None:
        await self._pace.pause(exc.seconds)

    async def send(self, message: OutgoingMessage) -> str:
        try:
            return await self._send(message)
        except RetryLater as exc:
            await self._paused_on_429(exc)
            raise

    async def _send(self, message: OutgoingMessage) -> str:
        chat_id = int(message.chat_key)
        buttons = [Button(text=label, callback_data=data) for label, data in message.buttons]
        html = message.html if message.html is not None else escape(message.text, quote=False)
        press = message.pressed
        closing = list(message.close_keyboards)
        if press is not None and press.message_key in closing:
            closing.remove(press.message_key)
            if message.replace and buttons and await self._edit(chat_id, press, html, buttons):
                await self._close(chat_id, closing)
                return press.message_key
            answered = f"{press.html}\n\n✓ {escape(press.label, quote=False)}"
            if not await self._edit(chat_id, press, answered, None):
                closing.append(press.message_key)
        await self._close(chat_id, closing)
        # The answer to a shared contact takes the contact keyboard away, unless it
        # has buttons of its own or asks for the contact again.
        remove_contact = message.after_contact and not buttons and not message.contact_button
        await self._turn(chat_id)
        sent = await self._api.send_message(
            chat_id,
            html,
            html=True,
            buttons=buttons or None,
            contact_button=message.contact_button,
            remove_contact_keyboard=remove_contact,
            paid=self._pace.paid,
        )
        return str(sent)

    async def _edit(
        self, chat_id: int, press: PressedMessage, html: str, buttons: list[Button] | None
    ) -> bool:
        try:
            await self._turn(chat_id)
            await self._api.edit_text(chat_id, int(press.message_key), html, buttons=buttons)
        except RetryLater:
            raise
        except ChannelError as exc:  # too old to edit, or gone: fall back to a new message
            log.info("pressed message not edited: %s", type(exc).__name__)
            return False
        return True

    async def _close(self, chat_id: int, message_ids: list[str]) -> None:
        for old in message_ids:
            try:
                await self._turn(chat_id)
                await self._api.remove_buttons(chat_id, int(old))
            except RetryLater as exc:  # the whole bot waits; the keyboard stays (harmless)
                await self._paused_on_429(exc)
                log.info("keyboard not removed: Telegram asked to wait")
            except ChannelError as exc:  # already gone or too old to edit: harmless
                log.info("keyboard not removed: %s", type(exc).__name__)


def _menu_by_client(language_code: str | None) -> str:
    """The menu Telegram shows without a chat's own: "zh" (Simplified) for any Chinese
    client, English otherwise (see runner.COMMAND_LANGUAGES)."""
    code = (language_code or "").lower()
    return "zh_Hans" if code[:2] == "zh" else "en"


class TelegramGateway:
    def __init__(self, app: App, api: BotApi, pace: Pace | None = None) -> None:
        self._app = app
        self._api = api
        # Updates of one chat in order within this process, many chats at once.
        self._locks: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._chat_locales: dict[int, str] = {}
        self._sender = TelegramSender(api, pace)
        app.outbox.register(self._sender)

    async def handle(self, update: TelegramUpdate) -> None:
        if update.member_status is not None:
            await self._membership(update)
            return
        async with self._locks[update.chat_id]:
            outbox = self._app.outbox
            handled = await self._app.runtime.on_inbound(update.inbound(), claim_for=outbox)
            if update.callback_id is not None:
                await self._quietly(self._api.answer_callback(update.callback_id, handled.notice))
            if handled.locale is not None and update.chat_type == "private":
                await self._chat_commands(update.chat_id, handled.locale, update.language_code)
            await outbox.deliver_chat(CHANNEL, str(update.chat_id), head=handled.head)

    async def _membership(self, update: TelegramUpdate) -> None:
        """A borrower blocked or unblocked the bot: reminders stop or resume.
        Groups adding or removing the bot say nothing about a borrower."""
        reachable = _REACHABLE_BY_STATUS.get(update.member_status or "")
        if reachable is None or update.chat_type != "private" or update.user_id is None:
            return
        change = Reachability(CHANNEL, str(update.user_id), str(update.update_id), reachable)
        async with self._locks[update.chat_id]:
            await self._app.runtime.on_reachability(change)

    async def _chat_commands(self, chat_id: int, locale: str, language_code: str | None) -> None:
        """setMyCommands knows only two-letter codes ("zh"), so Traditional Chinese
        descriptions are set for the borrower's own chat, and the chat's menu follows
        a change of language (/language) away from what the client's language shows."""
        known = self._chat_locales.get(chat_id) or _menu_by_client(language_code)
        if known == locale:
            return
        await self._quietly(
            self._api.set_commands(
                command_list(self._app, locale), language_code=None, chat_id=chat_id
            )
        )
        self._chat_locales[chat_id] = locale

    @staticmethod
    async def _quietly(call: object) -> None:
        """Answering a button press or setting a menu is best effort."""
        try:
            await call  # type: ignore[misc]
        except ChannelError as exc:
            log.info("ignored Telegram error: %s", type(exc).__name__)
