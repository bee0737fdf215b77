"""Planning reminders over a generated portfolio: time, peak memory, growth with size.

    python -m bench.reminders --accounts 10000,100000 --db sqlite,postgresql

Each portfolio is written straight into a scratch database (accounts, one charge
each, a linked chat each, zones and due dates mixed so that every account is due
a stage), then planned in a process of its own so that its peak memory (VmHWM)
is its own: `python -m bench.reminders worker URL` prints
"first_seconds again_seconds queued peak_mib". The first run queues a reminder
for nearly every account; the second finds them queued and adds none.

`--per-batch` has the worker print, on stderr after each batch is written, its
resident memory (now and peak), what glibc's malloc has in use, Python's allocated
blocks and the collector's counts and runs: memory that grows with the batches
shows there (docs/performance.md, 7 December 2026).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from bench.common import (
    ROOT,
    Figure,
    eprint,
    peak_rss_mib,
    postgres_available,
    print_figures,
    rss_mib,
    scratch_database,
)

NOW = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)
ZONES = (
    ("America/New_York", "+1212555"),
    ("Europe/London", "+4477009"),
    ("Asia/Shanghai", "+8613800"),
    ("Asia/Hong_Kong", "+8529123"),
    ("Asia/Taipei", "+8869120"),
    ("America/Los_Angeles", "+1310555"),
)
CHUNK = 10_000


def _rows(start: int, count: int) -> dict[str, list[dict[str, Any]]]:
    accounts, charges, conversations, links = [], [], [], []
    for n in range(start, start + count):
        zone, phone = ZONES[n % len(ZONES)]
        account = f"B-{n:07d}"
        accounts.append(
            {
                "account_id": account, "borrower_name": f"Borrower {n}",
                "phone": f"{phone}{n % 10000:04d}", "birth_date": date(1990, 5, 17),
                "locale": "en", "locale_chosen": False, "timezone": zone, "currency": "USD",
                "due_date": NOW.date() - timedelta(days=n % 50 - 5), "extensions_used": 0,
                "collection_paused": False, "breathing_space": False, "opted_out": False,
                "unreachable": False, "verify_failures": 0, "created_at": NOW, "updated_at": NOW,
            }
        )  # fmt: skip
        charges.append(
            {
                "account_id": account, "charge_id": f"{account}-P", "kind": "principal",
                "description": "Card balance", "amount": Decimal("1200.00"),
                "posted_on": date(2026, 10, 1),
            }
        )  # fmt: skip
        conversations.append(
            {
                "id": n + 1, "channel": "telegram", "chat_key": str(n + 1), "account_id": account,
                "user_key": str(n + 1), "owner": "bot", "script_id": "repayment",
                "script_version": "v", "policy_version": "", "locale": "en", "frames": [],
                "choices": [], "vars": {}, "step": 0, "failed_inputs": 0, "verified": True,
                "ended": False, "started": True, "created_at": NOW, "updated_at": NOW,
            }
        )  # fmt: skip
        links.append(
            {
                "channel": "telegram", "user_key": str(n + 1), "account_id": account,
                "linked_via": "token", "linked_at": NOW,
            }
        )  # fmt: skip
    return {"accounts": accounts, "charges": charges, "conversations": conversations,
            "channel_links": links}  # fmt: skip


async def fill(url: str, count: int) -> None:
    """The portfolio, written in chunks through the tables' own columns."""
    from bot.store.db import create_engine, upgrade
    from bot.store.tables import AccountRow, ChannelLinkRow, ChargeRow, ConversationRow, table_of

    await upgrade(url)
    tables = {
        "accounts": table_of(AccountRow),
        "charges": table_of(ChargeRow),
        "conversations": table_of(ConversationRow),
        "channel_links": table_of(ChannelLinkRow),
    }
    engine = create_engine(url)
    try:
        for start in range(0, count, CHUNK):
            rows = _rows(start, min(CHUNK, count - start))
            async with engine.begin() as conn:
                for name, table in tables.items():
                    await conn.execute(table.insert(), rows[name])
        if url.startswith("postgresql"):
            async with engine.begin() as conn:
                from sqlalchemy import text

                await conn.execute(text("ANALYZE"))
    finally:
        await engine.dispose()


async def _plan(url: str) -> tuple[float, float, int, float, float]:
    from bot.domain.cadence import RemindersPolicy
    from bot.service.reminders import plan_reminders
    from bot.store.db import create_engine, session_factory

    engine = create_engine(url)
    rules = RemindersPolicy()
    try:
        started, cpu = time.perf_counter(), time.process_time()
        first = await plan_reminders(session_factory(engine), rules, NOW)
        middle, cpu_first = time.perf_counter(), time.process_time() - cpu
        await plan_reminders(session_factory(engine), rules, NOW)
        peak = first.peak()  # the busiest moment's messages a second (send_load)
        rate = peak.rate if peak is not None else 0.0
        return middle - started, time.perf_counter() - middle, first.queued, cpu_first, rate
    finally:
        await engine.dispose()


