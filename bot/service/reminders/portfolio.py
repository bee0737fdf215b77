"""Reading the portfolio for the planner: a key range of accounts at a time.

Each table is read once over the range by a plain range scan (accounts, their
linked chats, charges, arrangements, conversations that ended, reminders) and
the figures are put together here, per account. One statement joining them all
looked neater, but PostgreSQL misjudged its row counts and re-read the grouped
tables once per account; separate range scans keep every read linear, on SQLite
and PostgreSQL alike, and memory flat: a batch at a time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.contact_rules import Contact
from bot.domain.quiet_windows import from_data
from bot.service.reminders.collector import collector_held
from bot.service.reminders.store import (
    ACCOUNTS,
    ARRANGEMENTS,
    BATCH,
    CHARGES,
    CONVERSATIONS,
    ESCALATIONS,
    HISTORY_DAYS,
    LINKS,
    OPEN,
    REMINDERS,
)

_ZERO = Decimal(0)


@dataclass(frozen=True)
class Candidate:
    """An account the planner may remind: its facts and its linked chat."""

    contact: Contact
    conversation_id: int | None
    owed: Decimal  # undisputed charges (R8), for the simulator's payments
    held: frozenset[str] = frozenset()  # this cycle's stages held at send time


def _aware(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; every time kept is UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def _in(column: Any, after: str, last: str | None, ids: Sequence[str] | None) -> Any:
    if ids is not None:
        return column.in_(list(ids))
    return and_(column > after, column <= last)


async def _read(session: AsyncSession, query: Any) -> Sequence[Any]:
    # all(): one fetch of the whole result, not a driver call per row.
    return (await session.execute(query)).all()


_ACCOUNT_FACTS = (
    ACCOUNTS.c.account_id,
    ACCOUNTS.c.timezone,
    ACCOUNTS.c.phone,
    ACCOUNTS.c.due_date,
    ACCOUNTS.c.opted_out,
    ACCOUNTS.c.collection_paused,
    ACCOUNTS.c.breathing_space,
    ACCOUNTS.c.breathing_space_until,
    ACCOUNTS.c.breathing_space_from,
    ACCOUNTS.c.unreachable,
    ACCOUNTS.c.quiet_windows,
)


async def contacts_after(
    session: AsyncSession,
    now: datetime,
    *,
    after: str = "",
    limit: int = BATCH,
    linked_only: bool = True,
    reachable: bool = False,
    ids: Sequence[str] | None = None,
) -> tuple[list[Candidate], str | None, int]:
    """A batch, the last key it covered (None: the portfolio is done) and the number of
    accounts it looked at. A batch may hold fewer than `limit` accounts (those not
    linked are left out) and go on."""
    query = select(*_ACCOUNT_FACTS).order_by(ACCOUNTS.c.account_id)
    if ids is None:
        query = query.where(ACCOUNTS.c.account_id > after).limit(limit)
    else:
        query = query.where(ACCOUNTS.c.account_id.in_(list(ids)))
    accounts = await _read(session, query)
    if not accounts:
        return [], None, 0
    last = accounts[-1][0] if ids is None else None
    chats = await _linked_chats(session, after, last, ids)
    if linked_only and not chats:
        return [], last, len(accounts)
    undisputed = CHARGES.c.dispute_id.is_(None)
    charges = {
        row[0]: row[1:]
        for row in await _read(
            session,
            select(
                CHARGES.c.account_id,
                func.count(),
                func.sum(case((undisputed, 1), else_=0)),
                func.sum(case((undisputed, CHARGES.c.amount), else_=0)),
            )
            .where(_in(CHARGES.c.account_id, after, last, ids))
            .group_by(CHARGES.c.account_id),
        )
    }
    arranged = {
        row[0]
        for row in await _read(
            session,
            select(ARRANGEMENTS.c.account_id).where(
                _in(ARRANGEMENTS.c.account_id, after, last, ids), ARRANGEMENTS.c.status == "active"
            ),
        )
    }
    # A borrower who asked for a person waits for one: no reminder meanwhile, as when
    # a person has taken the chat (an open or taken case; closed ones do not count).
    waiting = {
        row[0]
        for row in await _read(
            session,
            select(ESCALATIONS.c.account_id).where(
                _in(ESCALATIONS.c.account_id, after, last, ids), ESCALATIONS.c.status != "closed"
            ),
        )
    }
    completed = {
        row[0]: row[1]
        for row in await _read(
            session,
            select(CONVERSATIONS.c.account_id, func.max(CONVERSATIONS.c.updated_at))
            .where(
                _in(CONVERSATIONS.c.account_id, after, last, ids), CONVERSATIONS.c.ended.is_(True)
            )
            .group_by(CONVERSATIONS.c.account_id),
        )
    }
    history = await _history(session, now, after, last, ids)
    found = []
    with collector_held():
        for row in accounts:
            chat = chats.get(row[0])
            if linked_only and chat is None:
                continue
            found.append(
                _contact(
                    row,
                    chat,
                    row[0] in waiting,
                    charges.get(row[0]),
                    row[0] in arranged,
                    _aware(completed.get(row[0])),
                    history.get(row[0], ()),
                    reachable=reachable,
                )
            )
    return found, last, len(accounts)


async def count_accounts(session: AsyncSession) -> int:
    """How many accounts a walk of the portfolio looks at: a progress bar's total."""
    return int((await session.execute(select(func.count()).select_from(ACCOUNTS))).scalar_one())


