"""Shared helpers: figures and their printing, process memory and CPU, scratch databases."""

from __future__ import annotations

import os
import statistics
import sys
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import asyncpg

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN = os.environ.get("REPAYBOT_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
SCRATCH = ROOT / "var" / "bench"
TICKS = os.sysconf("SC_CLK_TCK")
DOB = "1990-05-17"


@dataclass
class Figure:
    what: str
    project: float
    baseline: float | None
    unit: str
    baseline_name: str = ""
    higher_is_better: bool = True
    note: str = ""

    def ratio(self) -> str:
        if not self.baseline or not self.project:
            return "-"
        r = self.project / self.baseline
        return f"{r:.2f}x" if r >= 0.1 else f"{r:.3f}x"


def _num(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if abs(value) >= 100:
        return f"{value:,.0f} {unit}"
    if abs(value) >= 10:
        return f"{value:.1f} {unit}"
    return f"{value:.2f} {unit}"


def print_figures(title: str, figures: list[Figure]) -> None:
    print(f"\n== {title}", flush=True)
    width = max((len(f.what) for f in figures), default=10)
    for f in figures:
        base = f"{_num(f.baseline, f.unit)} ({f.baseline_name})" if f.baseline_name else ""
        line = f"  {f.what:<{width}}  repaybot {_num(f.project, f.unit):>14}"
        if base:
            line += f"   bare {base}   ratio {f.ratio()}"
        if f.note:
            line += f"   [{f.note}]"
        print(line, flush=True)


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def mean(values: list[float]) -> float:
    return statistics.fmean(values) if values else float("nan")


def rss_mib(pid: int | None = None) -> float:
    """Resident memory now, in MiB (Linux /proc)."""
    with open(f"/proc/{pid or 'self'}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def peak_rss_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process so far."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


@asynccontextmanager
async def scratch_database(kind: str) -> AsyncIterator[str]:
    """A fresh empty database of the kind ('sqlite' or 'postgresql'), removed afterwards."""
    if kind == "sqlite":
        SCRATCH.mkdir(parents=True, exist_ok=True)
        path = SCRATCH / f"bench-{uuid.uuid4().hex[:8]}.db"
        try:
            yield f"sqlite+aiosqlite:///{path}"
        finally:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    name = f"repaybot_bench_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(PG_ADMIN, timeout=10)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    try:
        yield PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    finally:
        admin = await asyncpg.connect(PG_ADMIN, timeout=10)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


async def postgres_available() -> bool:
    try:
        conn = await asyncpg.connect(PG_ADMIN, timeout=5)
    except (OSError, asyncpg.PostgresError):
        return False
    await conn.close()
    return True


HEADER = (
    "account_id,borrower_name,phone,birth_date,locale,timezone,currency,due_date,"
    "charge_id,charge_kind,charge_description,charge_amount,charge_posted_on\n"
)


def write_accounts(path: Path, count: int, charges: int = 3) -> Path:
    """A lender's export of `count` accounts with `charges` charge lines each."""
    kinds = (
        ("P", "principal", "Card balance"),
        ("I", "interest", "October interest"),
        ("F", "late_fee", "Late payment fee"),
    )
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(HEADER)
        for n in range(count):
            account = f"B-{n:07d}"
            head = f"{account},Borrower {n},+1555{n:07d},{DOB},en,America/New_York,USD,2026-11-18"
            for i in range(charges):
                code, kind, description = kinds[i % 3]
                amount = f"{1000 + n % 500 + i}.{n % 100:02d}" if i == 0 else f"{35 + i}.00"
                out.write(f"{head},{account}-{code}{i},{kind},{description},{amount},2026-10-01\n")
    return path


def eprint(*args: object) -> None:
    print(*args, file=sys.stderr, flush=True)
