"""Queries the services share; keyword-only, each in the caller's session."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Row, bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.accounts import (
    Account,
    Agreement,
    Charge,
    ChargeKind,
    breathing_space_on,
    effective_due_date,
)
from bot.domain.money import quantize
from bot.domain.quiet_windows import from_data
from bot.store.tables import AccountRow, ArrangementRow, ChargeRow, PaymentRow, table_of

# Every event reads these: built once (building a statement costs more than
# running it on SQLite), run with the account as a parameter. Core statements:
# the rows are only read here, so they need no ORM objects (identity map,
# instance state), and the runtime reads the account before it changes anything.
# The account and its charges in one statement: one row per charge (the account's
# columns repeated), or one row of NULL charge columns for an account without any.
_accounts = table_of(AccountRow)
_charges = table_of(ChargeRow)
_charge = _charges.c
_arrangement = table_of(ArrangementRow).c
_CHARGE_COLUMNS = ("charge_id", "kind", "description", "amount", "posted_on", "dispute_id")
_ARRANGEMENT_COLUMNS = (
    "id",
    "kind",
    "status",
    "amount",
    "installments",
    "new_due_date",
    "created_at",
)
_ACCOUNT_AND_CHARGES = (
    select(_accounts, *(_charge[name].label(f"charge_{name}") for name in _CHARGE_COLUMNS))
    .select_from(_accounts.outerjoin(_charges, _charge.account_id == _accounts.c.account_id))
    .where(_accounts.c.account_id == bindparam("account"))
    .order_by(_charge.posted_on, _charge.charge_id)
)
_payment = table_of(PaymentRow).c
_PAYMENTS = select(_payment.amount, _payment.paid_on, _payment.reflected).where(
    _payment.account_id == bindparam("account")
)
_ARRANGEMENTS = (
    select(*(_arrangement[name] for name in _ARRANGEMENT_COLUMNS))
    .where(_arrangement.account_id == bindparam("account"))
    .where(_arrangement.status.in_(("active", "review", "suspended")))
    .order_by(_arrangement.created_at.desc())
)


async def get_account(
    session: AsyncSession, *, account_id: str, now: datetime | None = None
) -> Account | None:
    """The account as the engine sees it, charges held by a dispute marked (R8).

    With `now`, a breathing space whose last day has passed (in the account's
    time zone) no longer pauses collection.
    """
    read = await read_account(session, account_id=account_id, now=now)
    return read[0] if read is not None else None


async def read_account(
    session: AsyncSession, *, account_id: str, now: datetime | None = None
) -> tuple[Account, Row[Any]] | None:
    """The account as `get_account` gives it, and its row as stored (the counters and
    flags the runtime keeps on it). Read from the database, not the session's
    objects: an account changed through the ORM in this transaction must be
    flushed before this is called."""
    rows = (await session.execute(_ACCOUNT_AND_CHARGES, {"account": account_id})).all()
    if not rows:
        return None
    row = rows[0]
    today = None if now is None else now.astimezone(ZoneInfo(row.timezone)).date()
    charges = [c for c in rows if c.charge_charge_id is not None]
    arrangements = await _arrangements(session, account_id)
    payments = (await session.execute(_PAYMENTS, {"account": account_id})).all()
    agreement = _active_agreement(arrangements, row.currency, payments)
    due = effective_due_date(row.due_date, agreement)
    account = Account(
        account_id=row.account_id,
        borrower_name=row.borrower_name,
        phone=row.phone,
        birth_date=row.birth_date,
        locale=row.locale,
        timezone=row.timezone,
        currency=row.currency,
        due_date=due,
        lender_due_date=row.due_date if due != row.due_date else None,
        charges=tuple(
            Charge(
                charge_id=c.charge_charge_id,
                kind=ChargeKind(c.charge_kind),
                description=c.charge_description,
                amount=quantize(c.charge_amount, row.currency),
                posted_on=c.charge_posted_on,
            )
            for c in charges
        ),
        disputed_charge_ids=frozenset(c.charge_charge_id for c in charges if c.charge_dispute_id),
        extensions_used=row.extensions_used,
        collection_paused=row.collection_paused,
        breathing_space=breathing_space_on(
            row.breathing_space, row.breathing_space_until, today, row.breathing_space_from
        ),
        breathing_space_until=row.breathing_space_until if row.breathing_space else None,
        agreement=agreement,
        in_review=_in_review(arrangements),
        opted_out=row.opted_out,
        quiet_windows=from_data(row.quiet_windows),
        suspended=next((a.id for a in arrangements if a.status == "suspended"), None),
        paid=quantize(
            sum((p.amount for p in payments if not p.reflected), Decimal(0)), row.currency
        ),
    )
    return account, row


async def _arrangements(session: AsyncSession, account_id: str) -> Sequence[Row[Any]]:
    """The account's active arrangement and any under review, in one query (every event
    reads both): effects keep at most one active (issue 7 point 1)."""
    return (await session.execute(_ARRANGEMENTS, {"account": account_id})).all()


def _in_review(arrangements: Sequence[Row[Any]]) -> str | None:
    """An arrangement the lender's new figures contradict, waiting for a person."""
    return next((a.id for a in arrangements if a.status == "review"), None)


def _active_agreement(
    arrangements: Sequence[Row[Any]], currency: str, payments: Sequence[Any]
) -> Agreement | None:
    """The active arrangement, with what was paid since the day it was agreed (R7: the
    same payments `payments import` settles it by)."""
    found = next((a for a in arrangements if a.status == "active"), None)
    if found is None:
        return None
    since = found.created_at.date()
    paid = sum((p.amount for p in payments if p.paid_on >= since), Decimal(0))
    return Agreement(
        reference=found.id,
        kind=found.kind,
        amount=quantize(found.amount, currency),
        installments=tuple(
            (date.fromisoformat(i["due_date"]), quantize(Decimal(i["amount"]), currency))
            for i in found.installments
        ),
        new_due_date=found.new_due_date,
        paid=quantize(paid, currency),
    )


async def write_account(session: AsyncSession, account_id: str, **values: object) -> None:
    """Write columns of the account (flags, counters, the chosen language) with a Core
    UPDATE: whoever read it, the account is never changed through an ORM object here."""
    await session.execute(
        update(_accounts).where(_accounts.c.account_id == account_id).values(**values)
    )
