"""The clock-driven jobs on PostgreSQL run on pgqueuer's scheduler (bot.service.job_engine):
several processes run each tick once, a process killed in the middle of a job does
not stop the next tick, and processes starting at once install the engine once.

The job counted here is registered as the product's jobs are: a PeriodicJob handed
to `run_scheduled`, which names a cron schedule after it. It writes down each run.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

import asyncpg
import pytest
from pgqueuer.domain.models import CronExpressionEntrypoint
from pgqueuer.domain.types import CronEntrypoint, CronExpression

from bot.bootstrap import App, build_app
from bot.config import Settings
from bot.service.job_engine import (
    APPLICATION_NAME,
    asyncpg_dsn,
    cron_for,
    engine_queries,
    run_scheduled,
)
from bot.service.periodic import PeriodicJob, jobs
from bot.understanding.model import IntentModel
from tests.conftest import BACKENDS
from tests.process.clock_worker import COUNTED, EVERY, counted, recording
from tests.telegram.processes import eventually

ROOT = Path(__file__).resolve().parents[2]
ON_POSTGRES = pytest.mark.skipif(
    "postgresql" not in BACKENDS, reason="REPAYBOT_TEST_SKIP_POSTGRES=1: a SQLite-only local run"
)
STALE = timedelta(seconds=31)  # pgqueuer takes a schedule back 30 s after its last heartbeat


def test_each_interval_becomes_the_cron_expression_of_the_same_wall_clock_rhythm() -> None:
    assert {job.name: cron_for(job.every) for job in jobs()} == {
        "desk_timers": "* * * * *",
        "promise_follow_up": "*/15 * * * *",
        "safety_checks": "* * * * *",
        "reminders-plan": "*/5 * * * *",
        "reminders-send": "* * * * * */30",  # seconds, pgqueuer's sixth field
        "retention": "0 */6 * * *",
    }
    for drifting in (timedelta(minutes=7), timedelta(seconds=45), timedelta(hours=5)):
        with pytest.raises(ValueError):
            cron_for(drifting)


@pytest.fixture
async def app(database_url: str, intent_model: IntentModel) -> AsyncIterator[App]:
    app = await build_app(Settings(database_url=database_url), model=intent_model)
    connection = await asyncpg.connect(asyncpg_dsn(database_url))
    try:
        await connection.execute(
            "CREATE TABLE clock_runs (id serial PRIMARY KEY, worker text NOT NULL,"
            " now timestamptz NOT NULL)"
        )
    finally:
        await connection.close()
    try:
        yield app
    finally:
        await app.close()


class Database:
    """The test's own look at the database, on a connection of its own."""

    def __init__(self, connection: asyncpg.Connection) -> None:
        self.connection = connection

    async def runs(self) -> list[tuple[str, datetime]]:
        rows = await self.connection.fetch("SELECT worker, now FROM clock_runs ORDER BY id")
        return [(row["worker"], row["now"]) for row in rows]

    async def make_the_tick_due(self) -> None:
        """The counted job's schedule, with its tick already due (pgqueuer's own insert,
        with a next run one second ago), so that no test waits for the minute."""
        key = CronExpressionEntrypoint(
            entrypoint=CronEntrypoint(COUNTED), expression=CronExpression(cron_for(EVERY))
        )
        await engine_queries(self.connection).insert_schedule({key: timedelta(seconds=-1)})

    async def schedule_status(self) -> str:
        return str(
            await self.connection.fetchval(
                "SELECT status FROM pgqueuer.pgqueuer_schedules WHERE entrypoint = $1", COUNTED
            )
        )

    async def schedulers_that_polled_last(self) -> int:
        """Scheduler connections whose last statement was the schedules' claim and that
        now wait: those that looked for a due tick and came away with nothing to run."""
        return int(
            await self.connection.fetchval(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND application_name = $1 AND state = 'idle' AND query LIKE '%picked_jobs%'",
                APPLICATION_NAME,
            )
        )


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    connection = await asyncpg.connect(asyncpg_dsn(database_url))
    try:
        yield Database(connection)
    finally:
        await connection.close()


async def _child(
    database_url: str, worker: str, mode: str, log: Path
) -> asyncio.subprocess.Process:
    with log.open("ab") as stderr:
        return await asyncio.create_subprocess_exec(
            sys.executable,
            *("-m", "tests.process.clock_worker", database_url, worker, mode),
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=asyncio.subprocess.DEVNULL,
            stderr=stderr,
        )


@ON_POSTGRES
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_three_workers_run_a_due_minute_tick_once(
    app: App, database: Database, database_url: str
) -> None:
    await database.make_the_tick_due()
    stop = asyncio.Event()
    workers = [
        asyncio.create_task(
            run_scheduled(
                app.runtime,
                (counted(database_url, name),),
                stop,
                database_url,
                quiet_start=timedelta(0),
            )
        )
        for name in ("first", "second", "third")
    ]
    try:

        async def settled() -> bool:
            # One ran the tick and put the schedule back; the two others looked too.
            return (
                len(await database.runs()) >= 1
                and await database.schedule_status() == "queued"
                and await database.schedulers_that_polled_last() >= 2
            )

        await eventually(settled, timeout=20)
    finally:
        stop.set()
        await asyncio.wait_for(asyncio.gather(*workers), 20)
    runs = await database.runs()
    ticks = {now.replace(second=0, microsecond=0) for _, now in runs}
    # One run per minute's tick (a test that crosses a minute may see the next tick too).
    assert len(runs) == len(ticks) >= 1
    assert {worker for worker, _ in runs} <= {"first", "second", "third"}


