"""`repaybot promises report`: how often arrangements are kept, and how often a broken
one is made good (issue 31 point 3), from the outcomes the follow-up job records
(bot/service/promise_followup.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.store.tables import PromiseOutcomeRow


@dataclass(frozen=True)
class PromiseFigures:
    kept: int = 0
    broken: int = 0
    followed_up: int = 0  # broken ones whose follow-up was sent
    recovered: int = 0
    recovered_after_follow_up: int = 0
    by_payment: int = 0
    by_new_arrangement: int = 0

    @property
    def kept_rate(self) -> float | None:
        judged = self.kept + self.broken
        return self.kept / judged if judged else None

    @property
    def recovery_rate(self) -> float | None:
        return self.recovered / self.broken if self.broken else None

    def lines(self) -> list[str]:
        """The report as an operator reads it."""
        return [
            f"Payments due under arrangements, decided: {self.kept + self.broken}",
            f"  kept:   {self.kept}",
            f"  broken: {self.broken} (followed up: {self.followed_up})",
            f"Promise-kept rate: {_percent(self.kept_rate)}",
            f"Broken, then recovered: {self.recovered} "
            f"(by payment {self.by_payment}, by a new arrangement {self.by_new_arrangement}; "
            f"after a follow-up {self.recovered_after_follow_up})",
            f"Broken-promise recovery rate: {_percent(self.recovery_rate)}",
        ]


def _percent(rate: float | None) -> str:
    return "n/a (none decided yet)" if rate is None else f"{rate:.1%}"


async def promise_figures(session: AsyncSession, *, since: date | None = None) -> PromiseFigures:
    """The figures over every checkpoint due on or after `since` (all when None)."""
    row = PromiseOutcomeRow
    sent = col(row.follow_up) == "sent"
    recovered = col(row.recovered_at).is_not(None)
    query = select(
        func.count().filter(col(row.outcome) == "kept"),
        func.count().filter(col(row.outcome) == "broken"),
        func.count().filter(col(row.outcome) == "broken", sent),
        func.count().filter(recovered),
        func.count().filter(recovered, sent),
        func.count().filter(col(row.recovered_by) == "payment"),
        func.count().filter(col(row.recovered_by) == "new_arrangement"),
    )
    if since is not None:
        query = query.where(col(row.due_on) >= since)
    counts = (await session.execute(query)).one()
    return PromiseFigures(*(int(n) for n in counts))
