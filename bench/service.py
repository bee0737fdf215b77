"""Events per second through the service (one transaction per event), 16 chats at once."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime

from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, insert

from bench.common import DOB, SCRATCH, Figure, scratch_database, write_accounts
from bench.seams import build, handle_event, import_file, text_event

CHATS = 16
CYCLE = ("/start", DOB, "Pay in installments", "/help")

_metadata = MetaData()
BARE = Table(
    "bench_events",
    _metadata,
    Column("id", Integer, primary_key=True),
    Column("chat_key", String(64), nullable=False),
    Column("text", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)


async def _through_service(url: str, seconds: float) -> tuple[float, int]:
    app = await build(url)
    try:
        SCRATCH.mkdir(parents=True, exist_ok=True)
        await import_file(app, write_accounts(SCRATCH / "service-accounts.csv", CHATS))
        counter = iter(range(10**9))
        done = 0
        deadline = 0.0

        async def chat(n: int) -> None:
            nonlocal done
            turn = 0
            while time.perf_counter() < deadline:
                await handle_event(
                    app,
                    chat_key=f"chat-{n}",
                    account_id=f"B-{n:07d}",
                    event=text_event(CYCLE[turn % len(CYCLE)]),
                    update_key=str(next(counter)),
                )
                turn += 1
                done += 1

        deadline = time.perf_counter() + 1.0  # warm up
        await asyncio.gather(*(chat(n) for n in range(CHATS)))
        done = 0
        started = time.perf_counter()
        deadline = started + seconds
        await asyncio.gather(*(chat(n) for n in range(CHATS)))
        return done / (time.perf_counter() - started), done
    finally:
        await app.close()


async def _bare_inserts(url: str, seconds: float) -> float:
    from bot.store.db import create_engine, session_factory

    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(_metadata.create_all)
    sessions = session_factory(engine)
    done = 0
    deadline = time.perf_counter() + seconds

    async def chat(n: int) -> None:
        nonlocal done
        while time.perf_counter() < deadline:
            async with sessions() as session, session.begin():
                await session.execute(
                    insert(BARE).values(
                        chat_key=f"chat-{n}", text="hello", created_at=datetime.now(UTC)
                    )
                )
            done += 1

    started = time.perf_counter()
    await asyncio.gather(*(chat(n) for n in range(CHATS)))
    rate = done / (time.perf_counter() - started)
    await engine.dispose()
    return rate


async def run(databases: list[str], quick: bool) -> list[Figure]:
    seconds = 4.0 if quick else 10.0
    figures = []
    for kind in databases:
        async with scratch_database(kind) as url:
            rate, _ = await _through_service(url, seconds)
            bare = await _bare_inserts(url, seconds)
        figures.append(
            Figure(
                f"service events/s, {kind}",
                rate,
                bare,
                "ev/s",
                "one SQLAlchemy insert per transaction",
            )
        )
    return figures