@ON_POSTGRES
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_a_worker_killed_mid_job_does_not_block_the_next_tick(
    app: App, database: Database, database_url: str, tmp_path: Path
) -> None:
    await database.make_the_tick_due()
    doomed = await _child(database_url, "doomed", "hang", tmp_path / "doomed.log")
    try:

        async def started() -> bool:
            return [worker for worker, _ in await database.runs()] == ["doomed"]

        await eventually(started, timeout=60)
    finally:
        doomed.send_signal(signal.SIGKILL)  # no clean-up: as a crash or an OOM kill
        await doomed.wait()
    assert await database.schedule_status() == "picked"  # the dead process still holds it
    # pgqueuer takes the schedule back once its heartbeat is 30 s old; rather than wait
    # half a minute, the row is made to look as it will then.
    await database.connection.execute(
        "UPDATE pgqueuer.pgqueuer_schedules SET heartbeat = heartbeat - $1::interval"
        " WHERE entrypoint = $2",
        STALE,
        COUNTED,
    )
    stop = asyncio.Event()
    survivor = asyncio.create_task(
        run_scheduled(
            app.runtime,
            (counted(database_url, "survivor"),),
            stop,
            database_url,
            quiet_start=timedelta(0),
        )
    )
    try:

        async def taken_over() -> bool:
            return "survivor" in [worker for worker, _ in await database.runs()]

        await eventually(taken_over, timeout=20)
    finally:
        stop.set()
        await asyncio.wait_for(survivor, 20)
    assert [worker for worker, _ in await database.runs()][:2] == ["doomed", "survivor"]
    assert await database.schedule_status() == "queued"  # the clean stop let it go


@ON_POSTGRES
@pytest.mark.empty_database
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_three_processes_starting_at_once_install_the_engine_once(
    database_url: str, intent_model: IntentModel, caplog: pytest.LogCaptureFixture
) -> None:
    """On an empty database, as three processes deployed together: each migrates at
    start-up (`repaybot db upgrade`, what build_app runs first), then each registers
    the product's jobs with the scheduler at the same moment."""
    migrations = await asyncio.gather(
        *(
            asyncio.create_subprocess_exec(
                *(sys.executable, "-m", "bot", "db", "upgrade"),
                cwd=ROOT,
                env={**os.environ, "PYTHONPATH": str(ROOT), "REPAYBOT_DATABASE_URL": database_url},
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.PIPE,
            )
            for _ in range(3)
        )
    )
    outcomes = await asyncio.gather(*(m.communicate() for m in migrations))
    assert [
        (m.returncode, err.decode()) for m, (_, err) in zip(migrations, outcomes, strict=True)
    ] == [(0, "")] * 3
    app = await build_app(Settings(database_url=database_url), model=intent_model)
    connection = await asyncpg.connect(asyncpg_dsn(database_url))
    stop = asyncio.Event()
    workers = [
        asyncio.create_task(
            run_scheduled(app.runtime, jobs(), stop, database_url, quiet_start=timedelta(0))
        )
        for _ in range(3)
    ]
    try:
        database = Database(connection)
        await eventually(lambda: _polled_all(database, 3), timeout=20)
        rows = await connection.fetch("SELECT entrypoint FROM pgqueuer.pgqueuer_schedules")
        assert sorted(row["entrypoint"] for row in rows) == sorted(job.name for job in jobs())
        # What was installed is what the installed pgqueuer declares: nothing to upgrade.
        assert (await engine_queries(connection).plan_upgrade()).statements == ()
    finally:
        stop.set()
        await asyncio.wait_for(asyncio.gather(*workers), 20)  # a clean stop ends them
        await connection.close()
        await app.close()
    assert [r.getMessage() for r in caplog.records if r.name == "bot.service.job_engine"] == []


async def _polled_all(database: Database, schedulers: int) -> bool:
    return await database.schedulers_that_polled_last() == schedulers


@ON_POSTGRES
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_a_scheduler_whose_connection_is_cut_starts_again_on_a_new_one(
    app: App, database: Database, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """As after a database restart: the next poll fails, the scheduler starts again."""
    stop = asyncio.Event()
    every_two_seconds = PeriodicJob(COUNTED, timedelta(seconds=2), recording(database_url, "w"))
    worker = asyncio.create_task(
        run_scheduled(
            app.runtime, (every_two_seconds,), stop, database_url, quiet_start=timedelta(0)
        )
    )
    try:
        await eventually(lambda: _ran(database, 1), timeout=20)
        cut = await database.connection.fetchval(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND application_name = $1",
            APPLICATION_NAME,
        )
        assert cut == 1
        before = len(await database.runs())
        await eventually(lambda: _ran(database, before + 1), timeout=30)
    finally:
        stop.set()
        await asyncio.wait_for(worker, 20)
    assert any("starting again" in r.getMessage() for r in caplog.records)


async def _ran(database: Database, times: int) -> bool:
    return len(await database.runs()) >= times
