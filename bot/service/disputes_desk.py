"""A person's decision on a dispute from the console (issue 29 point 4, R8).

Upheld: the charges were right, the hold is lifted and they may be asked for
again. Waived: the charges are written off; they stay tied to the dispute, so
nothing ever asks for them again. Either way the dispute is closed once (a second
decision finds it closed and changes nothing), and an arrangement the dispute
suspended runs again.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.store.tables import ArrangementRow, ChargeRow, DisputeRow

UPHELD, WAIVED = "upheld", "waived"
DECISIONS = (UPHELD, WAIVED)


async def resolve(
    session: AsyncSession, account_id: str, dispute_id: str, decision: str
) -> DisputeRow | None:
    """Close an open dispute of the account with `decision`; None when there is no
    such open dispute (unknown, another account's, or decided already)."""
    if decision not in DECISIONS:
        raise ValueError(f"decision must be one of {DECISIONS}")
    closed = await session.execute(
        update(DisputeRow)
        .where(col(DisputeRow.id) == dispute_id)
        .where(col(DisputeRow.account_id) == account_id)
        .where(col(DisputeRow.status) == "open")
        .values(status=decision)
        .execution_options(synchronize_session=False)
    )
    if not int(getattr(closed, "rowcount", 0) or 0):
        return None
    if decision == UPHELD:
        await session.execute(
            update(ChargeRow)
            .where(col(ChargeRow.account_id) == account_id)
            .where(col(ChargeRow.dispute_id) == dispute_id)
            .values(dispute_id=None)
            .execution_options(synchronize_session=False)
        )
    await resume_suspended(session, account_id)
    return await session.get(DisputeRow, dispute_id, populate_existing=True)


async def resume_suspended(session: AsyncSession, account_id: str) -> int:
    """The account's arrangement that a dispute suspended runs again once the dispute
    is decided (its status back to active); returns how many were resumed.

    An account with another dispute still open keeps its arrangement suspended, and
    one that agreed a new arrangement since keeps that one alone (never two active)."""
    still_open = await session.scalar(
        select(col(DisputeRow.id))
        .where(col(DisputeRow.account_id) == account_id)
        .where(col(DisputeRow.status) == "open")
        .limit(1)
    )
    active = await session.scalar(
        select(col(ArrangementRow.id))
        .where(col(ArrangementRow.account_id) == account_id)
        .where(col(ArrangementRow.status) == "active")
        .limit(1)
    )
    if still_open is not None or active is not None:
        return 0
    resumed = await session.execute(
        update(ArrangementRow)
        .where(col(ArrangementRow.account_id) == account_id)
        .where(col(ArrangementRow.status) == "suspended")
        .values(status="active")
        .execution_options(synchronize_session=False)
    )
    return int(getattr(resumed, "rowcount", 0) or 0)
