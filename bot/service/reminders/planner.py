"""The planner: for every account with a reachable linked chat, the reminder now due, queued once.

It streams the portfolio in batches (bot.service.reminders.portfolio), decides each
account with the contact rules (bot.domain.planning: contact_rules.plan, with what
depends only on the zone and the due date worked out once), and inserts a batch's
reminders in one statement, ON CONFLICT DO NOTHING on (account, stage, due date):
running it again, or on three processes at once, queues each reminder once. A reminder is
queued for the next moment the rules allow, spread over the borrower's allowed
hours; one held (R3, R8, R12, R16, a person) is not queued and is looked at
again on the next run. A stage that needs a person is recorded as such and opens
a case in the agents' queue (bot.service.reminders.person_stage).
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.cadence import RemindersPolicy
from bot.domain.contact_rules import PERSON, Decision
from bot.domain.planning import Planning
from bot.domain.send_load import Peak, fits, peak_rate
from bot.service.progress import Progress, silent
from bot.service.reminders.collector import collector_held
from bot.service.reminders.person_stage import hand_to_person
from bot.service.reminders.portfolio import Candidate, contacts_after, count_accounts
from bot.service.reminders.store import BATCH, NewReminder, queue_many, requeue_held

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


async def batches(
    sessions: async_sessionmaker[AsyncSession],
    now: datetime,
    size: int = BATCH,
    progress: Progress = silent,
    **options: Any,
) -> AsyncIterator[list[Candidate]]:
    """The portfolio, a key range at a time, each read in its own short transaction;
    `progress` hears the accounts looked at so far against their count."""
    total = None
    if progress is not silent:
        async with sessions() as session:
            total = await count_accounts(session)
        progress(0, total)
    after, done = "", 0
    while True:
        async with sessions() as session, session.begin():
            found, last, read = await contacts_after(
                session, now, after=after, limit=size, **options
            )
        if last is None:
            return
        done += read
        if found:
            yield found
        progress(done, total)
        after = last


@dataclass
class Decided:
    """One batch's decisions, as rows to insert by status and held rows to put back."""

    queued: list[NewReminder] = field(default_factory=list)
    person: list[NewReminder] = field(default_factory=list)
    requeue: list[tuple[Candidate, Decision]] = field(default_factory=list)


def decide(batch: list[Candidate], planning: Planning, report: PlanReport) -> Decided:
    """Every account of the batch decided in memory (no database work here)."""
    decided = Decided()
    for candidate in batch:
        contact = candidate.contact
        decision = planning.decide(contact)
        stage = decision.stage
        if stage is None:
            continue
        row = (
            contact.account_id,
            stage.name,
            contact.due_date,
            candidate.conversation_id,
            decision.send_at,
            decision.reason,
        )
        if decision.send_at is None:
            # A person's stage and nothing holds it, not even a person who has the
            # account already (then it is looked at again once they are done).
            if stage.person and decision.reason == PERSON and not contact.person_owns:
                decided.person.append(row)
            else:
                report.held[decision.reason or "?"] += 1
            continue
        decided.queued.append(row)
        if stage.name in candidate.held:
            decided.requeue.append((candidate, decision))
        # The reminder weighs on its borrower's window of that day (see send_load).
        report.load[planning.window(contact, decision.send_at)] += 1
    return decided


# Rows written in this run after which PostgreSQL is asked to look at the tables again.
ANALYZE_AFTER = 10_000


async def plan_reminders(
    sessions: async_sessionmaker[AsyncSession],
    rules: RemindersPolicy,
    now: datetime,
    *,
    size: int = BATCH,
    analyze_after: int = ANALYZE_AFTER,
) -> PlanReport:
    """Queue every reminder due at `now`; idempotent on any number of processes."""
    report = PlanReport()
    planning = Planning(rules.stages, now, rules.contact)
    after = ""
    writing: asyncio.Task[None] | None = None
    analyzed = False
    try:
        while True:
            with collector_held():  # a batch's objects are not garbage until it is done
                async with sessions() as session, session.begin():
                    batch, last, _ = await contacts_after(session, now, after=after, limit=size)
                if last is None:
                    break
                decided = decide(batch, planning, report)
                # One batch is written while the next is read and decided: PostgreSQL
                # inserts on its own core meanwhile. Batches are key ranges apart, and
                # each waits for the one before it: at most two in memory.
                if writing is not None:
                    await writing
                    analyzed = analyzed or await _refresh_statistics(
                        sessions, report, analyze_after
                    )
                writing = asyncio.create_task(_write(sessions, decided, report, now))
            after = last
        if writing is not None:
            await writing
    finally:
        if writing is not None and not writing.done():
            writing.cancel()
            await asyncio.gather(writing, return_exceptions=True)
    for warning in report.warnings(rules):
        log.warning("reminders: %s", warning)
    return report


async def _refresh_statistics(
    sessions: async_sessionmaker[AsyncSession], report: PlanReport, after: int
) -> bool:
    """On PostgreSQL, once a run has written `after` rows, ANALYZE the tables it
    writes (a sample: a fraction of a second). A first run on a new portfolio grows
    `escalations` and `reminders` from nothing; planned on statistics of empty tables,
    each batch's open-case lookup scanned the whole table (45 ms at 293,000 cases
    against 1.4 ms from the index), and autovacuum, where it runs at all, comes later.
    True once done (or never needed: SQLite plans from its indexes)."""
    if report.queued + report.person < after:
        return False
    async with sessions() as session, session.begin():
        if session.get_bind().dialect.name == "postgresql":
            await session.execute(text("ANALYZE escalations, reminders"))
    return True


async def _write(
    sessions: async_sessionmaker[AsyncSession], decided: Decided, report: PlanReport, now: datetime
) -> None:
    """One batch's reminders in one short transaction, and its person stages with
    their cases in another. On PostgreSQL the two go side by side, on two server
    backends: the server's inserts (indexes, foreign-key checks) were the longest
    part of a batch, one after the other. Each transaction is whole on its own: a
    stage is recorded with its case or not at all, and every row is queued once
    whatever runs beside it (the unique key). SQLite has one writer at a time."""
    bot, person = _queue(sessions, decided, report, now), _hand_over(sessions, decided, report, now)
    async with sessions() as session:
        postgresql = session.get_bind().dialect.name == "postgresql"
    if postgresql:
        async with asyncio.TaskGroup() as both:  # one failing cancels the other
            both.create_task(bot)
            both.create_task(person)
    else:
        await bot
        await person


async def _queue(
    sessions: async_sessionmaker[AsyncSession], decided: Decided, report: PlanReport, now: datetime
) -> None:
    if not decided.queued:
        return
    async with sessions() as session, session.begin():
        report.queued += len(await queue_many(session, "queued", decided.queued, now))
        for candidate, decision in decided.requeue:
            report.queued += await _requeue(session, candidate, decision, now)


async def _hand_over(
    sessions: async_sessionmaker[AsyncSession], decided: Decided, report: PlanReport, now: datetime
) -> None:
    """The person stages recorded just now, each opening its case (person_stage)."""
    if not decided.person:
        return
    async with sessions() as session, session.begin():
        report.person += await hand_to_person(session, decided.person, now)


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
