"""The queue's order, kept on each escalation (issue 29 point 7).

The console lists open cases crisis first, then complaints and verification locks,
then by days past due × what may be collected, the oldest first among equals.
Working that product out for every open case on every request cost some 100 ms at
10,000 cases, and no index could give the first page. So each case not closed keeps
its key (`rank_group`, `amount_due`, `due_date`, `weight`), and the
partial index `ix_escalations_worklist` follows the ORDER BY: a page is its first
rows.

The key is kept current by `reweigh`, one function for every writer:
- a case opened, or a dispute recorded (bot/service/effects.py, recovery.py);
- a person's decision on a dispute (bot/service/agent_actions.py);
- the lender's payments file (bot/service/payments.py) and account file
  (bot/service/accounts_import.py), which change charges, payments and due dates;
- the passing of days: days past due grow at each account's midnight, so each case
  keeps when its account's next day begins (`reweigh_at`), and the desk's clock
  (every minute, bot/service/desk_timers.py) weighs again the cases whose moment has
  come, found through the partial index `ix_escalations_reweigh` (a minute with no
  new day reads no case).

So the order is the issue's product itself, exact to within a minute of each
account's midnight, never an approximation of it.

A closed case is out of the queue and out of both indexes, but the CRM API lists
closed cases with what was owed: so it keeps the key weighed at its close (a
person's close weighs the account's cases first, bot/service/agent_actions.py), and
no `reweigh_at`, since nothing weighs it again; its days past due are counted at
its close too (bot/service/desk.py). Migration 0018 clears the clock of cases
closed before.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func, literal_column, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col

from bot.domain.accounts import local_date_in
from bot.service import escalations
from bot.service.lookups import Lookup
from bot.store.db import as_utc
from bot.store.tables import AccountRow, ChargeRow, EscalationRow, PaymentRow

# A case not closed, written as the partial index's own condition: a bound
# parameter would keep SQLite and PostgreSQL's generic plans from using it.
NOT_CLOSED = col(EscalationRow.status) != literal_column("'closed'")
CENTS = Decimal("0.0001")  # the columns' scale: a value read back compares equal
CHUNK = 1_000  # account ids per IN list


def _collectable(owner: Any = EscalationRow) -> Any:
    """What may be asked of the account (R7, R8) of each row of `owner` (a case, or an
    account about to have one): its undisputed charges less the payments its charges
    do not reflect yet; never below zero (in Python)."""
    account = col(owner.account_id)
    charges = (
        select(func.coalesce(func.sum(col(ChargeRow.amount)), 0))
        .where(col(ChargeRow.account_id) == account)
        .where(col(ChargeRow.dispute_id).is_(None))
        .correlate(owner)
        .scalar_subquery()
    )
    paid = (
        select(func.coalesce(func.sum(col(PaymentRow.amount)), 0))
        .where(col(PaymentRow.account_id) == account)
        .where(col(PaymentRow.reflected).is_(False))
        .correlate(owner)
        .scalar_subquery()
    )
    return charges, paid


def _cases() -> Any:
    charges, paid = _collectable()
    return (
        select(
            col(EscalationRow.id),
            col(EscalationRow.reason),
            col(EscalationRow.priority),
            col(EscalationRow.rank_group),
            col(EscalationRow.amount_due),
            col(EscalationRow.due_date),
            col(EscalationRow.weight),
            col(EscalationRow.reweigh_at),
            col(AccountRow.timezone),
            col(AccountRow.due_date).label("lender_due"),
            charges.label("charges"),
            paid.label("paid"),
        )
        .outerjoin(AccountRow, col(AccountRow.account_id) == col(EscalationRow.account_id))
        .where(NOT_CLOSED)
    )


def local_today(zone: str | None, now: datetime) -> date:
    """The account's date at `now`; UTC's for an account with no (or no known) zone."""
    try:
        return local_date_in(zone or "UTC", now)
    except (ZoneInfoNotFoundError, ValueError):
        return local_date_in("UTC", now)


def next_day(zone: str | None, today: date) -> datetime:
    """When the day after `today` begins where the account is, in UTC."""
    try:
        where: tzinfo = ZoneInfo(zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        where = UTC
    return datetime.combine(today + timedelta(days=1), time(0), tzinfo=where).astimezone(UTC)


def key_of(row: Any, now: datetime) -> dict[str, Any]:
    """The worklist's key of one case as its account stands at `now`."""
    return {
        "key_id": row.id,
        "key_rank": escalations.rank_of(row.reason, row.priority),
        **_weighed(row, now),
    }


