"""Deliver the outbox to Telegram, in order per chat, with retries.

A row is claimed (status 'sending', attempts + 1, a 60-second lease) before
the call and marked 'sent' with Telegram's message id after it, each in its
own short transaction; the lease keeps the background loop from sending a row
the handler is still sending. 429 waits as long as Telegram asks; 5xx and network errors back
off exponentially; 403 marks the borrower unreachable and stops. A row whose
send outcome is unknown after a crash ('sending' left behind) is sent again:
Telegram has no idempotency key, so this window (one message, the time of one
HTTP call) is the only place a duplicate can come from, and nothing is lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col

from bot.channels.telegram import callback_data
from bot.channels.telegram.api import (
    Blocked,
    BotApi,
    Button,
    Rejected,
    RetryLater,
    TelegramSendError,
    Unavailable,
)
from bot.store.db import as_utc
from bot.store.tables import AccountRow, ConversationRow, OutboxRow

log = logging.getLogger(__name__)

CHANNEL = "telegram"
MAX_ATTEMPTS = 8
MAX_INLINE_WAIT = 30.0  # longer waits are left to the background loop
LEASE = timedelta(seconds=60)  # how long a claimed row is left to its sender


class OutboxDelivery:
    def __init__(
        self,
        *,
        sessions: async_sessionmaker[AsyncSession],
        api: BotApi,
        secret: bytes,
        clock: Callable[[], datetime],
        backoff_base: float = 0.5,
    ) -> None:
        self._sessions = sessions
        self._api = api
        self._secret = secret
        self._clock = clock
        self._backoff_base = backoff_base

    async def deliver_conversation(self, conversation_id: int) -> None:
        """Send the conversation's pending messages in order; stop at the first failure."""
        for row_id in await self._pending_ids(conversation_id):
            for _ in range(MAX_ATTEMPTS):
                wait = await self._send_one(row_id)
                if wait is None:
                    break
                if wait > MAX_INLINE_WAIT:
                    return
                await asyncio.sleep(wait)
            else:
                return
            if await self._status(row_id) != "sent":
                return  # keep order: later messages wait for this one

    async def deliver_due(self) -> int:
        """One pass over every conversation with a message due (the background loop)."""
        now = self._clock()
        async with self._sessions() as session:
            query = (
                select(col(OutboxRow.conversation_id))
                .where(col(OutboxRow.channel) == CHANNEL)
                .where(col(OutboxRow.status).in_(["pending", "sending"]))
                .where(col(OutboxRow.next_attempt_at) <= now)
                .distinct()
            )
            conversation_ids = list((await session.execute(query)).scalars())
        for conversation_id in conversation_ids:
            await self.deliver_conversation(conversation_id)
        return len(conversation_ids)

    async def run(self, stop: asyncio.Event, interval: float = 1.0) -> None:
        while not stop.is_set():
            try:
                await self.deliver_due()
            except Exception:
                log.exception("outbox pass failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=interval)

    async def _pending_ids(self, conversation_id: int) -> list[int]:
        async with self._sessions() as session:
            query = (
                select(col(OutboxRow.id))
                .where(col(OutboxRow.conversation_id) == conversation_id)
                .where(col(OutboxRow.status).in_(["pending", "sending"]))
                .order_by(col(OutboxRow.id))
            )
            return [int(i) for i in (await session.execute(query)).scalars() if i is not None]

    async def _status(self, row_id: int) -> str:
        async with self._sessions() as session:
            row = await session.get(OutboxRow, row_id)
            return row.status if row is not None else "sent"

    async def _send_one(self, row_id: int) -> float | None:
        """Try once. Returns seconds to wait before trying again, or None when done."""
        now = self._clock()
        async with self._sessions() as session, session.begin():
            row = await session.get(OutboxRow, row_id, with_for_update=True)
            if row is None or row.status not in ("pending", "sending"):
                return None
            if as_utc(row.next_attempt_at) > now:
                return None  # not due yet, or another worker holds the lease
            # A lease: whoever claimed the row sends it; another worker (the
            # background loop) takes it over only if the lease runs out (a crash).
            row.status = "sending"
            row.next_attempt_at = now + LEASE
            row.attempts += 1
            payload = dict(row.payload)
            chat_id = int(row.chat_key)
            conversation = await session.get(ConversationRow, row.conversation_id)
            previous_keyboard = (
                (conversation.state or {}).get("keyboard_message_id") if conversation else None
            )
            attempts = row.attempts
        try:
            if previous_keyboard:
                await self._drop_keyboard(chat_id, int(previous_keyboard))
            message_id = await self._api.send_message(
                chat_id,
                str(payload["text"]),
                buttons=self._buttons(row_id, payload),
                contact_button=payload.get("contact_button"),
            )
        except RetryLater as exc:
            return await self._retry(row_id, exc.seconds, "429 retry later")
        except Unavailable:
            if attempts >= MAX_ATTEMPTS:
                await self._finish(row_id, "failed", "unavailable, gave up")
                return None
            return await self._retry(
                row_id, self._backoff_base * 2 ** (attempts - 1), "unavailable"
            )
        except Blocked:
            await self._finish(row_id, "dead", "blocked by the user", unreachable=True)
            return None
        except (Rejected, TelegramSendError) as exc:
            await self._finish(row_id, "failed", type(exc).__name__)
            return None
        await self._mark_sent(row_id, message_id, has_buttons=bool(payload.get("choices")))
        return None

    def _buttons(self, row_id: int, payload: dict[str, object]) -> list[Button] | None:
        choices = payload.get("choices") or []
        if not isinstance(choices, list) or not choices:
            return None
        conversation_id = int(str(payload.get("conversation_id") or 0))
        step = int(str(payload.get("step") or 0))
        del row_id
        return [
            Button(
                text=str(label),
                callback_data=callback_data.encode(
                    callback_data.ButtonRef(conversation_id, step, index), self._secret
                ),
            )
            for index, (_, label) in enumerate(choices)
        ]

    async def _drop_keyboard(self, chat_id: int, message_id: int) -> None:
        """Old buttons must not be pressed again; a failure here is harmless."""
        with contextlib.suppress(Rejected, Blocked, Unavailable):
            await self._api.remove_buttons(chat_id, message_id)

    async def _retry(self, row_id: int, seconds: float, reason: str) -> float:
        async with self._sessions() as session, session.begin():
            await session.execute(
                update(OutboxRow)
                .where(col(OutboxRow.id) == row_id)
                .values(
                    status="pending",
                    last_error=reason,
                    next_attempt_at=self._clock() + timedelta(seconds=seconds),
                )
            )
        return seconds

    async def _finish(
        self, row_id: int, status: str, reason: str, unreachable: bool = False
    ) -> None:
        async with self._sessions() as session, session.begin():
            row = await session.get(OutboxRow, row_id)
            if row is None:
                return
            row.status = status
            row.last_error = reason
            if unreachable:
                conversation = await session.get(ConversationRow, row.conversation_id)
                if conversation is not None and conversation.account_id is not None:
                    await session.execute(
                        update(AccountRow)
                        .where(col(AccountRow.account_id) == conversation.account_id)
                        .values(unreachable=True)
                    )
        log.warning("outbox row %s %s: %s", row_id, status, reason)

    async def _mark_sent(self, row_id: int, message_id: int, *, has_buttons: bool) -> None:
        async with self._sessions() as session, session.begin():
            row = await session.get(OutboxRow, row_id)
            if row is None:
                return
            row.status = "sent"
            row.sent_at = self._clock()
            row.external_message_id = str(message_id)
            conversation = await session.get(ConversationRow, row.conversation_id)
            if conversation is not None:
                state = dict(conversation.state or {})
                state["keyboard_message_id"] = message_id if has_buttons else None
                conversation.state = state
