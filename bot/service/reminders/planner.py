"""The planner: for every account with a reachable linked chat, the reminder now due, queued once.

It streams the portfolio in batches (bot.service.reminders.store), decides each
account with the contact rules (bot.domain.contact_rules.plan), and inserts the
reminders with ON CONFLICT DO NOTHING on (account, stage, due date): running it
again, or on three processes at once, queues each reminder once. A reminder is
queued for the next moment the rules allow, spread over the borrower's allowed
hours; one held (R3, R8, R12, R16, a person) is not queued and is looked at
again on the next run. A stage that needs a person is recorded as such and opens
a case in the agents' queue (bot.service.reminders.person_stage).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.cadence import ContactRules, RemindersPolicy
from bot.domain.contact_rules import (
    PERSON,
    Decision,
    day_hours,
    local_day,
    plan,
    zones_for,
)
from bot.domain.send_load import Peak, fits, peak_rate
from bot.service.reminders.person_stage import hand_to_person
from bot.service.reminders.portfolio import Candidate, contacts_after
from bot.service.reminders.store import BATCH, queue, requeue_held

log = logging.getLogger(__name__)


@dataclass
class PlanReport:
    """What one run did: reminders queued, held by rule, and whether the days fit."""

    queued: int = 0
    person: int = 0
    held: Counter[str] = field(default_factory=Counter)
    # Reminders queued per (zone, local day) window: the load the sender must carry.
    load: Counter[tuple[datetime, datetime]] = field(default_factory=Counter)

    def peak(self) -> Peak | None:
        return peak_rate(self.load)

    def warnings(self, rules: RemindersPolicy) -> list[str]:
        """A sentence when the busiest moment needs more than the sending rate."""
        peak = self.peak()
        rate = rules.contact.rate_per_second
        if fits(peak, rate) or peak is None:
            return []
        return [
            f"the reminders planned need {peak.rate:.1f} messages a second from"
            f" {peak.at:%Y-%m-%d %H:%M} UTC, above the {rate} a second the policy allows:"
            " some will go out later than planned (still within the allowed hours)"
        ]


def _row(candidate: Candidate, decision: Decision, now: datetime, status: str) -> dict[str, Any]:
    assert decision.stage is not None  # noqa: S101 - only decided stages become rows
    return {
        "account_id": candidate.contact.account_id,
        "stage": decision.stage.name,
        "cycle": candidate.contact.due_date,
        "conversation_id": candidate.conversation_id,
        "status": status,
        "send_at": decision.send_at,
        "reason": decision.reason,
        "attempts": 0,
        "created_at": now,
        "updated_at": now,
        "sent_at": None,
    }


async def batches(
    sessions: async_sessionmaker[AsyncSession], now: datetime, size: int = BATCH, **options: Any
) -> AsyncIterator[list[Candidate]]:
    """The portfolio, a key range at a time, each read in its own short transaction."""
    after = ""
    while True:
        async with sessions() as session, session.begin():
            found, last = await contacts_after(session, now, after=after, limit=size, **options)
        if last is None:
            return
        if found:
            yield found
        after = last


async def plan_reminders(
    sessions: async_sessionmaker[AsyncSession],
    rules: RemindersPolicy,
    now: datetime,
    *,
    size: int = BATCH,
) -> PlanReport:
    """Queue every reminder due at `now`; idempotent on any number of processes."""
    report = PlanReport()
    async for batch in batches(sessions, now, size):
        rows: list[dict[str, Any]] = []
        requeue: list[tuple[Candidate, Decision]] = []
        for candidate in batch:
            decision = plan(candidate.contact, rules.stages, now, rules.contact)
            if decision.stage is None:
                continue
            if decision.send_at is None:
                # A person's stage and nothing holds it, not even a person who has
                # the account already (then it is looked at again once they are done).
                person = decision.stage.person and decision.reason == PERSON
                if person and not candidate.contact.person_owns:
                    rows.append(_row(candidate, decision, now, "person"))
                else:
                    report.held[decision.reason or "?"] += 1
                continue
            rows.append(_row(candidate, decision, now, "queued"))
            if decision.stage.name in candidate.held:
                requeue.append((candidate, decision))
            _count_load(report, candidate, decision.send_at, rules.contact)
        async with sessions() as session, session.begin():
            report.queued += await queue(session, [r for r in rows if r["status"] == "queued"])
            report.person += await hand_to_person(
                session, [r for r in rows if r["status"] == "person"]
            )
            for candidate, decision in requeue:
                report.queued += await _requeue(session, candidate, decision, now)
    for warning in report.warnings(rules):
        log.warning("reminders: %s", warning)
    return report


async def _requeue(
    session: AsyncSession, candidate: Candidate, decision: Decision, now: datetime
) -> int:
    assert decision.stage is not None  # noqa: S101
    values = {"status": "queued", "send_at": decision.send_at, "reason": decision.reason}
    return await requeue_held(
        session,
        candidate.contact.account_id,
        decision.stage.name,
        candidate.contact.due_date,
        {**values, "updated_at": now},
    )


def _count_load(
    report: PlanReport, candidate: Candidate, send_at: datetime, hours: ContactRules
) -> None:
    """The reminder weighs on its borrower's window of that day (see send_load)."""
    zones = zones_for(candidate.contact.timezone, candidate.contact.phone)
    day: date = local_day(zones, send_at)
    report.load[day_hours(zones[0], day, hours.start, hours.end)] += 1