def _weighed(
    row: Any, now: datetime, days: dict[str | None, tuple[date, datetime]] | None = None
) -> dict[str, Any]:
    """The key's part that comes from the account (`timezone`, `lender_due`,
    `charges`, `paid`), whatever its case. `days` keeps each zone's date and next
    midnight for a batch of accounts at one `now` (a zone's, not an account's)."""
    amount = max(Decimal(0), Decimal(str(row.charges or 0)) - Decimal(str(row.paid or 0)))
    days = {} if days is None else days
    if row.timezone not in days:
        today = local_today(row.timezone, now)
        days[row.timezone] = today, next_day(row.timezone, today)
    today, again = days[row.timezone]
    due: date | None = row.lender_due
    late = max(0, (today - due).days) if due is not None else 0
    return {
        "key_amount": amount.quantize(CENTS),
        "key_due": due,
        "key_weight": (amount * late).quantize(CENTS),
        "key_again": again,
    }


def key_columns(key: dict[str, Any]) -> dict[str, Any]:
    """The columns a key (as `key_of` gives it, `key_id` aside) is kept in: for a
    case inserted already weighed."""
    return {
        "rank_group": key["key_rank"],
        "amount_due": key["key_amount"],
        "due_date": key["key_due"],
        "weight": key["key_weight"],
        "reweigh_at": key["key_again"],
    }


# What `_weighed` reads of an account about to have a case: `_cases`' figures, by account.
_ACCOUNT_FIGURES = Lookup(
    select(
        col(AccountRow.account_id),
        col(AccountRow.timezone),
        col(AccountRow.due_date).label("lender_due"),
        *(
            f.label(name)
            for f, name in zip(_collectable(AccountRow), ("charges", "paid"), strict=True)
        ),
    ),
    col(AccountRow.account_id),
)
_NO_ACCOUNT = SimpleNamespace(timezone=None, lender_due=None, charges=0, paid=0)


async def opening_keys(
    session: AsyncSession, now: datetime, account_ids: Sequence[str]
) -> dict[str, dict[str, Any]]:
    """The key (without `key_id` and `key_rank`, which come with the case) of a case
    about to be opened on each account, read in the caller's transaction just before
    the insert as `reweigh` would read it just after: the same figures, so a batch of
    cases goes in weighed. Weighing them once inserted rewrote every new row (an UPDATE
    of indexed columns, through each of the table's eight indexes) after a lookup by
    case that PostgreSQL ran as a merge join over the whole accounts index: at
    1,000,000 accounts, 88 s of a 184 s plan (docs/performance.md)."""
    found = {row.account_id: row for row in await _ACCOUNT_FIGURES(session, account_ids)}
    days: dict[str | None, tuple[date, datetime]] = {}
    return {
        account: _weighed(found.get(account, _NO_ACCOUNT), now, days) for account in account_ids
    }


def _stored(row: Any) -> dict[str, Any]:
    def money(value: Any) -> Decimal:
        return Decimal(str(value or 0)).quantize(CENTS)

    return {
        "key_id": row.id,
        "key_rank": row.rank_group,
        "key_amount": money(row.amount_due),
        "key_due": row.due_date,
        "key_weight": money(row.weight),
        "key_again": as_utc(row.reweigh_at) if row.reweigh_at else None,
    }


async def reweigh(
    session: AsyncSession,
    now: datetime,
    account_ids: Collection[str] | None = None,
    *,
    case_ids: Collection[int] | None = None,
) -> int:
    """Count the key of every case not closed again (of `account_ids`, of `case_ids`,
    or all of them when neither is given) and write those that changed; returns how
    many. In the caller's transaction, after its own writes."""
    if account_ids is not None or case_ids is not None:
        wanted: list[tuple[Any, list[Any]]] = [
            (col(EscalationRow.account_id), sorted(account_ids or ())),
            (col(EscalationRow.id), sorted(case_ids or ())),
        ]
        queries = [
            _cases().where(column.in_(ids[start : start + CHUNK]))
            for column, ids in wanted
            for start in range(0, len(ids), CHUNK)
        ]
    else:
        queries = [_cases()]
    changed = []
    for query in queries:
        for row in (await session.execute(query)).all():
            key = key_of(row, now)
            if key != _stored(row):
                changed.append(key)
    await escalations.set_worklist_keys(session, changed)
    return len(changed)


async def reweigh_new_days(sessions: async_sessionmaker[AsyncSession], now: datetime) -> int:
    """The clock's part: the cases whose account has begun a new day since they were
    weighed (days past due grew by one) weighed again. The index gives them alone:
    a minute in which no account's day begins reads nothing."""
    async with sessions() as session, session.begin():
        due = await session.execute(
            select(col(EscalationRow.id))
            .where(NOT_CLOSED)
            .where(col(EscalationRow.reweigh_at) <= now)
        )
        reached: list[Any] = list(due.scalars())
        if not reached:
            return 0
        return await reweigh(session, now, case_ids=reached)
