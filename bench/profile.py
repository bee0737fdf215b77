"""`python -m bench.profile`: a cProfile of the running bot under the full-stack load.

Runs the saturated and steady phases of the full-stack bench with the bot
process under cProfile, writes var/bench/profile-<framework>-<db>.pstats and
prints where the time went. Open the file with `python -m pstats FILE` or snakeviz.
"""

from __future__ import annotations

import argparse
import asyncio
import pstats

from bench.common import SCRATCH
from bench.stack import measure


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.profile")
    parser.add_argument("--framework", default="aiogram", choices=["aiogram", "ptb"])
    parser.add_argument("--db", default="sqlite", choices=["sqlite", "postgresql"])
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    SCRATCH.mkdir(parents=True, exist_ok=True)
    out = SCRATCH / f"profile-{args.framework}-{args.db}.pstats"
    result = asyncio.run(measure("repaybot", args.framework, args.db, args.seconds, profile=out))
    print(
        f"{result.rate:.1f} updates/s, {result.cpu_ms:.1f} ms CPU per update (profiling slows both)"
    )
    stats = pstats.Stats(str(out))
    stats.sort_stats("cumulative").print_stats(30)
    stats.sort_stats("tottime").print_stats(30)
    print(f"profile written to {out}")


if __name__ == "__main__":
    main()