def _per_batch() -> None:
    """A line on stderr after each batch the planner writes (see the module)."""
    import ctypes
    import gc

    from bot.service.reminders import planner

    class MallInfo2(ctypes.Structure):
        _fields_ = [(name, ctypes.c_size_t) for name in ("arena", "ordblks", "smblks", "hblks",
                    "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]  # fmt: skip

    libc = ctypes.CDLL("libc.so.6")
    libc.mallinfo2.restype = MallInfo2
    runs = [0, 0, 0]  # collections of each generation so far

    def collected(phase: str, info: dict[str, int]) -> None:
        if phase == "stop":
            runs[info["generation"]] += 1

    gc.callbacks.append(collected)
    write, batches = planner._write, [0]

    async def written(*args: Any) -> None:
        await write(*args)
        batches[0] += 1
        malloc = libc.mallinfo2()
        eprint(
            f"batch {batches[0]:4d}  rss {rss_mib():6.1f} MiB  peak {peak_rss_mib():6.1f} MiB"
            f"  malloc in use {malloc.uordblks / 2**20:5.1f} MiB"
            f"  python blocks {sys.getallocatedblocks():,}"
            f"  gc counts {gc.get_count()} runs {tuple(runs)}"
        )

    planner._write = written  # type: ignore[assignment]


def worker(url: str, per_batch: bool = False) -> None:
    from bot.heap import settle

    settle()  # as the serving process the planner runs in (bot.heap)
    if per_batch:
        _per_batch()
    first, again, queued, cpu, rate = asyncio.run(_plan(url))
    print(f"{first:.3f} {again:.3f} {queued} {peak_rss_mib():.1f} {cpu:.3f} {rate:.3f}")


async def _timed(
    url: str, per_batch: bool
) -> tuple[float, float, int, float, float, float, list[float]]:
    """The worker's figures, and the machine's load average every 5 s while it ran."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.reminders", "worker", url, *(["--per-batch"] * per_batch),
        cwd=ROOT, stdout=asyncio.subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    loads: list[float] = []
    done = asyncio.ensure_future(process.communicate())
    while not done.done():
        loads.append(os.getloadavg()[0])
        await asyncio.wait([done], timeout=5)
    out, _ = done.result()
    first, again, queued, peak, cpu, rate = out.decode().split()
    return float(first), float(again), int(queued), float(peak), float(cpu), float(rate), loads


async def run(databases: list[str], sizes: list[int], per_batch: bool = False) -> list[Figure]:
    figures: list[Figure] = []
    for kind in databases:
        for size in sizes:
            async with scratch_database(kind) as url:
                started = time.perf_counter()
                await fill(url, size)
                filled = time.perf_counter() - started
                first, again, queued, peak, cpu, rate, loads = await _timed(url, per_batch)
            note = (
                f"{queued:,} queued; written in {filled:.0f} s; load average during the"
                f" plan {min(loads):.1f}-{max(loads):.1f} (mean {sum(loads) / len(loads):.1f})"
            )
            found = [
                Figure(f"{kind} {size:,}: plan (queues)", first, None, "s", note=note),
                Figure(f"{kind} {size:,}: planner's own CPU (queues)", cpu, None, "s"),
                Figure(f"{kind} {size:,}: plan again (nothing new)", again, None, "s"),
                Figure(f"{kind} {size:,}: accounts a second", size / first, None, "/s"),
                Figure(f"{kind} {size:,}: peak memory", peak, None, "MiB", higher_is_better=False),
                Figure(f"{kind} {size:,}: busiest moment needs", rate, None, "msg/s",
                       higher_is_better=False, note="the free rate is 30"),
            ]  # fmt: skip
            print_figures(f"{kind} {size:,}", found)  # as it comes: a long run shows its way
            figures += found
    return figures


async def main(args: argparse.Namespace) -> None:
    databases = args.db.split(",")
    if "postgresql" in databases and not await postgres_available():
        print("PostgreSQL is not reachable on 127.0.0.1:5432; SQLite only.")
        databases = [d for d in databases if d != "postgresql"]
    sizes = [int(s) for s in args.accounts.split(",")]
    print(f"reminder planning; load average {os.getloadavg()[0]:.2f}")
    print_figures("planning reminders", await run(databases, sizes, args.per_batch))


if __name__ == "__main__":
    if len(sys.argv) in (3, 4) and sys.argv[1] == "worker":
        worker(sys.argv[2], per_batch=sys.argv[3:] == ["--per-batch"])
        raise SystemExit(0)
    parser = argparse.ArgumentParser(prog="python -m bench.reminders", description=__doc__)
    parser.add_argument("--accounts", default="10000", help="sizes, e.g. 10000,100000")
    parser.add_argument("--db", default="sqlite,postgresql", help="sqlite,postgresql")
    parser.add_argument(
        "--per-batch", action="store_true", help="memory and collector figures after each batch"
    )
    asyncio.run(main(parser.parse_args()))
