"""Handle one borrower event in one database transaction.

The transaction marks the update as processed, loads the conversation, runs
the pure engine, applies its effects, keeps the transcript (R17) and queues
the rendered replies in the outbox. Either all of it happens or none of it, so
a redelivered update or a crash in the middle never doubles or loses anything.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col

from bot.engine.machine import new_state, step
from bot.engine.script import Script
from bot.engine.types import (
    Context,
    ConversationState,
    Event,
    EventKind,
    Part,
    Reply,
    StepResult,
)
from bot.i18n.render import RenderedMessage, Translator
from bot.service.choice_matching import match_choice
from bot.service.effects import apply_effects
from bot.service.scripts import ScriptSet
from bot.store.repositories import get_account
from bot.store.tables import ConversationRow, OutboxRow, ProcessedUpdateRow, TranscriptRow

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class Outgoing:
    """A message queued for a chat; the channel sends it and marks it sent."""

    outbox_id: int
    chat_key: str
    text: str
    choices: tuple[tuple[str, str], ...]
    step: int
    conversation_id: int


class AccountMissing(LookupError):
    """The conversation's account is not (or no longer) in the portfolio."""


def utc_now() -> datetime:
    return datetime.now(UTC)


class ConversationService:
    def __init__(
        self,
        *,
        sessions: async_sessionmaker[AsyncSession],
        scripts: ScriptSet,
        translator: Translator,
        script_id: str = "repayment",
        clock: Clock = utc_now,
    ) -> None:
        self._sessions = sessions
        self._scripts = scripts
        self._translator = translator
        self._script_id = script_id
        self._clock = clock

    def now(self) -> datetime:
        """The service's clock, so channels stamp what they do with the same time."""
        return self._clock()

    @property
    def script(self) -> Script:
        return self._scripts.scripts[self._script_id]

    async def handle(
        self,
        *,
        channel: str,
        chat_key: str,
        account_id: str,
        event: Event,
        update_key: str | None = None,
        user_key: str | None = None,
        locale: str | None = None,
    ) -> list[Outgoing]:
        """Run one event; returns the messages it queued (empty for a duplicate).

        `locale` chooses the language of a conversation that starts with this event.
        """
        now = self._clock()
        async with self._sessions() as session, session.begin():
            if update_key is not None and not await _first_time(session, channel, update_key, now):
                return []
            account = await get_account(session, account_id=account_id)
            if account is None:
                raise AccountMissing(account_id)
            row = await self._conversation(session, channel, chat_key, account_id, user_key, now)
            stored = dict(row.state or {})
            state = _state_from(stored.get("engine")) or new_state(self.script, account.locale)
            if locale is not None and event.kind is EventKind.START:
                state = replace(state, locale=locale)
            # A conversation keeps its script; when the state it stood in is gone
            # from the published version it restarts cleanly.
            if state.state not in self.script.states:
                state = new_state(self.script, account.locale)
            event = _typed_choice(event, stored.get("choices") or [], state.step)
            zone = ZoneInfo(account.timezone)
            ctx = Context(
                account=account,
                policy=self._scripts.policy,
                now=now.astimezone(zone),
                id_seed=f"{row.id}:{state.step}",
            )
            result = step(self.script, state, event, ctx)
            await apply_effects(session, effects=result.effects, conversation=row, ctx=ctx, now=now)
            session.add(_inbound(row, event, now))
            outgoing = await self._queue(session, row, result, channel, chat_key, now, update_key)
            row.state = {
                **stored,
                "engine": asdict(result.state),
                "choices": _last_choices(outgoing, stored),
            }
            row.step = result.state.step
            row.script_version = result.state.script_version
            row.ended = result.state.ended
            row.verified = row.verified or result.state.verified
            row.updated_at = now
            return outgoing

    async def notify(
        self,
        *,
        channel: str,
        chat_key: str,
        message_id: str,
        locale: str,
        inbound: Event | None = None,
        update_key: str | None = None,
        user_key: str | None = None,
        contact_button: str | None = None,
    ) -> list[Outgoing]:
        """Answer outside a dialog (not linked yet, a group chat) in one transaction.

        Goes through the same outbox and transcript as dialog replies, so these
        answers are kept (R17) and sent exactly like the rest.
        """
        now = self._clock()
        async with self._sessions() as session, session.begin():
            if update_key is not None and not await _first_time(session, channel, update_key, now):
                return []
            row = await self._conversation(session, channel, chat_key, None, user_key, now)
            if inbound is not None:
                session.add(_inbound(row, inbound, now))
            reply = Reply(parts=(Part(message_id),), step=row.step)
            rendered = self._translator.render(reply, locale, self.script.message_table())
            extra: dict[str, Any] = {}
            if contact_button is not None:
                extra["contact_button"] = self._translator.render(
                    Reply(parts=(Part(contact_button),)), locale, {}
                ).text
            key = f"{row.id}:notify:{update_key or uuid4().hex}"
            return await self._enqueue(
                session, row, [(reply, rendered, extra)], channel, chat_key, now, key
            )

    async def _conversation(
        self,
        session: AsyncSession,
        channel: str,
        chat_key: str,
        account_id: str | None,
        user_key: str | None,
        now: datetime,
    ) -> ConversationRow:
        query = select(ConversationRow).where(
            col(ConversationRow.channel) == channel,
            col(ConversationRow.chat_key) == chat_key,
        )
        # Lock the row on PostgreSQL so two workers never interleave one chat.
        row = (await session.execute(query.with_for_update())).scalar_one_or_none()
        if row is not None and account_id is not None and row.account_id != account_id:
            row.account_id = account_id
            row.state = {}  # a chat relinked to another account starts afresh (R5)
            row.verified = False
        if row is None:
            row = ConversationRow(
                channel=channel,
                chat_key=chat_key,
                account_id=account_id,
                user_key=user_key,
                script_id=self.script.id,
                script_version=self.script.version,
                state={},
                step=0,
                verified=False,
                ended=False,
                created_at=now,
                updated_at=now,
            )
            session.add(row)
            await session.flush()
        return row

    async def _queue(
        self,
        session: AsyncSession,
        row: ConversationRow,
        result: StepResult,
        channel: str,
        chat_key: str,
        now: datetime,
        update_key: str | None,
    ) -> list[Outgoing]:
        table = self.script.message_table()
        rendered: list[tuple[Reply, RenderedMessage, dict[str, Any]]] = [
            (reply, self._translator.render(reply, result.state.locale, table), {})
            for reply in result.replies
        ]
        # One inbound event, one set of replies: keyed by the update when the
        # channel has one (a stale button leaves the step unchanged).
        key = f"{row.id}:{result.state.step}:{update_key or uuid4().hex}"
        return await self._enqueue(session, row, rendered, channel, chat_key, now, key)

    async def _enqueue(
        self,
        session: AsyncSession,
        row: ConversationRow,
        messages: list[tuple[Reply, RenderedMessage, dict[str, Any]]],
        channel: str,
        chat_key: str,
        now: datetime,
        key_prefix: str,
    ) -> list[Outgoing]:
        queued: list[tuple[OutboxRow, RenderedMessage, int]] = []
        for index, (reply, rendered, extra) in enumerate(messages):
            payload = {
                "text": rendered.text,
                "choices": [list(c) for c in rendered.choices],
                "step": reply.step,
                "conversation_id": row.id,
                **extra,
            }
            outbox = OutboxRow(
                conversation_id=_row_id(row),
                channel=channel,
                chat_key=chat_key,
                idempotency_key=f"{key_prefix}:{index}",
                payload=payload,
                status="pending",
                attempts=0,
                next_attempt_at=now,
                created_at=now,
            )
            session.add(outbox)
            session.add(
                TranscriptRow(
                    conversation_id=_row_id(row),
                    account_id=row.account_id,
                    direction="out",
                    kind="message",
                    text=rendered.text,
                    payload={
                        "choices": payload["choices"],
                        "parts": [p.message_id for p in reply.parts],
                    },
                    script_version=row.script_version,
                    created_at=now,
                )
            )
            queued.append((outbox, rendered, reply.step))
        await session.flush()
        return [
            Outgoing(
                outbox_id=int(outbox.id or 0),
                chat_key=chat_key,
                text=rendered.text,
                choices=tuple(rendered.choices),
                step=step_no,
                conversation_id=int(row.id or 0),
            )
            for outbox, rendered, step_no in queued
        ]


