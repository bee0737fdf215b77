"""The transactional outbox, for every channel: replies are queued with the state
that produced them, then delivered in order per chat by the channel's sender.

A row is claimed with one conditional UPDATE (pending, or a lease that ran out
or belongs to a dead worker) so exactly one sender holds it, on SQLite as on
PostgreSQL. A chat's rows go out strictly in order: only the oldest unsent row
of a chat is ever claimed. A retry-after from the channel is honoured, other
transient failures back off exponentially, an unreachable recipient stops the
chat and is marked on the account until they write again.

The one window left: a crash after the channel accepted a message and before
it is marked sent resends that single message (no channel we serve has an
idempotency key for sending).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import and_, bindparam, exists, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker
from sqlmodel import col

from bot.errors import ChannelError, RecipientUnreachable, Rejected, RetryLater, Unavailable
from bot.store.tables import AccountRow, ConversationRow, OutboxRow, WorkerRow, table_of

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
MAX_INLINE_WAIT = 30.0  # longer waits are left to the background loop
LEASE = timedelta(seconds=60)  # one send never takes this long; a dead worker's lease is taken back
HEARTBEAT = timedelta(seconds=5)
DEAD_AFTER = timedelta(seconds=20)  # a worker silent this long is gone
UNSENT = ("pending", "sending")


@dataclass(frozen=True)
class OutgoingMessage:
    """What a sender needs: the text, the buttons with their signed data, and which of
    the chat's earlier messages still show buttons (to take them away)."""

    outbox_id: int
    chat_key: str
    text: str
    buttons: tuple[tuple[str, str], ...] = ()
    contact_button: str | None = None
    close_keyboards: tuple[str, ...] = ()
    html: str | None = None  # the text as HTML (escaped, amounts bold), for channels that can
    # The same question asked again: a channel that can edit may replace the message
    # whose keyboard was just pressed instead of sending a new one (and return its id).
    replace: bool = False
    # The press this message answers: the pressed message (channel id and the HTML it
    # shows) and the chosen label. Kept in the row, so a restart loses nothing.
    pressed: PressedMessage | None = None
    # An answer to a shared contact: channels with a contact keyboard take it away.
    after_contact: bool = False


@dataclass(frozen=True)
class PressedMessage:
    message_key: str
    html: str
    label: str


class Sender(Protocol):
    """One per channel: sends a message and returns the channel's id for it.

    Raises RetryLater, Unavailable, RecipientUnreachable or Rejected (bot.errors).
    """

    channel: str

    async def send(self, message: OutgoingMessage) -> str: ...


@dataclass(frozen=True)
class WorkerIdentity:
    """Who holds a lease. `node` is stable across restarts of one machine's process, so
    a restarted process knows its predecessor's leases are dead at once."""

    node: str = field(default_factory=socket.gethostname)
    worker_id: str = field(default_factory=lambda: uuid.uuid4().hex)


