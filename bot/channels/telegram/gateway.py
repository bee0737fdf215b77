"""Telegram updates -> linking, the conversation service, and delivery.

Both framework adapters turn their update objects into an Inbound and call
TelegramGateway.handle; everything Telegram-specific that is not the wire
format lives here, once. Dialog state lives in the database, never in the
framework (no aiogram FSM, no PTB ConversationHandler).
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import col

from bot.bootstrap import App
from bot.channels.telegram import callback_data
from bot.channels.telegram.api import BotApi, TelegramSendError
from bot.channels.telegram.delivery import CHANNEL, OutboxDelivery
from bot.engine.types import Event, EventKind, Part, Reply
from bot.i18n.messages import COMMANDS
from bot.i18n.render import locale_for_telegram
from bot.service import linking
from bot.service.conversations import AccountMissing, Outgoing
from bot.store.tables import AccountRow, ConversationRow

log = logging.getLogger(__name__)


def command_list(app: App, locale: str) -> list[tuple[str, str]]:
    """The bot's commands with their descriptions in the locale."""
    return [
        (name, app.translator.render(Reply(parts=(Part(f"command.{name}"),)), locale, {}).text)
        for name in COMMANDS
    ]


@dataclass(frozen=True)
class Inbound:
    """One Telegram update, reduced to what the bot uses."""

    update_id: int
    chat_id: int
    chat_type: str  # private, group, supergroup, channel
    user_id: int | None
    language_code: str | None = None
    text: str | None = None
    callback_id: str | None = None
    callback_data: str | None = None
    callback_message_id: int | None = None
    contact_phone: str | None = None
    contact_user_id: int | None = None


