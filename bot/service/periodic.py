"""Work the bot does on a clock rather than on a message.

Each job looks in the database for what is due at `now` (an SLA that ran out, a
crisis check nobody answered, a reminder whose hour has come) and hands each one to
the runtime, usually through `Runtime.on_trigger`, so that clock-started work goes
through the same engine, rules and outbox as a borrower's message. A job must be
idempotent and safe to run on several processes at once: it claims what it acts on
in the same transaction (a unique key, a conditional update), so running it twice,
or on three processes, acts once. It returns how many things it did.

`run_periodic` is the driver inside `repaybot telegram`; one loop runs every job at
its own interval, and a job that fails is logged and tried again at its next turn.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.service import desk_timers
from bot.service.promise_followup import follow_up_promises
from bot.service.safety_checks import raise_unanswered_safety_checks

if TYPE_CHECKING:
    from bot.service.runtime import Runtime

log = logging.getLogger(__name__)

RETENTION_EVERY = timedelta(hours=6)  # R17: what the duty no longer covers goes within hours

JobFunction = Callable[["Runtime", datetime], Awaitable[int]]


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: timedelta
    run: JobFunction


def jobs() -> tuple[PeriodicJob, ...]:
    """Every job the bot runs on a clock. Each entry names its own module's function."""
    from bot.service import reminders
    from bot.service.retention import retention_job

    return (
        PeriodicJob("desk_timers", timedelta(minutes=1), desk_timers.run),
        PeriodicJob("promise_follow_up", timedelta(minutes=15), follow_up_promises),
        PeriodicJob("safety_checks", timedelta(minutes=1), raise_unanswered_safety_checks),
        PeriodicJob("reminders-plan", reminders.PLAN_EVERY, reminders.plan_job),
        PeriodicJob("reminders-send", reminders.SEND_EVERY, reminders.send_job),
        PeriodicJob("retention", RETENTION_EVERY, retention_job),
    )


async def run_due(runtime: Runtime, chosen: Sequence[PeriodicJob], now: datetime) -> int:
    """Run each job once at `now` (tests and the CLI call this with their own clock)."""
    done = 0
    for job in chosen:
        done += await _guarded(job, runtime, now)
    return done


async def run_periodic(
    runtime: Runtime, chosen: Sequence[PeriodicJob], stop: asyncio.Event
) -> None:
    """Until stopped: each job at its own interval. Intervals are measured on the
    event loop's monotonic clock; what is due is judged on the runtime's (a test's
    fixed clock must not stop the loop)."""
    if not chosen:
        return
    loop = asyncio.get_running_loop()
    tick = min(job.every for job in chosen).total_seconds()
    next_run: dict[str, float] = {}
    while not await _stopped_within(stop, tick):
        for job in chosen:
            if loop.time() >= next_run.get(job.name, 0.0):
                await _guarded(job, runtime, runtime.now())
                next_run[job.name] = loop.time() + job.every.total_seconds()


async def _guarded(job: PeriodicJob, runtime: Runtime, now: datetime) -> int:
    try:
        return await job.run(runtime, now)
    except Exception as exc:  # the database may be away: the next turn tries again
        log.warning("periodic job %s failed: %s", job.name, type(exc).__name__)
        return 0


async def _stopped_within(stop: asyncio.Event, seconds: float) -> bool:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)
    return stop.is_set()
