"""Render replies and queue them in the outbox, with the transcript, in the event's
transaction. Buttons get signed data here, so every channel's buttons are checked
the same way by the runtime."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from html import escape
from typing import Any
from uuid import uuid4

from sqlalchemy.ext.asyncio import AsyncSession

from bot.engine.script import Message, Script
from bot.engine.types import Part, Reply, StepResult
from bot.i18n.render import RenderedMessage, Translator
from bot.service import buttons
from bot.service.record import ConversationRecord, StoredConversation
from bot.service.split import limit_for, split_message, visible_length
from bot.store.pending import insert_at_commit
from bot.store.tables import OutboxRow, TranscriptRow, table_of

OUTBOX = table_of(OutboxRow)
TRANSCRIPT = table_of(TranscriptRow)
# What a channel that edits a pressed question writes before the chosen label.
ANSWER_MARK = "\n\n✓ "


def transcript_line(
    *,
    conversation_id: int,
    account_id: str | None,
    direction: str,
    kind: str,
    text: str,
    payload: dict[str, Any] | None,
    script_version: str,
    created_at: datetime,
) -> dict[str, Any]:
    """A transcript row (R17) as `insert_at_commit` takes it: every column spelled out."""
    return {
        "conversation_id": conversation_id,
        "account_id": account_id,
        "direction": direction,
        "kind": kind,
        "text": text,
        "payload": payload,
        "script_version": script_version,
        "created_at": created_at,
    }


class Queue:
    def __init__(
        self, session: AsyncSession, translator: Translator, secret: bytes, now: datetime
    ) -> None:
        self._session = session
        self._translator = translator
        self._secret = secret
        self.now = now
        self.queued: list[int] = []
        self._batch = uuid4().hex
        self._pressed: dict[str, str] | None = None
        self.after_contact = False  # the replies answer a shared contact

    def answering(self, message_key: str, html: str, label: str) -> None:
        """The replies answer a press on this message: the first one says so."""
        self._pressed = {"message": message_key, "html": html, "label": label}

    def replies(
        self,
        row: StoredConversation,
        record: ConversationRecord,
        result: StepResult,
        script: Script,
        *,
        region: str | None = None,
    ) -> tuple[tuple[str, str], ...]:
        """Queue the engine's replies; returns the choices of the last keyboard shown.

        `region` is the account's country: money, dates and the regional catalog
        (Hong Kong Traditional Chinese) follow it."""
        shown: tuple[tuple[str, str], ...] = ()
        table = script.message_table()
        # The same question asked again (a multi-select after a tick) may replace the
        # message it was asked in, on channels that can edit (Telegram, after a press).
        again = len(result.replies) == 1 and record.current == result.state.state
        for reply in result.replies:
            locale = result.state.locale
            rendered = self._translator.render(reply, locale, table, region=region)
            extra: dict[str, Any] = {
                "html": self._translator.render_html(reply, locale, table, region=region)
            }
            if again and rendered.choices:
                extra["replace"] = True
            version = result.state.script_version
            self._add(row, rendered, reply, version, extra, account=record.account_id)
            if rendered.choices:
                shown = rendered.choices
        return shown

    def notice(
        self,
        row: StoredConversation,
        message_id: str,
        locale: str,
        table: Mapping[str, Any],
        *,
        contact_button: bool = False,
        also: tuple[tuple[str, Mapping[str, Any]], ...] = (),
        **params: Any,
    ) -> None:
        """One message of `message_id`, and the paragraphs in `also` (id, params) below it."""
        parts = (Part(message_id, dict(params)), *(Part(i, dict(p)) for i, p in also))
        reply = Reply(parts=parts, step=row.step)
        rendered = self._translator.render(reply, locale, table)
        extra: dict[str, Any] = {"html": self._translator.render_html(reply, locale, table)}
        if contact_button:
            extra["contact_button"] = self.text("channel.share_phone", locale, {})
        self._add(row, rendered, reply, row.script_version, extra)

    def raw(self, row: StoredConversation, text: str, *, agent: str) -> None:
        """A person's own words: sent as written, kept like every other message."""
        extra = {"html": escape(text, quote=False)}
        self._add(row, RenderedMessage(text), Reply(parts=()), row.script_version, extra, agent)

    def text(self, message_id: str, locale: str, table: Mapping[str, Any]) -> str:
        return self._translator.render(Reply(parts=(Part(message_id),)), locale, table).text

    def _add(
        self,
        row: StoredConversation,
        rendered: RenderedMessage,
        reply: Reply,
        script_version: str,
        extra: dict[str, Any] | None = None,
        agent: str | None = None,
        *,
        account: str | None = None,
    ) -> None:
        """`account`: the record's, linked in this very step (the row read before has none)."""
        conversation_id = int(row.id or 0)
        keyboard = [
            [
                label,
                buttons.encode(buttons.ButtonRef(conversation_id, reply.step, index), self._secret),
            ]
            for index, (_, label) in enumerate(rendered.choices)
        ]
        extra = dict(extra or {})
        pieces = split_message(
            rendered.text,
            extra.pop("html", None),
            limit_for(row.channel),
            last_room=_answer_room(rendered.choices),
        )
        if len(pieces) > 1:
            # Several messages cannot take the place of the one that was pressed.
            extra.pop("replace", None)
        sent_as: list[str] = []
        for number, piece in enumerate(pieces, start=1):
            # The keyboard, and what a channel does with it, belong to the last part:
            # the borrower answers after reading everything above it.
            last = number == len(pieces)
            payload: dict[str, Any] = {"text": piece.text, "buttons": keyboard if last else []}
            if piece.html is not None:
                # The same text for channels that show formatting (Telegram).
                payload["html"] = piece.html
            if last:
                payload.update(extra)
            sent_as.append(self._outbox_row(row, payload))
        # The transcript keeps the reply as it was said, whichever channel cut it.
        insert_at_commit(
            self._session,
            TRANSCRIPT,
            transcript_line(
                conversation_id=conversation_id,
                account_id=account or row.account_id,
                direction="out",
                kind="message",
                text=rendered.text,
                payload={
                    "choices": [list(c) for c in rendered.choices],
                    "parts": [p.message_id for p in reply.parts],
                    "outbox": sent_as,  # its messages: the console shows whether they arrived
                    **({"agent": agent} if agent else {}),
                },
                script_version=script_version,
                created_at=self.now,
            ),
        )

    def _outbox_row(self, row: StoredConversation, payload: dict[str, Any]) -> str:
        """One message for the channel; the first of the event's also answers a press.
        Returns the message's idempotency key."""
        conversation_id = int(row.id or 0)
        index = len(self.queued)
        key = f"{conversation_id}:{self._batch}:{index}"
        if index == 0 and self._pressed is not None:
            payload["pressed"] = self._pressed
        if self.after_contact:
            payload["after_contact"] = True
        insert_at_commit(
            self._session,
            OUTBOX,
            {
                "conversation_id": conversation_id,
                "channel": row.channel,
                "chat_key": row.chat_key,
                "idempotency_key": key,
                "payload": payload,
                "status": "pending",
                "attempts": 0,
                "next_attempt_at": self.now,
                "last_error": None,
                "lease_owner": None,
                "external_message_id": None,
                "keyboard_open": False,
                "created_at": self.now,
                "sent_at": None,
            },
        )
        self.queued.append(index)
        return key


def _answer_room(choices: tuple[tuple[str, str], ...]) -> int:
    """Room the message with the keyboard keeps free: after a press, Telegram's sender
    writes the chosen label under it ("\n\n✓ label", see TelegramSender), an edit
    that a full message would refuse."""
    if not choices:
        return 0
    return len(ANSWER_MARK) + max(visible_length(label, markup=False) for _, label in choices)


def message_table(script: Script) -> dict[str, Message]:
    return script.message_table()
