"""The clock-driven jobs on PostgreSQL: pgqueuer's scheduler, not a loop per process.

On PostgreSQL several `repaybot telegram` processes share one database. Each runs
a pgqueuer scheduler with every job of bot.service.periodic registered as a cron
schedule named after the job. A schedule is one row in pgqueuer.pgqueuer_schedules;
the process that claims it (SELECT ... FOR UPDATE SKIP LOCKED, status 'picked',
next run moved to the next tick) runs the tick and the others skip it, so across
any number of processes each tick runs once. While the job runs its process beats
the row's heartbeat every second; a process that dies mid-job stops beating, and
30 seconds later (pgqueuer's fixed window) another process takes the schedule again.

Each schedule calls the job's own function with the runtime and the runtime's `now`,
through `periodic.run_due`, exactly as `run_periodic` does on SQLite: what a job does
does not depend on which driver started it.

pgqueuer's tables live in a schema of their own, created by migration 0015.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING

import asyncpg
from sqlalchemy.engine import make_url

from bot.service.periodic import PeriodicJob, run_due
from bot.store.db import normalize_url

if TYPE_CHECKING:
    # pgqueuer is imported where it is used: a process loads it once it joins the
    # schedules, after its quiet start, not while it starts serving.
    from pgqueuer.adapters.persistence.queries import Queries
    from pgqueuer.domain.models import Schedule
    from pgqueuer.domain.settings import DBSettings

    from bot.service.runtime import Runtime

log = logging.getLogger(__name__)

SCHEMA = "pgqueuer"  # migration 0015 creates it
APPLICATION_NAME = "repaybot-clock"  # how the scheduler's connection shows in pg_stat_activity
RESTART_AFTER = 5.0  # seconds before a scheduler whose connection failed starts again
CONNECT_TIMEOUT = 10.0


def cron_for(every: timedelta) -> str:
    """The cron expression that runs at `every` on the wall clock.

    Only intervals that divide a minute, an hour or a day evenly map onto a cron
    field; another would drift, so it is refused rather than rounded. Seconds use
    pgqueuer's sixth field (croniter's seconds, last): reminders-send's 30 seconds
    stays 30 seconds.
    """
    seconds = int(every.total_seconds())
    if seconds != every.total_seconds() or seconds <= 0:
        raise ValueError(f"{every} is not a whole number of seconds")
    if seconds < 60 and 60 % seconds == 0:
        return f"* * * * * */{seconds}"
    minutes, remainder = divmod(seconds, 60)
    if remainder == 0 and minutes < 60 and 60 % minutes == 0:
        return "* * * * *" if minutes == 1 else f"*/{minutes} * * * *"
    hours, remainder = divmod(seconds, 3600)
    if remainder == 0 and hours < 24 and 24 % hours == 0:
        return "0 * * * *" if hours == 1 else f"0 */{hours} * * *"
    if seconds == 86400:
        return "0 0 * * *"
    raise ValueError(f"{every} does not divide a minute, an hour or a day")


def engine_settings() -> DBSettings:
    """pgqueuer's names, in our schema. The prefix is set so that a PGQUEUER_PREFIX
    meant for some other application on the host cannot move our tables."""
    from pgqueuer.domain.settings import DBSettings

    return DBSettings(db_schema=SCHEMA, prefix="")


def engine_queries(connection: asyncpg.Connection) -> Queries:
    from pgqueuer.adapters.drivers.asyncpg import AsyncpgDriver
    from pgqueuer.adapters.persistence import qb
    from pgqueuer.adapters.persistence.queries import Queries

    names = engine_settings()
    return Queries(
        AsyncpgDriver(connection),
        qbe=qb.QueryBuilderEnvironment(names),
        qbq=qb.QueryQueueBuilder(names),
        qbs=qb.QuerySchedulerBuilder(names),
    )


def asyncpg_dsn(database_url: str) -> str:
    """The database URL as asyncpg's own connect takes it (no SQLAlchemy driver name)."""
    url = make_url(normalize_url(database_url)).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


async def run_scheduled(
    runtime: Runtime,
    chosen: Sequence[PeriodicJob],
    stop: asyncio.Event,
    database_url: str,
    *,
    quiet_start: timedelta | None = None,
) -> None:
    """Until stopped: this process's share of the clock-driven jobs.

    `quiet_start` (by default the shortest interval): how long a starting process
    serves before it joins the schedules, as `run_periodic` waits one interval
    before its first turn. The schedules are shared, so the other processes keep
    the clock meanwhile. A scheduler whose connection fails (a database restart)
    starts again on a new one; a stop lets a running job finish, then returns.
    """
    if not chosen:
        return
    first_wait = min(job.every for job in chosen) if quiet_start is None else quiet_start
    if await _stopped_within(stop, first_wait.total_seconds()):
        return
    while True:
        try:
            await _schedule_until_stopped(runtime, chosen, stop, asyncpg_dsn(database_url))
        except Exception as exc:  # the database may be away: start again on a new connection
            log.warning("job scheduler stopped, starting again: %s", type(exc).__name__)
        if await _stopped_within(stop, 0 if stop.is_set() else RESTART_AFTER):
            return


async def _schedule_until_stopped(
    runtime: Runtime, chosen: Sequence[PeriodicJob], stop: asyncio.Event, dsn: str
) -> None:
    from pgqueuer.core.sm import SchedulerManager

    connection = await asyncpg.connect(
        dsn, timeout=CONNECT_TIMEOUT, server_settings={"application_name": APPLICATION_NAME}
    )
    try:
        scheduler = SchedulerManager(engine_queries(connection))
        for job in chosen:
            # accepts_context=False: the task takes the schedule only, and pgqueuer
            # need not read its signature to find out.
            scheduler.schedule(job.name, cron_for(job.every), accepts_context=False)(
                _task(job, runtime)
            )
        forward = asyncio.create_task(_forward(stop, scheduler.shutdown))
        try:
            await scheduler.run()
        finally:
            forward.cancel()
    finally:
        with contextlib.suppress(Exception):
            await connection.close(timeout=CONNECT_TIMEOUT)
        connection.terminate()  # a no-op once closed; frees a connection that hung


def _task(job: PeriodicJob, runtime: Runtime) -> Callable[[Schedule], Awaitable[None]]:
    async def run(_: Schedule) -> None:
        # run_due logs a failing job by its exception's type only (no borrower's
        # data in a log) and lets the schedule's next tick try again.
        await run_due(runtime, (job,), runtime.now())

    return run


async def _forward(stop: asyncio.Event, shutdown: asyncio.Event) -> None:
    await stop.wait()
    shutdown.set()


async def _stopped_within(stop: asyncio.Event, seconds: float) -> bool:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)
    return stop.is_set()
