"""What only a borrower's update needs before the engine runs: which account the
chat is linked to, which event the update is, whether a pressed button may count.

Used by `Runtime.on_inbound`, in the event's transaction; nothing here commits.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from html import escape

from sqlalchemy.ext.asyncio import AsyncSession

from bot.engine.types import Event, EventKind
from bot.i18n.render import locale_for_telegram
from bot.service import buttons, linking
from bot.service.choice_matching import match_choice
from bot.service.events import Handled, Inbound
from bot.service.queueing import Queue
from bot.service.record import ConversationRecord, StoredConversation
from bot.store.conversations import shown_payload

# The notices that offer a button to share one's phone number (to link by contact).
CONTACT_NOTICES = frozenset({"channel.welcome", "channel.link_invalid", "channel.phone_not_own"})


async def link(
    session: AsyncSession,
    inbound: Inbound,
    command: str | None,
    payload: str,
    now: datetime,
) -> tuple[str, bool] | str:
    """(account id, whether this opens the conversation), or the notice to give."""
    user_key = inbound.user_key or ""
    if command == "start" and payload:
        redeemed = await linking.redeem_token(
            session, token=payload, channel=inbound.channel, user_key=user_key, now=now
        )
        if redeemed.outcome is linking.LinkOutcome.LINKED and redeemed.account_id:
            return redeemed.account_id, True
        if redeemed.outcome is linking.LinkOutcome.ALREADY_YOURS and redeemed.account_id:
            current = await linking.linked_account(
                session, channel=inbound.channel, user_key=user_key
            )
            if current == redeemed.account_id:
                return redeemed.account_id, False  # back to where they are
        return "channel.link_invalid"
    if inbound.contact is not None:
        contact = await linking.link_by_contact(
            session,
            phone=inbound.contact.phone,
            contact_user_id=inbound.contact.owner_key,
            sender_id=user_key,
            channel=inbound.channel,
            now=now,
        )
        if contact.outcome is linking.LinkOutcome.NOT_OWN_CONTACT:
            return "channel.phone_not_own"
        if contact.account_id is None:
            return "channel.phone_unknown"
        return contact.account_id, True
    account_id = await linking.linked_account(session, channel=inbound.channel, user_key=user_key)
    if account_id is None:
        return "channel.welcome"
    return account_id, command == "start"


def event_of(
    inbound: Inbound, command: str | None, opening: bool, record: ConversationRecord
) -> Event:
    """The engine's event for a linked borrower's text, command or shared contact."""
    if opening or (command == "start" and not record.started):
        return Event(EventKind.START)
    if command == "start" or (inbound.contact is not None):
        # Their own link again, or /start mid-conversation: back to where they are.
        return (
            Event(EventKind.RESUME, text=record.current or "")
            if record.current
            else Event(EventKind.START)
        )
    if command is not None:
        return Event(EventKind.COMMAND, text=command)
    return Event(EventKind.TEXT, text=inbound.text or "")


async def pressed(
    session: AsyncSession,
    queue: Queue,
    inbound: Inbound,
    row: StoredConversation | None,
    *,
    secret: bytes,
    message_table: Callable[[], dict[str, object]],
) -> tuple[StoredConversation, ConversationRecord, Event] | Handled:
    """The choice a button press makes, or what to answer instead.

    Button data is untrusted: the press must come from the chat's own user, for
    this conversation, at its current step. Anything else changes nothing and says
    nothing in the chat; the presser alone sees a short notice."""
    ref = buttons.decode(inbound.button, secret)
    if (
        ref is None
        or row is None
        or row.id != ref.conversation_id
        or row.user_key != inbound.user_key
    ):
        return Handled()
    record = ConversationRecord.from_row(row)
    if ref.step != record.step or not 0 <= ref.index < len(record.choices):
        notice = queue.text(f"{record.script_id}.stale_choice", record.locale, message_table())
        return Handled(conversation_id=record.conversation_id, notice=notice)
    choice, label = record.choices[ref.index]
    if inbound.message_key is not None:
        shown = await shown_html(session, inbound.channel, inbound.chat_key, inbound.message_key)
        if shown is not None:
            queue.answering(inbound.message_key, shown, label)
    return row, record, Event(EventKind.CHOICE, choice=choice, step=ref.step)


async def shown_html(
    session: AsyncSession, channel: str, chat_key: str, message_key: str
) -> str | None:
    """What the message with this channel id shows now (the latest row sent as it:
    a multi-select edited in place is one message for several rows)."""
    payload = await shown_payload(session, channel, chat_key, message_key)
    if not isinstance(payload, dict):
        return None
    html = payload.get("html")
    return str(html) if html is not None else escape(str(payload.get("text", "")), quote=False)


def typed_choice(event: Event, shown: tuple[tuple[str, str], ...], step_no: int) -> Event:
    """A text that names one of the choices last shown ("2", its label) is that choice."""
    if event.kind is not EventKind.TEXT:
        return event
    choice = match_choice(event.text, list(shown))
    if choice is None:
        return event
    return Event(EventKind.CHOICE, text=event.text, choice=choice, step=step_no)


def locale_of(inbound: Inbound | None) -> str:
    """The locale a chat starts in: its Telegram language, or the default."""
    return locale_for_telegram(inbound.language_tag if inbound is not None else None)