async def _first_time(session: AsyncSession, channel: str, update_key: str, now: datetime) -> bool:
    """Claim the update; False when it was handled before (exactly once)."""
    if await session.get(ProcessedUpdateRow, (channel, update_key)) is not None:
        return False
    session.add(ProcessedUpdateRow(channel=channel, update_key=update_key, processed_at=now))
    try:
        await session.flush()
    except IntegrityError:
        return False
    return True


def _row_id(row: ConversationRow) -> int:
    """Rows are flushed before use, so the id is there; say so once for the type checker."""
    if row.id is None:
        raise RuntimeError("conversation row was not flushed")
    return row.id


def _state_from(data: dict[str, Any] | None) -> ConversationState | None:
    if not data:
        return None
    return ConversationState(**data)


def _typed_choice(event: Event, shown: list[list[str]], step_no: int) -> Event:
    if event.kind is not EventKind.TEXT:
        return event
    choice = match_choice(event.text, [(c[0], c[1]) for c in shown])
    if choice is None:
        return event
    return Event(EventKind.CHOICE, text=event.text, choice=choice, step=step_no)


def _last_choices(outgoing: list[Outgoing], stored: dict[str, Any]) -> list[list[str]]:
    """The choices of the last message sent are the ones a typed answer may name."""
    for message in reversed(outgoing):
        return [list(c) for c in message.choices]
    return list(stored.get("choices") or [])


def _inbound(row: ConversationRow, event: Event, now: datetime) -> TranscriptRow:
    return TranscriptRow(
        conversation_id=_row_id(row),
        account_id=row.account_id,
        direction="in",
        kind=event.kind.value,
        text=event.text[:4000] if event.kind is not EventKind.CHOICE else event.choice,
        payload={"choice": event.choice, "step": event.step}
        if event.kind is EventKind.CHOICE
        else None,
        script_version=row.script_version,
        created_at=now,
    )