class Outbox:
    def __init__(
        self,
        *,
        sessions: async_sessionmaker[AsyncSession],
        clock: Callable[[], datetime],
        worker: WorkerIdentity | None = None,
        backoff_base: float = 0.5,
    ) -> None:
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
        self._senders: dict[str, Sender] = {}

    def register(self, sender: Sender) -> None:
        self._senders[sender.channel] = sender

    # ---- workers and leases ----

    async def start(self) -> None:
        """Announce this worker and take back the leases of dead ones at once."""
        now = self._clock()
        async with self._sessions() as session, session.begin():
            session.add(
                WorkerRow(
                    worker_id=self.worker.worker_id,
                    node=self.worker.node,
                    started_at=now,
                    heartbeat_at=now,
                )
            )
        await self.take_back_leases()

    async def heartbeat(self) -> None:
        async with self._sessions() as session, session.begin():
            await session.execute(
                update(WorkerRow)
                .where(col(WorkerRow.worker_id) == self.worker.worker_id)
                .values(heartbeat_at=self._clock())
            )

    async def take_back_leases(self, *, restarted: bool = True) -> int:
        """Rows leased by a worker that is gone go back to pending, due now.

        At start (`restarted`), every earlier worker of this node is gone: this
        process replaces it. Later passes only trust heartbeats, so two processes
        that share a node name never take each other's rows while both live.
        """
        now = self._clock()
        async with self._sessions() as session, session.begin():
            recent = col(WorkerRow.heartbeat_at) > now - DEAD_AFTER
            not_replaced = or_(
                col(WorkerRow.node) != self.worker.node,
                col(WorkerRow.worker_id) == self.worker.worker_id,
            )
            alive = select(col(WorkerRow.worker_id)).where(
                and_(recent, not_replaced) if restarted else recent
            )
            result = await session.execute(
                update(OutboxRow)
                .where(col(OutboxRow.status) == "sending")
                .where(
                    or_(
                        col(OutboxRow.lease_owner).is_(None),
                        col(OutboxRow.lease_owner).not_in(alive),
                    )
                )
                .values(status="pending", next_attempt_at=now, lease_owner=None)
                .execution_options(synchronize_session=False)
            )
            if restarted:
                await session.execute(
                    update(WorkerRow)
                    .where(col(WorkerRow.node) == self.worker.node)
                    .where(col(WorkerRow.worker_id) != self.worker.worker_id)
                    .values(heartbeat_at=now - DEAD_AFTER * 2)
                )
            return int(getattr(result, "rowcount", 0) or 0)

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
        """One pass over every chat with a message due (the background loop)."""
        now = self._clock()
        async with self._sessions() as session:
            query = (
                select(col(OutboxRow.channel), col(OutboxRow.chat_key))
                .where(col(OutboxRow.status).in_(UNSENT))
                .where(col(OutboxRow.next_attempt_at) <= now)
                .where(col(OutboxRow.channel).in_(list(self._senders)))
                .distinct()
            )
            chats = [(str(c), str(k)) for c, k in (await session.execute(query)).all()]
        for channel, chat_key in chats:
            await self.deliver_chat(channel, chat_key, wait_up_to=0)
        return len(chats)

    async def run(self, stop: asyncio.Event, interval: float = 1.0) -> None:
        """The background loop: due messages, retries, and this worker's heartbeat."""
        last_beat = self._clock()
        while not stop.is_set():
            try:
                if self._clock() - last_beat >= HEARTBEAT:
                    await self.heartbeat()
                    # Another process that died mid-send must not hold its chats'
                    # messages for the whole lease: its heartbeat stopped, take them.
                    await self.take_back_leases(restarted=False)
                    last_beat = self._clock()
                await self.deliver_due()
            except Exception as exc:  # one bad pass must not end delivery for everyone
                log.error("outbox pass failed: %s", type(exc).__name__)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=interval)

    async def _claim_head(self, channel: str, chat_key: str) -> _Claimed | None:
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
    ) -> _Claimed | None:
        """Claim the chat's oldest unsent row if it is due: one UPDATE ... RETURNING.

        Two senders racing for the same row: the second one's WHERE is re-checked on
        the row the first one changed (PostgreSQL) or waits for the write lock
        (SQLite), and finds it leased.
        """
        now = self._clock()
        claimed = await session.execute(
            _CLAIM,
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
        closing = tuple(i for i in (row.open_keyboards or "").split(_SEPARATOR) if i)
        snapshot = {
            "channel": channel,
            "chat_key": chat_key,
            "payload": dict(row.payload or {}),
            "attempts": int(row.attempts),
            "conversation_id": int(row.conversation_id),
        }
        return _Claimed(row_id=int(row.id), row=snapshot, close=closing)

    async def _send(self, claimed: _Claimed) -> _Outcome:
        """Send once; what to wait before the next try, and the next row if claimed."""
        sender = self._senders.get(claimed.row["channel"])
        if sender is None:
            return _Outcome(await self._retry(claimed.row_id, 5.0, "no sender registered"))
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
            pressed=_pressed(payload.get("pressed")),
            after_contact=bool(payload.get("after_contact")),
        )
        try:
            external_id = await sender.send(message)
        except RetryLater as exc:
            return _Outcome(await self._retry(claimed.row_id, exc.seconds, "retry later"))
        except Unavailable:
            if claimed.row["attempts"] >= MAX_ATTEMPTS:
                await self._finish(claimed.row_id, "failed", "unavailable, gave up")
                return _Outcome()
            wait = self._backoff_base * 2 ** (claimed.row["attempts"] - 1)
            return _Outcome(await self._retry(claimed.row_id, wait, "unavailable"))
        except RecipientUnreachable:
            await self._unreachable(claimed)
            return _Outcome()
        except (Rejected, ChannelError) as exc:
            await self._finish(claimed.row_id, "failed", type(exc).__name__)
            return _Outcome()
        following = await self._mark_sent(claimed, external_id, has_buttons=bool(message.buttons))
        return _Outcome(next=following, looked_ahead=True)

    async def _mark_sent(
        self, claimed: _Claimed, external_id: str, *, has_buttons: bool
    ) -> _Claimed | None:
        """Mark the row sent and, in the same transaction, claim the chat's next one:
        a reply of several messages costs one transaction per message, not two. The
        mark says whether another is waiting; when none is, nothing is claimed."""
        channel, chat_key = claimed.row["channel"], claimed.row["chat_key"]
        async with self._engine.begin() as connection:
            if claimed.close:
                await connection.execute(
                    _CLOSE_KEYBOARDS,
                    {"the_channel": channel, "the_chat": chat_key, "ids": list(claimed.close)},
                )
            marked = await connection.execute(
                _MARK_SENT,
                {
                    "row_id": claimed.row_id,
                    "when": self._clock(),
                    "external_id": external_id,
                    "with_buttons": has_buttons,
                    "the_channel": channel,
                    "the_chat": chat_key,
                },
            )
            if not marked.scalar_one_or_none():
                return None  # nothing else unsent: the claim would find nothing
            return await self._claim_in(connection, channel, chat_key)

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
            await session.execute(
                update(OutboxRow)
                .where(col(OutboxRow.id) == row_id)
                .values(status=status, last_error=reason, lease_owner=None)
            )
        log.warning("outbox row %s %s: %s", row_id, status, reason)

    async def _unreachable(self, claimed: _Claimed) -> None:
        """The recipient blocked us: nothing more goes to this chat until they write again."""
        async with self._sessions() as session, session.begin():
            await session.execute(
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
            )
            conversation = await session.get(ConversationRow, claimed.row["conversation_id"])
            if conversation is not None and conversation.account_id is not None:
                await session.execute(
                    update(AccountRow)
                    .where(col(AccountRow.account_id) == conversation.account_id)
                    .values(unreachable=True)
                )
        log.warning("outbox row %s dead: recipient unreachable", claimed.row_id)


