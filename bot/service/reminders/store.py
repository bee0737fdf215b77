"""The reminders' statements: set-based, streamed in batches, never one ORM load per account.

`contacts` reads a batch of accounts with everything the contact rules need in
one statement (the linked chat, the owner, counts of charges, an active
arrangement, the last completed conversation) and one more for the batch's
reminders. Batches follow the primary key (keyset), so memory stays flat
however large the portfolio.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Numeric,
    and_,
    bindparam,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.types import TypeEngine

from bot.domain.contact_rules import Contact
from bot.domain.quiet_windows import from_data
from bot.store.tables import (
    AccountRow,
    ArrangementRow,
    ChannelLinkRow,
    ChargeRow,
    ConversationRow,
    ReminderRow,
    table_of,
)

ACCOUNTS = table_of(AccountRow)
CHARGES = table_of(ChargeRow)
CONVERSATIONS = table_of(ConversationRow)
LINKS = table_of(ChannelLinkRow)
ARRANGEMENTS = table_of(ArrangementRow)
REMINDERS = table_of(ReminderRow)
BATCH = 5000
# Reminders still to go out: what a stage already has in this cycle.
OPEN = ("queued", "sending", "sent", "superseded", "person", "skipped")
HISTORY_DAYS = 8  # R2 looks back 7 days; one more for the borrower's own day


@dataclass(frozen=True)
class Candidate:
    """An account the planner may remind: its facts and its linked chat."""

    contact: Contact
    conversation_id: int | None
    owed: Decimal  # undisputed charges (R8), for the simulator's payments
    held: frozenset[str] = frozenset()  # this cycle's stages held at send time


_SELECT = """
SELECT a.account_id, a.timezone, a.phone, a.due_date, a.opted_out, a.collection_paused,
  a.breathing_space, a.breathing_space_until, a.breathing_space_from, a.unreachable,
  a.quiet_windows, x.conversation_id, v.owner, x.charges, x.undisputed, x.owed,
  x.arrangement, x.completed_at
