"""The reminders' statements: set-based, streamed in batches, never one ORM load per account.

`contacts` reads a batch of accounts with everything the contact rules need in
one statement (the linked chat, the owner, counts of charges, an active
arrangement, the last completed conversation) and one more for the batch's
reminders. Batches follow the primary key (keyset), so memory stays flat
however large the portfolio.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
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


# Every figure for a range of accounts in one statement: each table is read once
# over the range (grouped joins), not once per account (correlated subqueries).
_SELECT = """
SELECT a.account_id, a.timezone, a.phone, a.due_date, a.opted_out, a.collection_paused,
  a.breathing_space, a.breathing_space_until, a.breathing_space_from, a.unreachable,
  a.quiet_windows, x.conversation_id, v.owner, g.charges, g.undisputed, g.owed,
  r.account_id IS NOT NULL AS arrangement, d.completed_at
FROM accounts a
LEFT JOIN (
  SELECT c.account_id, max(c.id) AS conversation_id FROM conversations c
    JOIN channel_links l ON l.channel = c.channel AND l.user_key = c.user_key
     AND l.account_id = c.account_id
  WHERE {c} GROUP BY c.account_id
) x ON x.account_id = a.account_id
LEFT JOIN (
  SELECT g.account_id, count(*) AS charges,
    sum(CASE WHEN g.dispute_id IS NULL THEN 1 ELSE 0 END) AS undisputed,
    sum(CASE WHEN g.dispute_id IS NULL THEN g.amount ELSE 0 END) AS owed
  FROM charges g WHERE {g} GROUP BY g.account_id
) g ON g.account_id = a.account_id
LEFT JOIN (
  SELECT DISTINCT r.account_id FROM arrangements r WHERE {r} AND r.status = 'active'
) r ON r.account_id = a.account_id
LEFT JOIN (
  SELECT d.account_id, max(d.updated_at) AS completed_at FROM conversations d
  WHERE {d} AND d.ended = :yes GROUP BY d.account_id
) d ON d.account_id = a.account_id
LEFT JOIN conversations v ON v.id = x.conversation_id
WHERE {a}{linked}
ORDER BY a.account_id
"""
# The batch's last key: the range the statement above reads.
_LAST = """
SELECT max(account_id) FROM (
  SELECT account_id FROM accounts WHERE account_id > :after ORDER BY account_id LIMIT :limit
) batch
"""
_TYPES: dict[str, TypeEngine[Any]] = {
    "due_date": Date(),
    "breathing_space_until": Date(),
    "breathing_space_from": Date(),
    "quiet_windows": JSON(),
    "completed_at": DateTime(timezone=True),
    "owed": Numeric(18, 4),
}


def _candidates(last: str | None, linked_only: bool, ids: Sequence[str] | None) -> Any:
    """The statement for accounts (after, last] or the given ids."""
    if ids is not None:
        where = {alias: f"{alias}.account_id IN :ids" for alias in "acgrd"}
    else:
        where = {
            alias: f"{alias}.account_id > :after AND {alias}.account_id <= :last"
            for alias in "acgrd"
        }
    linked = " AND x.conversation_id IS NOT NULL" if linked_only else ""
    statement = text(_SELECT.format(linked=linked, **where)).columns(**_TYPES)
    if ids is not None:
        statement = statement.bindparams(bindparam("ids", expanding=True))
    return statement


def _aware(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; every time kept is UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def _contact(row: Any, history: Sequence[Any], *, reachable: bool) -> Candidate:
    """The account's facts and its reminders: what was sent (R2), what this cycle has."""
    (
        account_id,
        timezone,
        phone,
        due,
        opted_out,
        paused,
        breathing,
        until,
        since,
        unreachable,
        quiet,
        conversation_id,
        owner,
        charges,
        undisputed,
        owed,
        arrangement,
        completed_at,
    ) = row  # fmt: skip  (by position: a million rows, read quickly)
    sent: tuple[datetime, ...] = ()
    stages: frozenset[str] = frozenset()
    held: frozenset[str] = frozenset()
    if history:
        sent = tuple(_aware(r.sent_at) for r in history if r.status == "sent" and r.sent_at)  # type: ignore[misc]
        stages = frozenset(r.stage for r in history if r.cycle == due and r.status in OPEN)
        held = frozenset(r.stage for r in history if r.cycle == due and r.status == "held")
    contact = Contact(
        account_id,
        timezone,
        phone,
        due,
        bool(opted_out),
        bool(paused),
        bool(breathing),
        until,
        since,
        False if reachable else bool(unreachable),
        owner is not None and owner != "bot",
        int(charges or 0),
        int(undisputed or 0),
        bool(arrangement),
        from_data(quiet) if quiet else (),
        sent,
        _aware(completed_at),
        stages,
    )
    return Candidate(contact, conversation_id, owed if owed is not None else _ZERO, held)


_ZERO = Decimal(0)


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
    """The given ids, or one batch of accounts after `after`, with their history."""
    found, _ = await contacts_after(
        session,
        now,
        after=after,
        limit=limit,
        linked_only=linked_only,
        reachable=reachable,
        ids=ids,
    )
    return found


async def contacts_after(
    session: AsyncSession,
    now: datetime,
    *,
    after: str = "",
    limit: int = BATCH,
    linked_only: bool = True,
    reachable: bool = False,
    ids: Sequence[str] | None = None,
) -> tuple[list[Candidate], str | None]:
    """A batch and the last key it covered (None: the portfolio is done). A batch may
    hold fewer than `limit` accounts (those not linked are left out) and go on."""
    if session.get_bind().dialect.name == "postgresql":
        # Compiling these short statements costs more than it saves.
        await session.execute(text("SET LOCAL jit = off"))
    params: dict[str, Any] = {"yes": True}
    last: str | None = None
    if ids is None:
        last = (await session.execute(text(_LAST), {"after": after, "limit": limit})).scalar()
        if last is None:
            return [], None
        params |= {"after": after, "last": last}
    else:
        params["ids"] = list(ids)
    rows = list(await session.execute(_candidates(last, linked_only, ids), params))
    if not rows:
        return [], last
    history = await _history(session, rows[0].account_id, rows[-1].account_id, now)
    found = [_contact(row, history.get(row.account_id, ()), reachable=reachable) for row in rows]
    return found, last


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
