"""Parked updates: a borrower's update whose handling failed every try.

Without this an update that always fails (a bug meeting one input) stayed
unhandled in the inbox: every start handed it to the runtime again and the
borrower got one more apology each time. The runtime now tries it a few
times, then parks it here in the transaction that claims it (so the inbox
counts it handled and nothing replays it) and apologises once. A person reads
the traceback, fixes the cause and replays it: `repaybot inbox failed`,
`repaybot inbox retry ID`.
"""

from __future__ import annotations

import logging
import traceback
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col

from bot.errors import RepaybotError
from bot.service.events import ChatKind, Inbound, SharedContact
from bot.store.pending import insert_at_commit
from bot.store.tables import FailedUpdateRow, table_of

PARKED = "parked"
REPLAYED = "replayed"
ERROR_CHARS = 200  # the column's size
_REDACTED = "<input>"

_FAILED = table_of(FailedUpdateRow)
_CLAIM_REPLAY = (
    update(_FAILED)
    .where(_FAILED.c.id == bindparam("the_id"), _FAILED.c.status == PARKED)
    .values(status=REPLAYED, replayed_at=bindparam("when"))
)
_FAILED_AGAIN = (
    update(_FAILED)
    .where(_FAILED.c.id == bindparam("the_id"))
    .values(
        attempts=_FAILED.c.attempts + 1,
        error=bindparam("error"),
        traceback=bindparam("trace"),
        failed_at=bindparam("when"),
    )
)


class NoSuchFailedUpdate(RepaybotError, LookupError):
    """No parked update has that id."""


class AlreadyReplayed(RepaybotError):
    """The parked update was replayed before: it is handled, not replayed twice."""


class ReplayFailed(RepaybotError):
    """Handling the parked update failed again; it stays parked, with the new error."""


@dataclass(frozen=True)
class ParkedUpdate:
    """One line of `repaybot inbox failed`: no message text, no phone (R18)."""

    id: int
    channel: str
    event_key: str | None
    attempts: int
    failed_at: datetime
    error: str


def _inputs(inbound: Inbound) -> list[str]:
    """What the borrower wrote or sent, which no log line or listing may quote."""
    given = [inbound.text, inbound.button, inbound.contact.phone if inbound.contact else None]
    return sorted((value for value in given if value), key=len, reverse=True)


def _redact(text: str, inbound: Inbound) -> str:
    for value in _inputs(inbound):
        text = text.replace(value, _REDACTED)
        if len(value) > 3:  # a repr quotes escapes differently ('\\n'), and truncates
            text = text.replace(repr(value)[1:-1], _REDACTED)
    return text


def describe(error: BaseException, inbound: Inbound) -> str:
    """The failure in one line, kind and message, without what the borrower sent:
    a message quoting its input ("invalid literal ... '²'") has that replaced."""
    message = str(error).strip().splitlines()[0] if str(error).strip() else ""
    line = (
        f"{type(error).__name__}: {_redact(message, inbound)}" if message else type(error).__name__
    )
    return line[:ERROR_CHARS]


def traceback_text(error: BaseException, inbound: Inbound) -> str:
    """The whole traceback (causes too), redacted like `describe`.

    Logged as text, never as `exc_info`: the log's filter (bot.logs) withholds
    exc_info whole, since a library's traceback may quote a URL or a statement."""
    return _redact("".join(traceback.format_exception(error)), inbound)


def inbound_payload(inbound: Inbound) -> dict[str, Any]:
    return asdict(inbound)


def inbound_of(payload: dict[str, Any]) -> Inbound:
    contact = payload.get("contact")
    return Inbound(
        **{
            **payload,
            "chat_kind": ChatKind(payload["chat_kind"]),
            "contact": SharedContact(**contact) if contact else None,
        }
    )


def park(
    session: AsyncSession,
    inbound: Inbound,
    *,
    error: str,
    trace: str,
    attempts: int,
    now: datetime,
) -> None:
    """Keep the update and why it failed, in the transaction that claims it."""
    insert_at_commit(
        session,
        _FAILED,
        {
            "channel": inbound.channel[:16],
            "event_key": inbound.event_key[:64] if inbound.event_key else None,
            "chat_key": inbound.chat_key[:64],
            "inbound": inbound_payload(inbound),
            "error": error[:ERROR_CHARS],
            "traceback": trace,
            "attempts": attempts,
            "status": PARKED,
            "failed_at": now,
            "replayed_at": None,
        },
    )


async def claim_for_replay(session: AsyncSession, failed_id: int, now: datetime) -> Inbound:
    """Mark the parked update replayed, in the transaction that handles it again:
    of two operators replaying it at once, one does (a row lock, or SQLite's
    write lock, orders them), the other is told it was replayed."""
    claimed = await session.execute(_CLAIM_REPLAY, {"the_id": failed_id, "when": now})
    found = await session.execute(
        select(col(FailedUpdateRow.inbound)).where(col(FailedUpdateRow.id) == failed_id)
    )
    payload = found.scalar_one_or_none()
    if payload is None:
        raise NoSuchFailedUpdate(failed_id)
    if int(getattr(claimed, "rowcount", 0) or 0) != 1:
        raise AlreadyReplayed(failed_id)
    return inbound_of(dict(payload))


async def failed_again(
    sessions: async_sessionmaker[AsyncSession],
    failed_id: int,
    *,
    error: str,
    trace: str,
    now: datetime,
) -> None:
    async with sessions() as session, session.begin():
        await session.execute(
            _FAILED_AGAIN,
            {"the_id": failed_id, "error": error[:ERROR_CHARS], "trace": trace, "when": now},
        )


async def parked(sessions: async_sessionmaker[AsyncSession]) -> list[ParkedUpdate]:
    """The updates waiting for a person, oldest first."""
    async with sessions() as session:
        rows = await session.execute(
            select(FailedUpdateRow)
            .where(col(FailedUpdateRow.status) == PARKED)
            .order_by(col(FailedUpdateRow.id))
        )
        return [
            ParkedUpdate(
                id=int(row.id or 0),
                channel=row.channel,
                event_key=row.event_key,
                attempts=row.attempts,
                failed_at=row.failed_at,
                error=row.error,
            )
            for row in rows.scalars()
        ]


async def parked_inbound(sessions: async_sessionmaker[AsyncSession], failed_id: int) -> Inbound:
    """The parked update as it came in (to describe a replay's failure without it)."""
    async with sessions() as session:
        row = await session.get(FailedUpdateRow, failed_id)
        if row is None:
            raise NoSuchFailedUpdate(failed_id)
        return inbound_of(dict(row.inbound))


def log_failure(
    log: logging.Logger, inbound: Inbound, error: Exception, attempt: int, tries: int
) -> None:
    """One try of an update failed: its kind and message at error level, the traceback
    at debug level (the last try's is logged with the parking); never the borrower's
    text (`describe` and `traceback_text` take their input out)."""
    log.error(
        "update %s failed in %s (try %d of %d): %s",
        inbound.event_key,
        inbound.channel,
        attempt,
        tries,
        describe(error, inbound),
    )
    if log.isEnabledFor(logging.DEBUG):
        log.debug("traceback of update %s:\n%s", inbound.event_key, traceback_text(error, inbound))
