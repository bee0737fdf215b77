"""`repaybot reminders simulate`: the planner and the sender over a simulated clock.

It reads the portfolio (a batch at a time) into memory and plays each account's
days with the same decisions the running bot makes (bot.domain.contact_rules),
every account treated as reachable. Nothing is written: the database is only
read, so what it prints is what would happen, and nothing has happened.
Accounts are independent, so each is played to the end before the next: memory
stays flat however large the portfolio.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.cadence import RemindersPolicy
from bot.domain.contact_hours import local_day, zones_for
from bot.domain.contact_rules import (
    NOTHING_OWED,
    SUPERSEDED,
    Contact,
    next_moment,
    plan,
    send_check,
)
from bot.engine.script import Script
from bot.service.progress import Progress, silent
from bot.service.reminders.planner import batches
from bot.service.reminders.portfolio import Candidate
from bot.service.reminders.sender import WAIT_FOR

TICK = timedelta(hours=1)  # how often the simulated planner runs


@dataclass(frozen=True)
class Line:
    """One message the bot would send, or one reminder it would hold back."""

    account_id: str
    stage: str
    at: datetime  # UTC: when it is sent, or when it was held
    timezone: str
    local_time: str
    text_key: str | None = None  # None: held
    rule: str | None = None  # why it was held

    def as_dict(self) -> dict[str, str]:
        base = {"account_id": self.account_id, "stage": self.stage}
        when = self.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        if self.text_key is None:
            return {**base, "held_by": self.rule or "", "at": when, "timezone": self.timezone}
        return {
            **base,
            "send_at": when,
            "local_time": self.local_time,
            "timezone": self.timezone,
            "text_key": self.text_key,
        }


def text_keys(script: Script, rules: RemindersPolicy) -> dict[str, str]:
    """Each stage's first message id, as the catalogs key it."""
    keys: dict[str, str] = {}
    for stage in rules.stages:
        state = script.states.get(stage.state or "")
        if state is not None and state.say:
            keys[stage.name] = f"{script.id}.{stage.state}.{state.say[0].id}"
    return keys


async def simulate(
    sessions: async_sessionmaker[AsyncSession],
    rules: RemindersPolicy,
    keys: Mapping[str, str],
    start: date,
    days: int,
    payments: Mapping[str, Sequence[tuple[date, Decimal]]] | None = None,
    progress: Progress = silent,
) -> AsyncIterator[Line]:
    """Every message and every hold over `days` days from `start` (00:00 UTC)."""
    begin = datetime.combine(start, time(0), tzinfo=UTC)
    end = begin + timedelta(days=days)
    walk = batches(sessions, begin, progress=progress, linked_only=False, reachable=True)
    async for batch in walk:
        for candidate in batch:
            paid = (payments or {}).get(candidate.contact.account_id, ())
            for line in play(candidate, rules, keys, begin, end, paid):
                yield line


def play(
    candidate: Candidate,
    rules: RemindersPolicy,
    keys: Mapping[str, str],
    begin: datetime,
    end: datetime,
    paid: Sequence[tuple[date, Decimal]] = (),
) -> list[Line]:
    """One account's reminders from `begin` to `end`, as the planner and sender would."""
    contact = candidate.contact
    zones = zones_for(contact.timezone, contact.phone)
    lines: list[Line] = []
    queued: dict[str, datetime] = {}
    said: set[tuple[str, str]] = set()

    def held(stage: str, rule: str, at: datetime) -> None:
        if (stage, rule) not in said:
            said.add((stage, rule))
            lines.append(Line(contact.account_id, stage, at, contact.timezone, "", rule=rule))

    tick = begin
    while tick < end:
        contact = _after_payments(contact, candidate.owed, paid, zones, tick)
        decision = plan(contact, rules.stages, tick, rules.contact)
        if decision.stage is not None:
            name = decision.stage.name
            if decision.send_at is not None:
                queued[name] = decision.send_at
                contact = replace(contact, stages_queued=contact.stages_queued | {name})
            else:  # looked at again every tick: a breathing space ends, a hold lifts
                held(name, decision.reason or "?", tick)
        for stage, moment in sorted(queued.items(), key=lambda item: item[1]):
            if moment >= tick + TICK or moment >= end:
                continue
            contact = _after_payments(contact, candidate.owed, paid, zones, moment)
            why = send_check(contact, rules.stages, stage, contact.due_date, moment, rules.contact)
            if why is None:
                del queued[stage]
                contact = replace(contact, sent=(*contact.sent, moment))
                local = moment.astimezone(zones[0])
                lines.append(
                    Line(
                        contact.account_id,
                        stage,
                        moment,
                        contact.timezone,
                        local.isoformat(timespec="seconds"),
                        text_key=keys.get(stage, stage),
                    )
                )
            elif why in WAIT_FOR:
                key = f"{contact.account_id}:{stage}:{contact.due_date.isoformat()}"
                later, _ = next_moment(contact, zones, moment, rules.contact, key)
                if later is None:
                    del queued[stage]
                    held(stage, why, moment)
                else:
                    queued[stage] = later
            else:
                del queued[stage]
                held(stage, why, moment)
                if why != SUPERSEDED:  # the planner looks at it again once the hold lifts
                    contact = replace(contact, stages_queued=contact.stages_queued - {stage})
        tick += TICK
    return lines


def _after_payments(
    contact: Contact,
    owed: Decimal,
    paid: Sequence[tuple[date, Decimal]],
    zones: Sequence[object],
    moment: datetime,
) -> Contact:
    """Paid in full by the borrower's today: nothing left to remind about."""
    if not paid or contact.charges == 0 or not zones:
        return contact
    today = local_day(zones_for(contact.timezone, contact.phone), moment)
    if sum((amount for day, amount in paid if day <= today), Decimal(0)) >= owed > 0:
        return replace(contact, charges=0)
    return contact


__all__ = ["NOTHING_OWED", "Line", "play", "simulate", "text_keys"]
