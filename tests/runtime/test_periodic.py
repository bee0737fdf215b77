"""The clock's driver: each job at its own interval, a failing job does not stop
the others, and a stop ends the loop."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from bot.service.periodic import PeriodicJob, run_due, run_periodic
from bot.service.runtime import Runtime
from tests.runtime.conftest import NOW, WebChat


async def test_run_due_runs_every_job_once_and_survives_a_failing_one(web: WebChat) -> None:
    seen: list[tuple[str, datetime]] = []

    async def counting(runtime: Runtime, now: datetime) -> int:
        seen.append(("counting", now))
        return 2

    async def failing(runtime: Runtime, now: datetime) -> int:
        raise ConnectionError("database away")

    chosen = (
        PeriodicJob("failing", timedelta(seconds=1), failing),
        PeriodicJob("counting", timedelta(seconds=1), counting),
    )
    assert await run_due(web.app.runtime, chosen, NOW) == 2
    assert seen == [("counting", NOW)]


async def test_run_periodic_repeats_until_stopped(web: WebChat) -> None:
    calls = 0
    stop = asyncio.Event()

    async def job(runtime: Runtime, now: datetime) -> int:
        nonlocal calls
        calls += 1
        if calls == 3:
            stop.set()
        return 1

    await asyncio.wait_for(
        run_periodic(web.app.runtime, (PeriodicJob("tick", timedelta(seconds=0.01), job),), stop),
        timeout=10,
    )
    assert calls == 3


async def test_no_jobs_returns_at_once(web: WebChat) -> None:
    await asyncio.wait_for(run_periodic(web.app.runtime, (), asyncio.Event()), timeout=5)