async def _linked_chats(
    session: AsyncSession, after: str, last: str | None, ids: Sequence[str] | None
) -> dict[str, tuple[int, str]]:
    """Each account's newest chat linked to it: (conversation id, owner)."""
    linked = select(CONVERSATIONS.c.account_id, CONVERSATIONS.c.id, CONVERSATIONS.c.owner).join(
        LINKS,
        and_(
            LINKS.c.channel == CONVERSATIONS.c.channel,
            LINKS.c.user_key == CONVERSATIONS.c.user_key,
            LINKS.c.account_id == CONVERSATIONS.c.account_id,
        ),
    )
    # The key range on both tables: PostgreSQL does not carry a range across the join's
    # equality, and without it read every link of the portfolio for every batch.
    linked = linked.where(
        _in(CONVERSATIONS.c.account_id, after, last, ids), _in(LINKS.c.account_id, after, last, ids)
    )
    chats: dict[str, tuple[int, str]] = {}
    for account_id, conversation_id, owner in await _read(session, linked):
        if account_id not in chats or conversation_id > chats[account_id][0]:
            chats[account_id] = (conversation_id, owner)
    return chats


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
    found, _, _ = await contacts_after(
        session,
        now,
        after=after,
        limit=limit,
        linked_only=linked_only,
        reachable=reachable,
        ids=ids,
    )
    return found


async def _history(
    session: AsyncSession, now: datetime, after: str, last: str | None, ids: Sequence[str] | None
) -> dict[str, list[Any]]:
    """The range's reminders that matter now: sent in R2's window, or not sent yet."""
    since = now - timedelta(days=HISTORY_DAYS)
    query = select(
        REMINDERS.c.account_id,
        REMINDERS.c.stage,
        REMINDERS.c.cycle,
        REMINDERS.c.status,
        REMINDERS.c.sent_at,
    ).where(
        _in(REMINDERS.c.account_id, after, last, ids),
        or_(REMINDERS.c.sent_at >= since, REMINDERS.c.status != "sent"),
    )
    found: dict[str, list[Any]] = {}
    for row in await _read(session, query):
        found.setdefault(row[0], []).append(row)
    return found


def _contact(
    row: Any,
    chat: tuple[int, str] | None,
    waiting_for_person: bool,
    charges: Sequence[Any] | None,
    arrangement: bool,
    completed_at: datetime | None,
    history: Sequence[Any],
    *,
    reachable: bool,
) -> Candidate:
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
    ) = row  # by position: a million rows, read quickly
    count, undisputed, owed = charges if charges is not None else (0, 0, _ZERO)
    sent: tuple[datetime, ...] = ()
    stages: frozenset[str] = frozenset()
    held: frozenset[str] = frozenset()
    if history:  # (account, stage, cycle, status, sent_at) rows
        sent = tuple(_aware(r[4]) for r in history if r[3] == "sent" and r[4])  # type: ignore[misc]
        stages = frozenset(r[1] for r in history if r[2] == due and r[3] in OPEN)
        held = frozenset(r[1] for r in history if r[2] == due and r[3] == "held")
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
        waiting_for_person or (chat is not None and chat[1] != "bot"),
        int(count or 0),
        int(undisputed or 0),
        arrangement,
        from_data(quiet) if quiet else (),
        sent,
        completed_at,
        stages,
    )
    owed_value = (
        owed if isinstance(owed, Decimal) else _ZERO if owed is None else Decimal(str(owed))
    )
    return Candidate(contact, chat[0] if chat else None, owed_value, held)
