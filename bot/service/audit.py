"""The audit of what people do in the console and through the API.

Who, what, on what, when, and the state before and after, for a supervisor to
read. Never a password or a token; a reply's text stays in the transcript, the
audit says only that one was sent.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.store.tables import AuditRow


def record(
    session: AsyncSession,
    *,
    actor: str,
    action: str,
    now: datetime,
    target: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    address: str = "",
) -> None:
    """Add an audit line to the caller's transaction."""
    session.add(
        AuditRow(
            actor=actor[:64],
            action=action[:32],
            target=target[:96],
            before=before,
            after=after,
            address=address[:64],
            created_at=now,
        )
    )


async def recent(
    session: AsyncSession, *, limit: int = 200, actor: str | None = None
) -> list[AuditRow]:
    query = select(AuditRow).order_by(col(AuditRow.id).desc()).limit(limit)
    if actor:
        query = query.where(col(AuditRow.actor) == actor)
    return list((await session.execute(query)).scalars())
