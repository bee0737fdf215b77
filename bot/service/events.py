"""The three ways into the runtime, as data: a borrower's update, a person's action,
and something the bot starts itself. Channels and the console build these; the
runtime handles each in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.service.outbox import HeadClaim


class ChatKind(StrEnum):
    PRIVATE = "private"
    GROUP = "group"  # groups and supergroups: several people read along
    BROADCAST = "broadcast"  # a channel's posts: nobody to answer


@dataclass(frozen=True)
class SharedContact:
    """A phone number shared with the channel's own contact button."""

    phone: str
    owner_key: str | None  # whose contact it is, as the channel knows users


@dataclass(frozen=True)
class Inbound:
    """A borrower's message, button press or shared contact, from any channel.

    `event_key` is the channel's id for the update (Telegram's update_id); the
    same key twice is handled once. `button` is the opaque data the runtime put
    on a button; it is untrusted and checked by the runtime.
    """

    channel: str
    chat_key: str
    user_key: str | None
    event_key: str | None = None
    chat_kind: ChatKind = ChatKind.PRIVATE
    text: str | None = None
    button: str | None = None
    contact: SharedContact | None = None
    language_tag: str | None = None  # what the channel says the user's app speaks
    # For a press: the channel's id of the message the button was on, so the answer
    # can be shown on it ("✓ Pay in installments") even after a restart.
    message_key: str | None = None
    locale: str | None = None  # an explicit choice (the terminal's --locale) over the account's


@dataclass(frozen=True)
class Reachability:
    """The channel says the borrower blocked the bot (False) or let it write again (True).

    Telegram tells this with `my_chat_member`; a borrower who unblocks without
    writing must get reminders again, one who blocks must not be written to.
    """

    channel: str
    user_key: str
    event_key: str | None
    reachable: bool


class AgentActionKind(StrEnum):
    TAKE_OVER = "take_over"  # a person owns the conversation; the bot stays quiet
    REPLY = "reply"  # the person writes to the borrower through the same chat
    HAND_BACK = "hand_back"  # the bot takes over again at a named state
    UNLOCK_VERIFICATION = "unlock_verification"  # a person confirmed who the borrower is
    RECORD_OUTCOME = "record_outcome"  # close an escalation with what came of it
    NOTE = "note"  # an internal note on the transcript: never sent to the borrower
    TRANSFER = "transfer"  # the person who owns it gives it to another (`to`)
    RELEASE = "release"  # back to the queue: nobody holds it, the bot listens again
    # An approved arrangement request (`outcome`: its id) becomes an arrangement.
    RECORD_ARRANGEMENT = "record_arrangement"
    # A dispute decided (`text`: its id; `outcome`: upheld or waived), the borrower told.
    RESOLVE_DISPUTE = "resolve_dispute"


@dataclass(frozen=True)
class AgentAction:
    """A person's action on a conversation, from the console or the API."""

    kind: AgentActionKind
    agent: str
    conversation_id: int
    action_key: str | None = None  # the console's idempotency key: a double click acts once
    text: str = ""  # REPLY: the message; NOTE: the note
    state: str = ""  # HAND_BACK: where the bot resumes
    ticket: str = ""  # RECORD_OUTCOME: which escalation
    outcome: str = ""  # RECORD_OUTCOME, HAND_BACK: resolved, promised, ...
    to: str = ""  # TRANSFER: the person who gets it


@dataclass(frozen=True)
class Trigger:
    """Something the bot starts itself (a reminder, a broken promise, a timeout)."""

    name: str
    conversation_id: int
    trigger_key: str  # unique per occurrence ("reminder:ACC-1:2026-12-01"): fired once
    on: date | None = None


@dataclass(frozen=True)
class Handled:
    """What one event produced: the outbox rows queued, and a short notice for the
    person who pressed a button (Telegram shows it as a toast), if any."""

    conversation_id: int | None = None
    queued: tuple[int, ...] = ()
    notice: str | None = None
    duplicate: bool = False
    locale: str | None = None  # the conversation's catalog after the event (zh_Hant_HK too)
    # The chat's first message to send, claimed in the event's own transaction: hand
    # it to Outbox.deliver_chat. None: nothing was claimed, deliver_chat claims.
    head: HeadClaim | None = None
