"""A bot process's clock, alone: `python -m tests.process.clock_worker URL WORKER MODE`.

It starts as `repaybot telegram` does (build_app migrates the database first) and
then runs the job engine's scheduler until SIGTERM:
- MODE "product": the product's own jobs (bot.service.periodic.jobs);
- MODE "hang": one job, "count" every minute, that records its run in clock_runs and
  then never returns, so that the test can kill the process in the middle of it.
"""

from __future__ import annotations

import asyncio
import signal
import sys
from datetime import datetime, timedelta

import asyncpg

from bot.bootstrap import build_app
from bot.config import Settings
from bot.service.job_engine import asyncpg_dsn, run_scheduled
from bot.service.periodic import JobFunction, PeriodicJob, jobs
from bot.service.runtime import Runtime

COUNTED = "count"
EVERY = timedelta(minutes=1)


def recording(database_url: str, worker: str, *, hang: bool = False) -> JobFunction:
    """A job that writes down who ran it and at what `now`, on its own connection."""

    async def record(runtime: Runtime, now: datetime) -> int:
        connection = await asyncpg.connect(asyncpg_dsn(database_url))
        try:
            await connection.execute(
                "INSERT INTO clock_runs (worker, now) VALUES ($1, $2)", worker, now
            )
        finally:
            await connection.close()
        if hang:
            await asyncio.Event().wait()  # until the process is killed
        return 1

    return record


def counted(database_url: str, worker: str, *, hang: bool = False) -> PeriodicJob:
    return PeriodicJob(COUNTED, EVERY, recording(database_url, worker, hang=hang))


async def main(database_url: str, worker: str, mode: str) -> None:
    app = await build_app(Settings(database_url=database_url))
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    chosen = jobs() if mode == "product" else (counted(database_url, worker, hang=True),)
    try:
        await run_scheduled(app.runtime, chosen, stop, database_url, quiet_start=timedelta(0))
    finally:
        await app.close()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4]))
