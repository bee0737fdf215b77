"""What the runtime answers when handling a borrower's update fails.

A script that misbehaves gets an apology and a person (an escalation of its
own); an update that fails every try is parked (bot.service.failures) with one
apology, and a person replays it once its cause is fixed; an account that is
gone gets the welcome again. Each answer is a transaction of its own, which
claims the update, since the event's own transaction rolled back.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime
from uuid import uuid4

from sqlalchemy.ext.asyncio import AsyncSession

from bot.engine.types import EscalationReason, Priority
from bot.service import escalations, worklist
from bot.service.events import ChatKind, Handled, Inbound
from bot.service.failures import (
    AlreadyReplayed,
    NoSuchFailedUpdate,
    ReplayFailed,
    claim_for_replay,
    describe,
    failed_again,
    park,
    parked_inbound,
    traceback_text,
)
from bot.service.inbound import locale_of
from bot.service.queueing import Queue
from bot.service.record import ConversationRecord
from bot.service.transaction import EventTransactions
from bot.store.conversations import save_conversation
from bot.store.retry import is_transient, retrying

log = logging.getLogger("bot.service.runtime")  # one logger for the runtime's failures

# Tries of one update before it is parked: a bug that meets one input fails every
# time, and each try costs a transaction; a lost connection is not counted.
MAX_TRIES = 3


class Recovery(EventTransactions):
    """The runtime's answers to failures (bot.service.runtime.Runtime builds on it)."""

    async def _inbound_in(self, session: AsyncSession, inbound: Inbound, now: datetime) -> Handled:
        """Handle the update in the caller's transaction (the runtime's)."""
        raise NotImplementedError

    async def _park(self, inbound: Inbound, failure: Exception) -> Handled:
        """Park the update that failed every try, with one apology; if even the
        apology cannot be written (the chat itself is the trouble), park it alone."""
        error, trace = describe(failure, inbound), traceback_text(failure, inbound)
        try:
            handled = await retrying(
                lambda: self._park_in(inbound, error, trace, apologise=True), what="parking"
            )
        except Exception as exc:
            if is_transient(exc):
                raise
            log.error(
                "no apology for update %s: %s\n%s",
                inbound.event_key,
                describe(exc, inbound),
                traceback_text(exc, inbound),
            )
            handled = await retrying(
                lambda: self._park_in(inbound, error, trace, apologise=False), what="parking"
            )
        if not handled.duplicate:
            key, channel = inbound.event_key, inbound.channel
            # The traceback as text: the log's filter would withhold exc_info whole.
            log.error("update %s in %s parked after %d tries:\n%s", key, channel, MAX_TRIES, trace)
        return handled

    async def _park_in(
        self, inbound: Inbound, error: str, trace: str, *, apologise: bool
    ) -> Handled:
        now = self._clock()
        async with self._sessions() as session, session.begin():
            if not await self._claim(session, inbound.channel, inbound.event_key, now):
                return Handled(duplicate=True)
            park(session, inbound, error=error, trace=trace, attempts=MAX_TRIES, now=now)
            if not apologise or inbound.chat_kind is not ChatKind.PRIVATE:
                return Handled()
            row = await self._row(session, inbound, create=True)
            assert row is not None  # noqa: S101 - create=True always gives one
            queue = Queue(session, self._translator, self._secret, now)
            locale = row.locale if row.started else locale_of(inbound)
            queue.notice(row, "channel.error", locale, self._table())
            return Handled(conversation_id=row.id, queued=tuple(queue.queued))

    async def replay_failed(self, failed_id: int) -> Handled:
        """`repaybot inbox retry ID`: handle a parked update again, once.

        Raises NoSuchFailedUpdate or AlreadyReplayed, or ReplayFailed when handling
        fails again (the update stays parked, with the new error and traceback).
        The replies are queued in the outbox; the running bot sends them."""
        try:
            return await retrying(lambda: self._replay(failed_id), what="replaying an update")
        except (NoSuchFailedUpdate, AlreadyReplayed):
            raise
        except Exception as exc:
            if is_transient(exc):
                raise
            inbound = await retrying(
                lambda: parked_inbound(self._sessions, failed_id), what="replay"
            )
            error, trace = describe(exc, inbound), traceback_text(exc, inbound)
            await retrying(
                lambda: failed_again(
                    self._sessions,
                    failed_id,
                    error=error,
                    trace=trace,
                    now=self._clock(),
                ),
                what="replay",
            )
            raise ReplayFailed(error) from exc

    async def _replay(self, failed_id: int) -> Handled:
        now = self._clock()
        async with self._sessions() as session, session.begin():
            inbound = await claim_for_replay(session, failed_id, now)
            return await self._inbound_in(session, inbound, now)

    async def _notice_only(self, inbound: Inbound, message_id: str, *, contact: bool) -> Handled:
        """An answer in a transaction of its own (after the event's own failed), which
        claims the update: a failure here is the caller's to count (see on_inbound)."""
        if inbound.chat_kind is not ChatKind.PRIVATE:
            return Handled()
        now = self._clock()
        async with self._sessions() as session, session.begin():
            if not await self._claim(session, inbound.channel, inbound.event_key, now):
                return Handled(duplicate=True)
            row = await self._row(session, inbound, create=True)
            assert row is not None  # noqa: S101
            queue = Queue(session, self._translator, self._secret, now)
            locale = row.locale if row.started else locale_of(inbound)
            queue.notice(row, message_id, locale, self._table(), contact_button=contact)
            return Handled(conversation_id=row.id, queued=tuple(queue.queued))

    async def _script_failed(self, inbound: Inbound) -> Handled:
        now = self._clock()
        async with self._sessions() as session, session.begin():
            if not await self._claim(session, inbound.channel, inbound.event_key, now):
                return Handled(duplicate=True)
            row = await self._row(session, inbound, create=True)
            assert row is not None  # noqa: S101
            record = ConversationRecord.from_row(row)
            queue = Queue(session, self._translator, self._secret, now)
            # The ticket of the case that holds it: a failure before this one may
            # have left the account's script-failure case open (escalations.open_case).
            ticket = await escalations.open_case(
                session,
                ticket=f"T-{uuid4().hex[:10].upper()}",
                account_id=record.account_id,
                conversation_id=record.conversation_id,
                reason=EscalationReason.SCRIPT_FAILURE,
                priority=Priority.HIGH,
                now=now,
            )
            if record.account_id:
                await worklist.reweigh(session, now, [record.account_id])
            # Out of the failing state: the next message starts cleanly.
            ended = replace(record, frames=(), choices=(), ended=True)
            await save_conversation(session, record.conversation_id, ended.columns(), now)
            queue.notice(row, "channel.script_error", record.locale, self._table(), ticket=ticket)
            return Handled(conversation_id=record.conversation_id, queued=tuple(queue.queued))
