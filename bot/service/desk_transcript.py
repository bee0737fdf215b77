"""One conversation's transcript as a person reads it: who said what, and whether each
reply reached the borrower (the outbox rows it was sent as)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, NamedTuple

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.store.tables import OutboxRow, TranscriptRow


class Line(NamedTuple):
    """One transcript line as a person sees it. `who`: borrower, bot, agent, note or
    event (a person's action: taken, handed back...); `delivered`: None while
    it is on its way, False when it could not be delivered. A named tuple: a long
    conversation makes hundreds, each two thirds the cost of a frozen dataclass."""

    id: int
    at: datetime
    who: str
    text: str
    delivered: bool | None = None
    agent: str | None = None
    action: str | None = None

    def api(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "from": self.who,
            "text": self.text,
            "delivered": self.delivered,
        }


PAGE = 100  # lines the conversation page draws at first, and per "earlier" step

# The columns a line needs, read as plain rows through the connection (no ORM
# objects, no ORM result machinery), with the deliveries below: a 500-line
# conversation is read in a little over half the CPU time it took through the
# ORM session. Built once: each request reuses the compiled statement.
_COLUMNS = (
    col(TranscriptRow.id),
    col(TranscriptRow.direction),
    col(TranscriptRow.kind),
    col(TranscriptRow.text),
    col(TranscriptRow.payload),
    col(TranscriptRow.created_at),
)
_OF = col(TranscriptRow.conversation_id) == bindparam("conversation")
_LINES = select(*_COLUMNS).where(_OF).order_by(col(TranscriptRow.id))
# Pages are keyset pages by line id, newest first in SQL (one more than a page, to
# know whether older lines are left), put back in order here.
_NEWEST = select(*_COLUMNS).where(_OF).order_by(col(TranscriptRow.id).desc()).limit(PAGE + 1)
_BEFORE = _NEWEST.where(col(TranscriptRow.id) < bindparam("line"))
_AFTER = _LINES.where(col(TranscriptRow.id) > bindparam("line"))
_CHOSEN = _LINES.where(col(TranscriptRow.id).in_(bindparam("ids", expanding=True)))
# Every reply's outbox rows belong to its conversation (bot.service.queueing), so
# the conversation's rows, by their index, answer for all its lines in one fixed
# statement instead of an IN list of hundreds of keys compiled anew each time.
_DELIVERIES = select(col(OutboxRow.idempotency_key), col(OutboxRow.status)).where(
    col(OutboxRow.conversation_id) == bindparam("conversation")
)
# A page's replies only: a hundred lines name some fifty keys (one expanding IN),
# where the whole conversation's rows may be thousands.
_SOME_DELIVERIES = _DELIVERIES.where(
    col(OutboxRow.idempotency_key).in_(bindparam("keys", expanding=True))
)
_FAILED = frozenset({"failed", "dead"})


class Page(NamedTuple):
    """Lines in order, and whether older ones are left before the first."""

    lines: list[Line]
    more: bool


async def transcript(session: AsyncSession, conversation_id: int) -> list[Line]:
    """The whole conversation, oldest first (the CRM API's contract)."""
    connection = await session.connection()
    wanted = {"conversation": conversation_id}
    rows = (await connection.execute(_LINES, wanted)).all()
    statuses: dict[str, str] = {}
    if any(row.direction == "out" for row in rows):
        statuses = {str(k): str(s) for k, s in (await connection.execute(_DELIVERIES, wanted))}
    return [_line(row, statuses) for row in rows]


async def newest(session: AsyncSession, conversation_id: int) -> Page:
    """The newest PAGE lines, oldest first."""
    return await _page(session, _NEWEST, {"conversation": conversation_id})


async def before(session: AsyncSession, conversation_id: int, line_id: int) -> Page:
    """The PAGE lines before line `line_id`, oldest first."""
    return await _page(session, _BEFORE, {"conversation": conversation_id, "line": line_id})


async def after(session: AsyncSession, conversation_id: int, line_id: int) -> list[Line]:
    """Every line after line `line_id` (what a page that drew up to it has not seen:
    usually none or a few)."""
    wanted = {"conversation": conversation_id, "line": line_id}
    return await _read(session, _AFTER, wanted)


async def chosen(session: AsyncSession, conversation_id: int, ids: list[int]) -> list[Line]:
    """These lines of the conversation as they are now (ids of another conversation
    find nothing)."""
    if not ids:
        return []
    return await _read(session, _CHOSEN, {"conversation": conversation_id, "ids": ids})


async def _page(session: AsyncSession, statement: Any, wanted: dict[str, Any]) -> Page:
    lines = await _read(session, statement, wanted)
    lines.reverse()  # read newest first
    more = len(lines) > PAGE
    return Page(lines[1:] if more else lines, more)


async def _read(session: AsyncSession, statement: Any, wanted: dict[str, Any]) -> list[Line]:
    connection = await session.connection()
    rows = (await connection.execute(statement, wanted)).all()
    keys = [key for row in rows if row.direction == "out" for key in _outbox_keys(row.payload)]
    statuses: dict[str, str] = {}
    if keys:
        found = await connection.execute(
            _SOME_DELIVERIES, {"conversation": wanted["conversation"], "keys": keys}
        )
        statuses = {str(k): str(s) for k, s in found}
    return [_line(row, statuses) for row in rows]


def _outbox_keys(payload: dict[str, Any] | None) -> list[str]:
    """The outbox rows a reply was sent as (one key in lines written before replies
    could be cut into several messages)."""
    keys = (payload or {}).get("outbox")
    if not keys:
        return []
    return [str(k) for k in keys] if isinstance(keys, list) else [str(keys)]


def _line(row: Any, statuses: dict[str, str]) -> Line:
    id_, direction, kind, text, payload, at = row
    if at.tzinfo is None:  # SQLite hands back naive datetimes, stored in UTC
        at = at.replace(tzinfo=UTC)
    if direction == "in":
        return Line(id_, at, "borrower", text)
    payload = payload or {}
    agent = payload.get("agent")
    if direction == "out":
        found = [statuses.get(key) for key in _outbox_keys(payload)]
        # A reply cut into several messages arrived when all did; one refused fails it.
        delivered = (
            False
            if any(s in _FAILED for s in found)
            else True
            if found and all(s == "sent" for s in found)
            else None
        )
        return Line(id_, at, "agent" if agent else "bot", text, delivered, agent)
    action = str(payload.get("action", kind))
    return Line(id_, at, "note" if action == "note" else "event", text, None, agent, action)
