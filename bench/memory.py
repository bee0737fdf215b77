"""Memory after 1,000 conversations through the service, in a process of its own."""

from __future__ import annotations

import asyncio
import gc
import os
import sys

from bench.common import DOB, ROOT, SCRATCH, Figure, rss_mib, scratch_database, write_accounts
from bench.seams import build, handle_event, import_file, text_event

CONVERSATIONS = 1_000
ACCOUNTS = 100
LINES = ("/start", DOB, "Pay in installments")


async def _worker(url: str) -> None:
    app = await build(url)
    try:
        SCRATCH.mkdir(parents=True, exist_ok=True)
        await import_file(app, write_accounts(SCRATCH / "memory-accounts.csv", ACCOUNTS))
        gc.collect()
        before = rss_mib()
        update = 0
        for batch in range(0, CONVERSATIONS, 50):

            async def one(n: int) -> None:
                nonlocal update
                for line in LINES:
                    update += 1
                    await handle_event(
                        app,
                        chat_key=f"mem-{n}",
                        account_id=f"B-{n % ACCOUNTS:07d}",
                        event=text_event(line),
                        update_key=f"u{update}",
                    )

            await asyncio.gather(*(one(n) for n in range(batch, batch + 50)))
        gc.collect()
        print(f"{before:.1f} {rss_mib():.1f}")
    finally:
        await app.close()


async def run() -> list[Figure]:
    async with scratch_database("sqlite") as url:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bench.memory",
            url,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=asyncio.subprocess.PIPE,
        )
        out, _ = await process.communicate()
    before, after = (float(x) for x in out.decode().split()[-2:])
    return [
        Figure(
            f"memory after {CONVERSATIONS:,} conversations, sqlite",
            after,
            before,
            "MiB",
            "the same process before them",
            False,
        ),
    ]


if __name__ == "__main__":
    asyncio.run(_worker(sys.argv[1]))
