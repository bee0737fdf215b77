"""Import time and peak memory for generated portfolios, against a plain CSV load.

Each import runs in its own process so its peak memory (VmHWM) is its own:
`python -m bench.imports worker repaybot|plain URL FILE` prints "seconds peak_mib".
The plain load parses the CSV with the csv module and bulk-inserts the rows
into one table (executemany on SQLite, COPY on PostgreSQL) with no checks.
"""

from __future__ import annotations

import asyncio
import csv
import os
import sys
import time
from pathlib import Path

from bench.common import ROOT, SCRATCH, Figure, peak_rss_mib, scratch_database, write_accounts


async def _repaybot(url: str, path: Path) -> float:
    from bot.service.accounts_import import import_accounts
    from bot.store.db import create_engine, session_factory, upgrade

    await upgrade(url)  # not timed: every command migrates first, once
    engine = create_engine(url)
    try:
        started = time.perf_counter()
        await import_accounts(session_factory(engine), path)
        return time.perf_counter() - started
    finally:
        await engine.dispose()


async def _plain(url: str, path: Path) -> float:
    started = time.perf_counter()
    await _plain_load(url, path)
    return time.perf_counter() - started


async def _plain_load(url: str, path: Path) -> None:
    columns = ", ".join(f"c{i} TEXT" for i in range(13))
    with path.open(encoding="utf-8", newline="") as source:
        rows = csv.reader(source)
        next(rows)
        if url.startswith("sqlite"):
            import sqlite3

            db = sqlite3.connect(url.split("///", 1)[1])
            db.execute(f"CREATE TABLE IF NOT EXISTS plain ({columns})")
            marks = ", ".join("?" * 13)
            with db:
                db.executemany(f"INSERT INTO plain VALUES ({marks})", rows)
            db.close()
            return
        import asyncpg

        conn = await asyncpg.connect(url)
        try:
            await conn.execute(f"CREATE TABLE IF NOT EXISTS plain ({columns})")
            await conn.copy_records_to_table("plain", records=(tuple(r) for r in rows))
        finally:
            await conn.close()


def worker(kind: str, url: str, path: Path) -> None:
    seconds = asyncio.run(_repaybot(url, path) if kind == "repaybot" else _plain(url, path))
    print(f"{seconds:.3f} {peak_rss_mib():.1f}")


async def _timed(kind: str, url: str, path: Path) -> tuple[float, float]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.imports",
        "worker",
        kind,
        url,
        str(path),
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=asyncio.subprocess.PIPE,
    )
    out, _ = await process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"{kind} import failed")
    seconds, peak = out.decode().split()[-2:]
    return float(seconds), float(peak)


async def run(databases: list[str], sizes: list[int]) -> list[Figure]:
    figures: list[Figure] = []
    SCRATCH.mkdir(parents=True, exist_ok=True)
    for size in sizes:
        path = write_accounts(SCRATCH / f"accounts-{size}.csv", size)
        try:
            for kind in databases:
                async with scratch_database(kind) as url:
                    first = await _timed("repaybot", url, path)
                    again = await _timed("repaybot", url, path)
                async with scratch_database(kind) as url:
                    plain = await _timed("plain", url, path)
                label = f"{size:,} accounts x 3, {kind}"
                figures += [
                    Figure(f"import {label}", first[0], plain[0], "s", "csv + bulk insert", False),
                    Figure(
                        f"re-import unchanged {label}",
                        again[0],
                        plain[0],
                        "s",
                        "csv + bulk insert",
                        False,
                    ),
                    Figure(
                        f"import peak memory {label}",
                        first[1],
                        plain[1],
                        "MiB",
                        "csv + bulk insert",
                        False,
                    ),
                ]
        finally:
            path.unlink(missing_ok=True)
    return figures


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "worker":
        worker(sys.argv[2], sys.argv[3], Path(sys.argv[4]))
    else:
        sys.exit("usage: python -m bench.imports worker repaybot|plain URL FILE")