class TelegramGateway:
    def __init__(self, app: App, api: BotApi, *, secret: bytes) -> None:
        self._app = app
        self._api = api
        self._secret = secret
        self.delivery = OutboxDelivery(
            sessions=app.sessions, api=api, secret=secret, clock=app.conversations.now
        )
        # Updates of one chat in order, many chats at once.
        self._locks: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._traditional_chats: set[int] = set()

    async def handle(self, update: Inbound) -> None:
        async with self._locks[update.chat_id]:
            try:
                outgoing = await self._route(update)
            except AccountMissing:
                log.warning("update %s: linked account no longer exists", update.update_id)
                outgoing = await self._notify(update, "channel.welcome")
            except Exception:
                # Nothing of the event was saved (one transaction), so apologise
                # in the borrower's language; the log has the trace, not the text.
                log.exception("update %s failed", update.update_id)
                outgoing = await self._notify(update, "channel.error", claim=False)
            if outgoing:
                await self.delivery.deliver_conversation(outgoing[0].conversation_id)

    async def _route(self, update: Inbound) -> list[Outgoing]:
        if update.chat_type != "private" or update.user_id is None:
            return await self._group(update)
        if update.callback_id is not None:
            return await self._callback(update)
        account_id = await self._linked(update.user_id)
        command, payload = _command(update.text)
        if command == "start" and payload:
            return await self._redeem(update, payload)
        if update.contact_phone is not None:
            return await self._contact(update)
        if account_id is None:
            return await self._notify(update, "channel.welcome", contact=True)
        return await self._dialog(update, account_id, _event(update.text or "", command))

    async def _group(self, update: Inbound) -> list[Outgoing]:
        """R5: never a word about an account in a group; answer only when addressed."""
        command, _ = _command(update.text)
        if update.chat_type == "channel" or command is None:
            return []
        return await self._notify(update, "channel.group_refused")

    async def _callback(self, update: Inbound) -> list[Outgoing]:
        ref = callback_data.decode(update.callback_data, self._secret)
        conversation = await self._conversation_row(update.chat_id)
        account_id = await self._linked(update.user_id or 0)
        valid = (
            ref is not None
            and conversation is not None
            and conversation.id == ref.conversation_id
            and account_id is not None
            and conversation.account_id == account_id
        )
        if update.callback_message_id is not None:
            await self._quietly(
                self._api.remove_buttons(update.chat_id, update.callback_message_id)
            )
        if not valid or ref is None or conversation is None or account_id is None:
            await self._quietly(self._api.answer_callback(str(update.callback_id), None))
            return await self._notify(update, "repayment.stale_choice")
        choices = (conversation.state or {}).get("choices") or []
        engine = (conversation.state or {}).get("engine") or {}
        stale = ref.step != engine.get("step") or not 0 <= ref.index < len(choices)
        await self._quietly(self._api.answer_callback(str(update.callback_id), None))
        choice = "" if stale else str(choices[ref.index][0])
        event = Event(
            EventKind.CHOICE, choice=choice or "@stale", step=ref.step if not stale else -1
        )
        return await self._dialog(update, account_id, event)

    async def _redeem(self, update: Inbound, token: str) -> list[Outgoing]:
        async with self._app.sessions() as session, session.begin():
            result = await linking.redeem_token(
                session,
                token=token,
                channel=CHANNEL,
                user_key=str(update.user_id),
                now=self._app.conversations.now(),
            )
        if result.account_id is None:
            return await self._notify(update, "channel.link_invalid", contact=True)
        return await self._dialog(update, result.account_id, Event(EventKind.START))

    async def _contact(self, update: Inbound) -> list[Outgoing]:
        async with self._app.sessions() as session, session.begin():
            result = await linking.link_by_contact(
                session,
                phone=update.contact_phone or "",
                contact_user_id=update.contact_user_id,
                sender_id=update.user_id or 0,
                channel=CHANNEL,
                now=self._app.conversations.now(),
            )
        if result.outcome is linking.LinkOutcome.NOT_OWN_CONTACT:
            return await self._notify(update, "channel.phone_not_own", contact=True)
        if result.account_id is None:
            return await self._notify(update, "channel.phone_unknown")
        return await self._dialog(update, result.account_id, Event(EventKind.START))

    async def _dialog(self, update: Inbound, account_id: str, event: Event) -> list[Outgoing]:
        locale = None
        if event.kind is EventKind.START:
            locale = await self._start_locale(update, account_id)
            await self._chat_commands(update.chat_id, locale)
        return await self._app.conversations.handle(
            channel=CHANNEL,
            chat_key=str(update.chat_id),
            account_id=account_id,
            event=event,
            update_key=str(update.update_id),
            user_key=str(update.user_id),
            locale=locale,
        )

    async def _chat_commands(self, chat_id: int, locale: str) -> None:
        """setMyCommands knows only two-letter codes ("zh"), so Traditional Chinese
        command descriptions are set for the borrower's own chat."""
        if locale != "zh_Hant" or chat_id in self._traditional_chats:
            return
        await self._quietly(
            self._api.set_commands(
                command_list(self._app, locale), language_code=None, chat_id=chat_id
            )
        )
        self._traditional_chats.add(chat_id)

    async def _notify(
        self, update: Inbound, message_id: str, contact: bool = False, claim: bool = True
    ) -> list[Outgoing]:
        return await self._app.conversations.notify(
            channel=CHANNEL,
            chat_key=str(update.chat_id),
            message_id=message_id,
            locale=locale_for_telegram(update.language_code),
            inbound=_event(update.text or update.callback_data or "", _command(update.text)[0]),
            update_key=str(update.update_id) if claim else None,
            user_key=str(update.user_id) if update.user_id is not None else None,
            contact_button="channel.share_phone" if contact else None,
        )

    async def _start_locale(self, update: Inbound, account_id: str) -> str:
        """The account's language when the lender knows it, else Telegram's."""
        async with self._app.sessions() as session:
            account = await session.get(AccountRow, account_id)
        if account is not None and account.locale:
            return account.locale
        return locale_for_telegram(update.language_code)

    async def _linked(self, user_id: int) -> str | None:
        async with self._app.sessions() as session:
            return await linking.linked_account(session, channel=CHANNEL, user_key=str(user_id))

    async def _conversation_row(self, chat_id: int) -> ConversationRow | None:
        async with self._app.sessions() as session:
            query = select(ConversationRow).where(
                col(ConversationRow.channel) == CHANNEL,
                col(ConversationRow.chat_key) == str(chat_id),
            )
            return (await session.execute(query)).scalar_one_or_none()

    @staticmethod
    async def _quietly(call: object) -> None:
        """Answering a callback or removing old buttons is best effort."""
        try:
            await call  # type: ignore[misc]
        except TelegramSendError as exc:
            log.info("ignored Telegram error: %s", type(exc).__name__)


def _command(text: str | None) -> tuple[str | None, str]:
    """('start', 'TOKEN') for '/start TOKEN'; ('help', '') for '/help@MyBot'."""
    if not text or not text.startswith("/"):
        return None, ""
    head, _, rest = text[1:].partition(" ")
    name = head.split("@", 1)[0].lower()
    return (name, rest.strip()) if name else (None, "")


def _event(text: str, command: str | None) -> Event:
    if command == "start":
        return Event(EventKind.START)
    if command is not None:
        return Event(EventKind.COMMAND, text=command)
    return Event(EventKind.TEXT, text=text)