# The statements of every send, built once: building a statement (coercing each
# clause, computing its cache key) costs more than running it on SQLite. They
# are Core statements on the table, which skip the ORM's bulk-update machinery.
_OUTBOX = table_of(OutboxRow)
_o = _OUTBOX.c
_THIS_CHAT = (_o.channel == bindparam("the_channel"), _o.chat_key == bindparam("the_chat"))
# The chat's earlier messages that still show buttons, returned with the claim (one
# statement, not two). Channel message ids hold no control character, so the unit
# separator joins them.
_SEPARATOR = "\x1f"
_shown = _OUTBOX.alias("shown")
_OPEN_KEYBOARDS = (
    select(func.aggregate_strings(_shown.c.external_message_id, _SEPARATOR))
    .where(
        _shown.c.channel == bindparam("the_channel"),
        _shown.c.chat_key == bindparam("the_chat"),
        _shown.c.keyboard_open.is_(True),
    )
    .scalar_subquery()
    .label("open_keyboards")
)
_CLAIM = (
    update(_OUTBOX)
    .where(
        _o.id == select(func.min(_o.id)).where(*_THIS_CHAT, _o.status.in_(UNSENT)).scalar_subquery()
    )
    .where(_o.status.in_(UNSENT), _o.next_attempt_at <= bindparam("now"))
    .values(
        status="sending",
        lease_owner=bindparam("worker"),
        next_attempt_at=bindparam("lease_until"),
        attempts=_o.attempts + 1,
    )
    .returning(_o.id, _o.payload, _o.attempts, _o.conversation_id, _OPEN_KEYBOARDS)
)
_CLOSE_KEYBOARDS = (
    update(_OUTBOX)
    # keyboard_open: only open ones change, and the partial index finds just those.
    .where(*_THIS_CHAT, _o.keyboard_open.is_(True))
    .where(_o.external_message_id.in_(bindparam("ids", expanding=True)))
    .values(keyboard_open=False)
)
# Whether the chat has another unsent message, returned with the sent mark: most
# replies are one message, and then there is nothing to claim next (one statement
# per message fewer than claiming to find nothing).
_waiting = _OUTBOX.alias("waiting")
_MORE_WAITING = (
    exists()
    .where(
        _waiting.c.channel == bindparam("the_channel"),
        _waiting.c.chat_key == bindparam("the_chat"),
        _waiting.c.status.in_(UNSENT),
        _waiting.c.id != bindparam("row_id"),
    )
    .label("more_waiting")
)
_MARK_SENT = (
    update(_OUTBOX)
    .where(_o.id == bindparam("row_id"))
    .values(
        status="sent",
        sent_at=bindparam("when"),
        external_message_id=bindparam("external_id"),
        keyboard_open=bindparam("with_buttons"),
        lease_owner=None,
    )
    .returning(_MORE_WAITING)
)


@dataclass(frozen=True)
class _Claimed:
    row_id: int
    row: dict[str, Any]
    close: tuple[str, ...]


@dataclass(frozen=True)
class HeadClaim:
    """A chat's head claimed in the transaction that queued it: the row to send first,
    or None when nothing is due now (an older message waits for a retry, or another
    sender holds one)."""

    claimed: _Claimed | None


@dataclass(frozen=True)
class _Outcome:
    """After one send: seconds to wait before trying again (None: go on at once), and
    the chat's next row when the send already claimed it (`looked_ahead`)."""

    wait: float | None = None
    next: _Claimed | None = None
    looked_ahead: bool = False


def _pressed(value: Any) -> PressedMessage | None:
    if not isinstance(value, dict):
        return None
    return PressedMessage(str(value["message"]), str(value["html"]), str(value["label"]))
