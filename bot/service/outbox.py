"""The transactional outbox, for every channel: replies are queued with the state
that produced them, then delivered in order per chat by the channel's sender.

A row is claimed with one conditional UPDATE (pending, or a lease that ran out
or belongs to a dead worker) so exactly one sender holds it, on SQLite as on
PostgreSQL. A chat's rows go out strictly in order: only the oldest unsent row
of a chat is ever claimed. A retry-after from the channel is honoured, other
transient failures back off exponentially, an unreachable recipient stops the
chat and is marked on the account until they write again.

Every process is a worker of its own (a generated id; the node name only groups
them by machine). A lease is taken back only from a worker that is gone: its
heartbeat stopped (older than DEAD_AFTER) or it left cleanly. So processes never
take a live sibling's work, on one machine or many.

The background loop outlives a database failover: each step of a pass is guarded
on its own, logged when it fails, and tried again at the next tick on fresh
connections (SQLAlchemy drops a pool whose connections it saw die). A message the
channel accepted whose sent mark could not be written is remembered and marked
on a later pass, so it is not sent again when its lease runs out.

The one window left: a crash after the channel accepted a message and before
it is marked sent resends that single message (no channel we serve has an
idempotency key for sending).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker
from sqlmodel import col

from bot.errors import ChannelError, RecipientUnreachable, Rejected, RetryLater, Unavailable
from bot.service.outbox_claims import Claimed, HeadClaim, Outcome, Unmarked
from bot.service.outbox_workers import (
    DEAD_AFTER,
    FORGET_AFTER,
    HEARTBEAT,
    LEASE,
    MAX_REASON,
    OutboxWorkers,
    WorkerIdentity,
    cut_reason,
    describe,
)
from bot.service.outgoing import OutgoingMessage, PressedMessage, Sender, pressed_of
from bot.store import live
from bot.store.outbox_statements import (
    CLAIM,
    CLOSE_KEYBOARDS,
    MARK_SENT,
    SEPARATOR,
    UNSENT,
)
from bot.store.tables import AccountRow, ConversationRow, OutboxRow

# Where they have always been imported from (the channels, bootstrap, tests).
__all__ = [
    "DEAD_AFTER",
    "FORGET_AFTER",
    "HEARTBEAT",
    "LEASE",
    "MAX_REASON",
    "UNSENT",
    "HeadClaim",
    "Outbox",
    "OutgoingMessage",
    "PressedMessage",
    "Sender",
    "WorkerIdentity",
    "describe",
]

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
MAX_INLINE_WAIT = 30.0  # longer waits are left to the background loop
PASS_CHATS = 1000  # chats one pass of the background loop takes on (the next pass the rest)


class Outbox(OutboxWorkers):
    """Delivery: claims a chat's head, sends it, marks it (leases: OutboxWorkers)."""

    def __init__(
        self,
        *,
        sessions: async_sessionmaker[AsyncSession],
        clock: Callable[[], datetime],
        worker: WorkerIdentity | None = None,
        backoff_base: float = 0.5,
        heartbeat: timedelta = HEARTBEAT,
        dead_after: timedelta = DEAD_AFTER,
        concurrency: int = 1,
    ) -> None:
        if dead_after < heartbeat * 2:
            # A worker one late beat away from "gone" would lose leases it still sends.
            raise ValueError("dead_after must be at least two heartbeats")
        self._sessions = sessions
        # Sending runs Core statements only: its transactions are the engine's, which
        # skip the ORM session's own set-up (a snapshot of weak dicts per transaction).
        engine = sessions.kw.get("bind")
        if not isinstance(engine, AsyncEngine):
            raise TypeError("the outbox's sessions must be bound to an AsyncEngine")
        self._engine = engine
        self._clock = clock
        self.worker = worker or WorkerIdentity()
        self._backoff_base = backoff_base
        self._heartbeat = heartbeat
        self._dead_after = dead_after
        # Chats the background loop sends to at once: one waits for the channel's
        # pace while the others' messages are claimed and marked.
        self.concurrency = concurrency
        self._senders: dict[str, Sender] = {}
        # Sent, but the sent mark could not be written (the database went away):
        # written by the loop's next passes, before the lease runs out.
        self._unmarked: dict[int, Unmarked] = {}

    def register(self, sender: Sender) -> None:
        self._senders[sender.channel] = sender

    # ---- delivery ----

    async def deliver_chat(
        self,
        channel: str,
        chat_key: str,
        *,
        wait_up_to: float = MAX_INLINE_WAIT,
        head: HeadClaim | None = None,
    ) -> None:
        """Send the chat's due messages in order; stop at the first that cannot go now.

        `head`: the chat's head as the transaction that queued the replies claimed
        it (see `claim_head_in`), which saves a transaction of its own here."""
        claimed = head.claimed if head is not None else await self._claim_head(channel, chat_key)
        while claimed is not None:
            outcome = await self._send(claimed)
            if outcome.wait is not None:
                if outcome.wait > wait_up_to:
                    return
                await asyncio.sleep(outcome.wait)
            if outcome.looked_ahead:
                claimed = outcome.next
            else:
                claimed = await self._claim_head(channel, chat_key)

    async def deliver_due(self) -> int:
        """One pass over every chat with a message due (the background loop): chats
        with a reply waiting first, then outreach; `concurrency` chats at a time
        (each chat's own messages strictly in order, as ever)."""
        now = self._clock()
        async with self._sessions() as session:
            query = (
                select(col(OutboxRow.channel), col(OutboxRow.chat_key))
                .where(col(OutboxRow.status).in_(UNSENT))
                .where(col(OutboxRow.next_attempt_at) <= now)
                .where(col(OutboxRow.channel).in_(list(self._senders)))
                .group_by(col(OutboxRow.channel), col(OutboxRow.chat_key))
                .order_by(func.min(col(OutboxRow.priority)), func.min(col(OutboxRow.id)))
                .limit(PASS_CHATS)
            )
            chats = [(str(c), str(k)) for c, k in (await session.execute(query)).all()]
        if self.concurrency <= 1:
            for channel, chat_key in chats:
                await self.deliver_chat(channel, chat_key, wait_up_to=0)
            return len(chats)
        pending = iter(chats)

        async def lane() -> None:
            for channel, chat_key in pending:  # shared: each chat taken by one lane
                await self.deliver_chat(channel, chat_key, wait_up_to=0)

        await asyncio.gather(*(lane() for _ in range(min(self.concurrency, len(chats)))))
        return len(chats)

    async def run(self, stop: asyncio.Event, interval: float = 1.0) -> None:
        """The background loop: due messages, retries, and this worker's heartbeat.

        Each step is guarded on its own, so a failing one (the database failing over,
        a connection cut) neither ends the loop nor stops the others; it is logged
        once per run of failures and tried again at the next tick."""
        failing: dict[str, int] = {}
        # The heartbeat beats on its own: a long pass (thousands of reminders at the
        # channel's pace) must not make this live worker look gone to its siblings.
        beating = asyncio.create_task(self._beating(stop, failing))
        try:
            while not stop.is_set():
                if self._unmarked:
                    await self._guarded("sent marks", self._write_unmarked, failing)
                await self._guarded("delivery", self.deliver_due, failing)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=interval)
        finally:
            beating.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await beating

    async def _beating(self, stop: asyncio.Event, failing: dict[str, int]) -> None:
        while not stop.is_set():
            await self._guarded("heartbeat", self._beat, failing)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=self._heartbeat.total_seconds())

    async def _claim_head(self, channel: str, chat_key: str) -> Claimed | None:
        async with self._engine.begin() as connection:
            return await self._claim_in(connection, channel, chat_key)

    async def claim_head_in(self, session: AsyncSession, channel: str, chat_key: str) -> HeadClaim:
        """Claim the chat's oldest unsent message in the caller's transaction (the one
        that queued the replies), for `deliver_chat` to send once it has committed.

        The same claim as `deliver_chat` makes, so order and leases hold as they do
        there; a rollback undoes it with everything else.
        """
        return HeadClaim(await self._claim_in(session, channel, chat_key))

    async def _claim_in(
        self, session: AsyncSession | AsyncConnection, channel: str, chat_key: str
    ) -> Claimed | None:
        """Claim the chat's oldest unsent row if it is due: one UPDATE ... RETURNING.

        Two senders racing for the same row: the second one's WHERE is re-checked on
        the row the first one changed (PostgreSQL) or waits for the write lock
        (SQLite), and finds it leased.
        """
        now = self._clock()
        claimed = await session.execute(
            CLAIM,
            {
                "the_channel": channel,
                "the_chat": chat_key,
                "now": now,
                "worker": self.worker.worker_id,
                "lease_until": now + LEASE,
            },
        )
        row = claimed.one_or_none()
        if row is None:
            return None  # nothing unsent, not due yet, or another sender holds it
        closing = tuple(i for i in (row.open_keyboards or "").split(SEPARATOR) if i)
        snapshot = {
            "channel": channel,
            "chat_key": chat_key,
            "payload": dict(row.payload or {}),
            "attempts": int(row.attempts),
            "conversation_id": int(row.conversation_id),
            "outreach": int(row.priority or 0) > 0,
        }
        return Claimed(row_id=int(row.id), row=snapshot, close=closing)

    async def _send(self, claimed: Claimed) -> Outcome:
        """Send once; what to wait before the next try, and the next row if claimed."""
        sender = self._senders.get(claimed.row["channel"])
        if sender is None:
            return Outcome(await self._retry(claimed.row_id, 5.0, "no sender registered"))
        payload: dict[str, Any] = claimed.row["payload"]
        message = OutgoingMessage(
            outbox_id=claimed.row_id,
            chat_key=claimed.row["chat_key"],
            text=str(payload.get("text", "")),
            buttons=tuple((str(b[0]), str(b[1])) for b in payload.get("buttons") or ()),
            contact_button=payload.get("contact_button"),
            close_keyboards=claimed.close,
            html=payload.get("html"),
            replace=bool(payload.get("replace")),
            pressed=pressed_of(payload.get("pressed")),
            after_contact=bool(payload.get("after_contact")),
            outreach=bool(claimed.row["outreach"]),
        )
        try:
            external_id = await sender.send(message)
        except RetryLater as exc:
            return Outcome(await self._retry(claimed.row_id, exc.seconds, "retry later"))
        except Unavailable:
            if claimed.row["attempts"] >= MAX_ATTEMPTS:
                await self._finish(claimed.row_id, "failed", "unavailable, gave up")
                return Outcome()
            wait = self._backoff_base * 2 ** (claimed.row["attempts"] - 1)
            return Outcome(await self._retry(claimed.row_id, wait, "unavailable"))
        except RecipientUnreachable:
            await self._unreachable(claimed)
            return Outcome()
        except Rejected as exc:  # for good: the reason is the channel's own (no message text)
            await self._finish(claimed.row_id, "failed", cut_reason(f"rejected: {exc}"))
            return Outcome()
        except ChannelError as exc:
            await self._finish(claimed.row_id, "failed", describe(exc))
            return Outcome()
        sent = Unmarked(claimed, external_id, has_buttons=bool(message.buttons))
        try:
            following = await self._mark_sent(sent)
        except (SQLAlchemyError, OSError) as exc:
            # The channel has the message: losing the mark would send it again once
            # the lease runs out. Keep it for the loop to write; this chat waits.
            self._unmarked[claimed.row_id] = sent
            log.error("outbox row %s sent, mark deferred: %s", claimed.row_id, describe(exc))
            return Outcome()
        return Outcome(next=following, looked_ahead=True)

    async def _mark_sent(self, sent: Unmarked, *, claim_next: bool = True) -> Claimed | None:
        """Mark the row sent and, in the same transaction, claim the chat's next one:
        a reply of several messages costs one transaction per message, not two. The
        mark says whether another is waiting; when none is, nothing is claimed."""
        claimed, external_id, has_buttons = sent.claimed, sent.external_id, sent.has_buttons
        channel, chat_key = claimed.row["channel"], claimed.row["chat_key"]
        async with live.begin(self._engine) as (connection, marks):
            if claimed.close:
                await connection.execute(
                    CLOSE_KEYBOARDS,
                    {"the_channel": channel, "the_chat": chat_key, "ids": list(claimed.close)},
                )
            marked = await connection.execute(
                MARK_SENT,
                {
                    "row_id": claimed.row_id,
                    "when": self._clock(),
                    "external_id": external_id,
                    "with_buttons": has_buttons,
                    "the_channel": channel,
                    "the_chat": chat_key,
                },
            )
            more_waiting, conversation_id = marked.one()
            marks.add(live.conversation_mark(int(conversation_id)))  # "Delivered", live
            if not more_waiting or not claim_next:
                return None  # nothing else unsent: the claim would find nothing
            return await self._claim_in(connection, channel, chat_key)

    async def _write_unmarked(self) -> None:
        """Write the sent marks a failing database refused, oldest first; the chats
        they held are delivered by this same pass (deliver_due), in order."""
        for row_id in sorted(self._unmarked):
            await self._mark_sent(self._unmarked[row_id], claim_next=False)
            del self._unmarked[row_id]

    async def _retry(self, row_id: int, seconds: float, reason: str) -> float:
        async with self._sessions() as session, session.begin():
            await session.execute(
                update(OutboxRow)
                .where(col(OutboxRow.id) == row_id)
                .values(
                    status="pending",
                    last_error=reason,
                    lease_owner=None,
                    next_attempt_at=self._clock() + timedelta(seconds=seconds),
                )
            )
        return seconds

    async def _finish(self, row_id: int, status: str, reason: str) -> None:
        async with self._sessions() as session, session.begin():
            finished = await session.execute(
                update(OutboxRow)
                .where(col(OutboxRow.id) == row_id)
                .values(status=status, last_error=reason, lease_owner=None)
                .returning(col(OutboxRow.conversation_id))
            )
            live.mark(session, finished.scalars())  # "Not delivered", live
        # An operator sees it here and with `repaybot outbox failed`; retry puts it back.
        log.warning("outbox row %s %s: %s", row_id, status, reason)

    async def _unreachable(self, claimed: Claimed) -> None:
        """The recipient blocked us: nothing more goes to this chat until they write again."""
        async with self._sessions() as session, session.begin():
            dead = await session.execute(
                update(OutboxRow)
                .where(col(OutboxRow.channel) == claimed.row["channel"])
                .where(col(OutboxRow.chat_key) == claimed.row["chat_key"])
                .where(
                    or_(
                        col(OutboxRow.id) == claimed.row_id,
                        and_(
                            col(OutboxRow.status) == "pending",
                            col(OutboxRow.id) > claimed.row_id,
                        ),
                    )
                )
                .values(status="dead", last_error="recipient unreachable", lease_owner=None)
                .returning(col(OutboxRow.conversation_id))
            )
            live.mark(session, set(dead.scalars()))
            conversation = await session.get(ConversationRow, claimed.row["conversation_id"])
            if conversation is not None and conversation.account_id is not None:
                await session.execute(
                    update(AccountRow)
                    .where(col(AccountRow.account_id) == conversation.account_id)
                    .values(unreachable=True)
                )
        log.warning("outbox row %s dead: recipient unreachable", claimed.row_id)
