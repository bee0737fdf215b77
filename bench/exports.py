"""Export of many arrangements: time and peak memory, against a plain cursor-to-CSV dump.

Filling the table and exporting run in separate processes, so the export's peak
memory (VmHWM) is its own: `python -m bench.exports fill|repaybot|plain URL COUNT`.
"""

from __future__ import annotations

import asyncio
import csv
import os
import sys
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from bench.common import ROOT, SCRATCH, Figure, peak_rss_mib, scratch_database, write_accounts


async def _fill(url: str, count: int) -> None:
    from sqlalchemy import insert

    from bot.service.accounts_import import import_accounts
    from bot.store.db import create_engine, session_factory, upgrade
    from bot.store.tables import ArrangementRow

    await upgrade(url)
    engine = create_engine(url)
    sessions = session_factory(engine)
    SCRATCH.mkdir(parents=True, exist_ok=True)
    await import_accounts(sessions, write_accounts(SCRATCH / "export-accounts.csv", 10))
    start = datetime(2026, 11, 22, tzinfo=UTC)
    plan = [{"due_date": f"2026-12-{d:02d}", "amount": "100.00"} for d in (1, 15, 28)]
    for first in range(0, count, 10_000):
        async with sessions() as session, session.begin():
            await session.execute(
                insert(ArrangementRow),
                [
                    {
                        "id": f"ARR-{n:08d}",
                        "account_id": f"B-{n % 10:07d}",
                        "kind": "installment_plan",
                        "status": "active",
                        "amount": Decimal("300.00"),
                        "currency": "USD",
                        "installments": plan,
                        "script_version": "bench",
                        "created_at": start + timedelta(seconds=n),
                    }
                    for n in range(first, min(first + 10_000, count))
                ],
            )
    await engine.dispose()


async def _repaybot(url: str) -> float:
    from bot.service.exports import export
    from bot.store.db import create_engine, session_factory

    engine = create_engine(url)
    started = time.perf_counter()
    with open(os.devnull, "w", encoding="utf-8", newline="") as out:
        await export(session_factory(engine), what="arrangements", fmt="csv", out=out)
    seconds = time.perf_counter() - started
    await engine.dispose()
    return seconds


async def _plain(url: str) -> float:
    started = time.perf_counter()
    query = "SELECT * FROM arrangements ORDER BY created_at, id"
    with open(os.devnull, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        if url.startswith("sqlite"):
            import sqlite3

            db = sqlite3.connect(url.split("///", 1)[1])
            writer.writerows(db.execute(query))
            db.close()
        else:
            import asyncpg

            conn = await asyncpg.connect(url)
            async with conn.transaction():
                async for row in conn.cursor(query):
                    writer.writerow(tuple(row))
            await conn.close()
    return time.perf_counter() - started


async def _process(*args: str) -> list[str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.exports",
        *args,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=asyncio.subprocess.PIPE,
    )
    out, _ = await process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"export bench {args[0]} failed")
    return out.decode().split()


async def run(databases: list[str], count: int) -> list[Figure]:
    figures: list[Figure] = []
    for kind in databases:
        async with scratch_database(kind) as url:
            await _process("fill", url, str(count))
            ours = [float(x) for x in (await _process("repaybot", url, str(count)))[-2:]]
            plain = [float(x) for x in (await _process("plain", url, str(count)))[-2:]]
        label = f"{count:,} arrangements, {kind}"
        figures += [
            Figure(f"export {label}", ours[0], plain[0], "s", "cursor to csv", False),
            Figure(f"export peak memory {label}", ours[1], plain[1], "MiB", "cursor to csv", False),
        ]
    return figures


if __name__ == "__main__":
    command, url, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if command == "fill":
        asyncio.run(_fill(url, count))
    else:
        seconds = asyncio.run(_repaybot(url) if command == "repaybot" else _plain(url))
        print(f"{seconds:.3f} {peak_rss_mib():.1f}")
