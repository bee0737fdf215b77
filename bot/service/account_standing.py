"""Breathing space set and lifted by an operator, recorded with who and when (issue 16 point 2).

The engine's pause guard reads the account's `breathing_space` flag (R16);
`get_account` turns it on and off by itself on the start and end dates. The
lender's file sets and lifts it too (bot/store/bulk_import.py, actor "import").
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.tables import AccountEventRow, AccountRow


class PauseInPast(ValueError):
    """A breathing space whose last day has gone: it would pause nothing, and the
    record would say an operator paused collection when nothing was paused (R16)."""


async def set_breathing_space(
    session: AsyncSession, *, account_id: str, until: date | None, actor: str, now: datetime
) -> None:
    """Pause collection for a breathing space ending on `until` (None: until lifted).

    Raises PauseInPast when `until` is before `now`'s day: refused, nothing written."""
    if until is not None and until < now.date():
        raise PauseInPast(until.isoformat())
    row = await _account(session, account_id)
    row.breathing_space = True
    row.breathing_space_until = until
    row.breathing_space_from = None
    row.updated_at = now
    session.add(
        AccountEventRow(
            account_id=account_id,
            kind="breathing_space_set",
            until=until,
            actor=actor,
            created_at=now,
        )
    )


async def lift_breathing_space(
    session: AsyncSession, *, account_id: str, actor: str, now: datetime
) -> bool:
    """End the breathing space; False when there was none (nothing is recorded then)."""
    row = await _account(session, account_id)
    if not row.breathing_space:
        return False
    row.breathing_space = False
    row.breathing_space_until = None
    row.breathing_space_from = None
    row.updated_at = now
    session.add(
        AccountEventRow(
            account_id=account_id, kind="breathing_space_lifted", actor=actor, created_at=now
        )
    )
    return True


async def _account(session: AsyncSession, account_id: str) -> AccountRow:
    row = await session.get(AccountRow, account_id)
    if row is None:
        raise LookupError(account_id)
    return row
