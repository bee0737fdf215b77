"""`repaybot reminders plan`: what is due now (or at a given moment), for whom, and why;
what is held back and by which rule. It only reads."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.cadence import RemindersPolicy
from bot.domain.contact_hours import zones_for
from bot.domain.contact_rules import send_check
from bot.domain.planning import Planning
from bot.service.progress import Progress, silent
from bot.service.reminders.planner import PlanReport, batches
from bot.service.reminders.portfolio import contacts
from bot.service.reminders.store import REMINDERS

# What each reason means, for a person reading the plan.
REASONS = {
    "R1": "outside the allowed hours in the borrower's time zone",
    "R2": "contact limit: one a day, the week's count, or soon after a conversation",
    "R3": "the borrower opted out (STOP)",
    "R4": "the borrower's own quiet window",
    "R8": "every charge is disputed",
    "R12": "collection paused after a crisis",
    "R16": "breathing space",
    "person": "a person owns the conversation, or the stage is theirs",
    "unreachable": "the chat cannot be reached",
    "arrangement": "a plan or promise is running",
    "nothing_owed": "nothing is owed",
    "superseded": "a later stage took its place",
}


@dataclass(frozen=True)
class PlanLine:
    account_id: str
    stage: str
    status: str  # due, later, held, new
    send_at: datetime | None
    timezone: str
    rule: str | None

    def text(self) -> str:
        when = self.send_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if self.send_at else "-"
        local = ""
        zones = zones_for(self.timezone, "")
        if self.send_at is not None and zones:
            local = f" ({self.send_at.astimezone(zones[0]):%H:%M} {self.timezone})"
        why = f"  {self.rule}: {REASONS.get(self.rule, self.rule)}" if self.rule else ""
        return f"{self.status:<6} {self.account_id:<16} {self.stage:<10} {when}{local}{why}"


async def preview(
    sessions: async_sessionmaker[AsyncSession],
    rules: RemindersPolicy,
    at: datetime,
    progress: Progress = silent,
    load: PlanReport | None = None,
) -> AsyncIterator[PlanLine]:
    """Queued reminders (due at `at` or later) and what the planner would queue or hold.
    `load` adds up what is to be sent per borrower's day, as the planner does, so the
    caller can say when a day's reminders need more than the sending rate."""
    planning = Planning(rules.stages, at, rules.contact)
    async for batch in batches(sessions, at, progress=progress):
        ids = [c.contact.account_id for c in batch]
        async with sessions() as session:
            query = select(
                REMINDERS.c.account_id,
                REMINDERS.c.stage,
                REMINDERS.c.cycle,
                REMINDERS.c.send_at,
                REMINDERS.c.status,
                REMINDERS.c.reason,
            ).where(REMINDERS.c.account_id.in_(ids), REMINDERS.c.status.in_(("queued", "held")))
            waiting = list(await session.execute(query))
        by_account = {c.contact.account_id: c for c in batch}
        for row in waiting:
            candidate = by_account[row.account_id]
            send_at = _aware(row.send_at)
            if row.status == "held":
                yield PlanLine(
                    row.account_id, row.stage, "held", None, candidate.contact.timezone, row.reason
                )
                continue
            contact = candidate.contact
            why = send_check(contact, rules.stages, row.stage, row.cycle, at, rules.contact)
            due = send_at is not None and send_at <= at and why is None
            status = (
                "due" if due else ("held" if send_at is not None and send_at <= at else "later")
            )
            if load is not None and send_at is not None and status != "held":
                load.load[planning.window(contact, send_at)] += 1
            yield PlanLine(
                row.account_id, row.stage, status, send_at, contact.timezone, why or row.reason
            )
        for candidate in batch:
            decision = planning.decide(candidate.contact)
            if decision.stage is None:
                continue
            status = "held" if decision.send_at is None else "new"
            if load is not None and decision.send_at is not None:
                load.load[planning.window(candidate.contact, decision.send_at)] += 1
            yield PlanLine(
                candidate.contact.account_id,
                decision.stage.name,
                status,
                decision.send_at,
                candidate.contact.timezone,
                decision.reason,
            )


def _aware(value: datetime | None) -> datetime | None:
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


__all__ = ["REASONS", "PlanLine", "contacts", "preview"]
