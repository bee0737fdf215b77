"""`python -m bench`: every figure of issue 11 beside a bare baseline measured in the same run.

    python -m bench                      # everything, a few minutes
    python -m bench --quick              # shorter runs, 10,000 accounts only
    python -m bench --only stack --db sqlite --framework ptb
    python -m bench --only import --accounts 10000,100000,1000000
    python -m bench --only console --db sqlite
    python -m bench --only reminders --accounts 10000,100000

Ratios are repaybot / bare: above 1 means more (time, memory) or faster (rates).
Results are printed, never asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import time

from bench.common import Figure, postgres_available, print_figures

PARTS = ("engine", "service", "stack", "import", "export", "memory", "console", "reminders")


def _machine() -> str:
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as info:
            model = next(
                line.split(":", 1)[1].strip() for line in info if line.startswith("model name")
            )
    except (OSError, StopIteration):
        pass
    return f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}"


async def main(args: argparse.Namespace) -> None:
    parts = args.only.split(",") if args.only else list(PARTS)
    databases = args.db.split(",")
    if "postgresql" in databases and not await postgres_available():
        print("PostgreSQL is not reachable on 127.0.0.1:5432 (`make services`); SQLite only.")
        databases = [d for d in databases if d != "postgresql"]
    frameworks = args.framework.split(",")
    sizes = (
        [int(s) for s in args.accounts.split(",")]
        if args.accounts
        else ([10_000] if args.quick else [10_000, 100_000])
    )
    print(f"repaybot bench on {_machine()}; load average {os.getloadavg()[0]:.2f}")
    started = time.perf_counter()
    if "engine" in parts:
        from bench import engine_step

        print_figures("pure engine step (repayment script)", engine_step.run(args.quick))
    if "service" in parts:
        from bench import service

        print_figures(
            "through the service, 16 chats at once", await service.run(databases, args.quick)
        )
    if "stack" in parts:
        from bench import stack

        figures: list[Figure] = await stack.run(databases, frameworks, args.quick)
        print_figures("full stack over loopback (Bot API stand-in), 16 chats", figures)
    if "import" in parts:
        from bench import imports

        for size in sizes:  # one size at a time: 1,000,000 takes minutes
            figures = await imports.run(databases, [size])
            print_figures(f"import of {size:,} generated accounts", figures)
    if "export" in parts:
        from bench import exports

        count = 10_000 if args.quick else 100_000
        print_figures("export of arrangements", await exports.run(databases, count))
    if "memory" in parts:
        from bench import memory

        print_figures("memory", await memory.run())
    if "console" in parts:
        from bench import console

        print_figures(
            "agents' console over loopback: 10,000 open escalations, 500 lines, 50 live agents",
            await console.run(databases, args.quick),
        )
    if "reminders" in parts:
        from bench import reminders

        print_figures("planning reminders", await reminders.run(databases, sizes))
    print(f"\n(bench took {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--quick", action="store_true", help="shorter runs and 10,000 accounts only"
    )
    parser.add_argument("--only", help=f"comma-separated parts: {','.join(PARTS)}")
    parser.add_argument("--db", default="sqlite,postgresql", help="sqlite,postgresql")
    parser.add_argument("--framework", default="aiogram,ptb", help="aiogram,ptb")
    parser.add_argument("--accounts", help="import sizes, e.g. 10000,100000,1000000")
    asyncio.run(main(parser.parse_args()))