FROM (
  SELECT a.account_id,
    (SELECT max(c.id) FROM conversations c
       JOIN channel_links l ON l.channel = c.channel AND l.user_key = c.user_key
      WHERE c.account_id = a.account_id AND l.account_id = a.account_id) AS conversation_id,
    (SELECT count(*) FROM charges g WHERE g.account_id = a.account_id) AS charges,
    (SELECT count(*) FROM charges g
      WHERE g.account_id = a.account_id AND g.dispute_id IS NULL) AS undisputed,
    (SELECT coalesce(sum(g.amount), 0) FROM charges g
      WHERE g.account_id = a.account_id AND g.dispute_id IS NULL) AS owed,
    EXISTS (SELECT 1 FROM arrangements r
      WHERE r.account_id = a.account_id AND r.status = 'active') AS arrangement,
    (SELECT max(d.updated_at) FROM conversations d
      WHERE d.account_id = a.account_id AND d.ended = :yes) AS completed_at
  FROM accounts a
  WHERE {where}
  ORDER BY a.account_id
  LIMIT :limit
) x
JOIN accounts a ON a.account_id = x.account_id
LEFT JOIN conversations v ON v.id = x.conversation_id
ORDER BY a.account_id
"""
_LINKED = "EXISTS (SELECT 1 FROM channel_links k WHERE k.account_id = a.account_id)"
_TYPES: dict[str, TypeEngine[Any]] = {
    "due_date": Date(),
    "breathing_space_until": Date(),
    "breathing_space_from": Date(),
    "quiet_windows": JSON(),
    "completed_at": DateTime(timezone=True),
    "owed": Numeric(18, 4),
}


def _candidates(after: str, limit: int, linked_only: bool, ids: Sequence[str] | None) -> Any:
    """One statement per batch: the accounts and every figure the rules read."""
    params: dict[str, Any] = {"yes": True, "limit": limit}
    if ids is not None:
        where = "a.account_id IN :ids"
        params["ids"] = list(ids)
    else:
        where = "a.account_id > :after"
        params["after"] = after
    if linked_only:
        where += f" AND {_LINKED}"
    statement = text(_SELECT.format(where=where)).columns(**_TYPES)
    if ids is not None:
        statement = statement.bindparams(bindparam("ids", expanding=True))
    return statement, params


def _aware(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; every time kept is UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def _contact(row: Any, *, reachable: bool) -> Candidate:
    contact = Contact(
        account_id=row.account_id,
        timezone=row.timezone,
        phone=row.phone,
        due_date=row.due_date,
        opted_out=bool(row.opted_out),
        collection_paused=bool(row.collection_paused),
        breathing_space=bool(row.breathing_space),
        breathing_space_until=row.breathing_space_until,
        breathing_space_from=row.breathing_space_from,
        unreachable=False if reachable else bool(row.unreachable),
        person_owns=row.owner is not None and row.owner != "bot",
        charges=int(row.charges or 0),
        undisputed=int(row.undisputed or 0),
        arrangement=bool(row.arrangement),
        quiet_windows=from_data(row.quiet_windows),
        completed_at=_aware(row.completed_at),
    )
    return Candidate(contact, row.conversation_id, Decimal(str(row.owed or 0)))


async def _history(
    session: AsyncSession, first: str, last: str, now: datetime
) -> dict[str, list[Any]]:
    """The batch's reminders that matter now: sent in R2's window, or of a recent cycle."""
    since = now - timedelta(days=HISTORY_DAYS)
    query = select(
        REMINDERS.c.account_id,
        REMINDERS.c.stage,
        REMINDERS.c.cycle,
        REMINDERS.c.status,
        REMINDERS.c.sent_at,
    ).where(
        REMINDERS.c.account_id >= first,
        REMINDERS.c.account_id <= last,
        or_(REMINDERS.c.sent_at >= since, REMINDERS.c.status != "sent"),
    )
    found: dict[str, list[Any]] = {}
    for row in await session.execute(query):
        found.setdefault(row.account_id, []).append(row)
    return found


def with_history(candidate: Candidate, rows: Iterable[Any]) -> Candidate:
    """The contact with what was sent (R2) and the stages this cycle already has."""
    contact = candidate.contact
    sent = tuple(_aware(r.sent_at) for r in rows if r.status == "sent" and r.sent_at is not None)
    stages = frozenset(r.stage for r in rows if r.cycle == contact.due_date and r.status in OPEN)
    held = frozenset(r.stage for r in rows if r.cycle == contact.due_date and r.status == "held")
    contact = replace(contact, sent=tuple(s for s in sent if s is not None), stages_queued=stages)
    return replace(candidate, contact=contact, held=held)


async def contacts(
    session: AsyncSession,
    now: datetime,
    *,
    after: str = "",
    limit: int = BATCH,
    linked_only: bool = True,
    reachable: bool = False,
    ids: Sequence[str] | None = None,
) -> list[Candidate]:
    """One batch of accounts after `after` (or the given ids), with their history."""
    statement, params = _candidates(after, limit, linked_only, ids)
    rows = list(await session.execute(statement, params))
    if not rows:
        return []
    found = [_contact(row, reachable=reachable) for row in rows]
    history = await _history(session, rows[0].account_id, rows[-1].account_id, now)
    return [with_history(c, history.get(c.contact.account_id, ())) for c in found]


async def queue(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> int:
    """Insert reminders; one already there (same account, stage, cycle) is left as it is."""
    if not rows:
        return 0
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(REMINDERS).on_conflict_do_nothing(
        index_elements=["account_id", "stage", "cycle"]
    )
    result = await session.execute(statement.returning(REMINDERS.c.id), list(rows))
    return len(result.all())


async def requeue_held(
    session: AsyncSession, account_id: str, stage: str, cycle: date, values: dict[str, Any]
) -> int:
    """A held reminder whose hold has lifted goes back in the queue (once: conditional)."""
    statement = (
        update(REMINDERS)
        .where(
            REMINDERS.c.account_id == account_id,
            REMINDERS.c.stage == stage,
            REMINDERS.c.cycle == cycle,
            REMINDERS.c.status == "held",
        )
        .values(**values)
    )
    result = await session.execute(statement)
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


# A claim left by a process that stopped mid-send is taken back after this long;
# the runtime's claim of the trigger key keeps a second send from happening.
STALE_CLAIM = timedelta(minutes=10)


async def claim_due(session: AsyncSession, now: datetime, limit: int) -> list[Any]:
    """Claim up to `limit` reminders whose moment has come: a conditional UPDATE, so
    of several processes exactly one gets each row, on SQLite and PostgreSQL alike."""
    due = (
        select(REMINDERS.c.id)
        .where(
            or_(
                and_(REMINDERS.c.status == "queued", REMINDERS.c.send_at <= now),
                and_(REMINDERS.c.status == "sending", REMINDERS.c.updated_at <= now - STALE_CLAIM),
            )
        )
        .order_by(REMINDERS.c.send_at)
        .limit(limit)
        .scalar_subquery()
    )
    statement = (
        update(REMINDERS)
        .where(REMINDERS.c.id.in_(due), REMINDERS.c.status.in_(("queued", "sending")))
        .where(or_(REMINDERS.c.status == "queued", REMINDERS.c.updated_at <= now - STALE_CLAIM))
        .values(status="sending", updated_at=now, attempts=REMINDERS.c.attempts + 1)
        .returning(
            REMINDERS.c.id,
            REMINDERS.c.account_id,
            REMINDERS.c.stage,
            REMINDERS.c.cycle,
            REMINDERS.c.conversation_id,
        )
    )
    return list(await session.execute(statement))


async def settle(session: AsyncSession, reminder_id: int, values: dict[str, Any]) -> None:
    """Record how one claimed reminder ended (sent, held, superseded, queued again)."""
    await session.execute(update(REMINDERS).where(REMINDERS.c.id == reminder_id).values(**values))
