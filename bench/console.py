"""The agents' console at a bank's scale: 10,000 open escalations, a conversation of
500 messages, 50 agents connected live (issue 29 point 7).

The portfolio goes in through the real import; conversations, escalations and the
long transcript are bulk-inserted rows of the real tables (what the runtime would
have written, faster). The console then runs in its own process, as
`repaybot console` serves it, so its CPU time is its own; a client signs in and
times real HTTP requests over loopback: the queue page, a conversation page, and
the CRM API's list and transcript. The conversation page draws the newest 100 lines
(desk_transcript.PAGE); "Earlier messages" brings the 100 before, a figure of
its own. Then 50 event streams stay open and idle for
10 s while the server's CPU time is read from /proc.

    python -m bench --only console [--db sqlite] [--quick]
    python -m bench.console serve URL PORT     # the console process (used by the bench)
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import socket
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx

from bench.common import ROOT, SCRATCH, Figure, cpu_seconds, percentile, write_accounts

ESCALATIONS = 10_000
MESSAGES = 500
STREAMS = 50
IDLE_SECONDS = 10.0
PASSWORD = "bench console password"
# A worklist's mix: a few crises, some complaints and locks, mostly plain requests.
REASONS = (
    ("crisis", "urgent", 1),
    ("complaint", "high", 4),
    ("verification_locked", "high", 5),
    ("requested", "normal", 60),
    ("hardship", "normal", 20),
    ("repeated_failure", "normal", 10),
)
LOCALES = ("en", "zh_Hans", "zh_Hant")


def _reason(n: int) -> tuple[str, str]:
    slot = n % sum(weight for _, _, weight in REASONS)
    for reason, priority, weight in REASONS:
        if slot < weight:
            return reason, priority
        slot -= weight
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class Seeded:
    conversation_id: int  # the conversation of MESSAGES lines
    ticket: str  # its escalation
    token: str  # a CRM token with the agent role


async def seed(url: str, escalations: int, messages: int) -> Seeded:
    """The portfolio, `escalations` open ones, one conversation of `messages`
    lines, a console user `bench` and a CRM token."""
    from sqlalchemy import insert, select
    from sqlmodel import col

    from bench.seams import NOW, build, import_file
    from bot.service import people, worklist
    from bot.service.people import Role
    from bot.store.tables import ConversationRow, EscalationRow, OutboxRow, TranscriptRow

    SCRATCH.mkdir(parents=True, exist_ok=True)
    app = await build(url)
    try:
        await import_file(app, write_accounts(SCRATCH / "console-accounts.csv", escalations))
        opened = NOW - timedelta(hours=6)
        async with app.sessions() as session, session.begin():
            await session.execute(
                insert(ConversationRow),
                [
                    {
                        "channel": "bench",
                        "chat_key": f"chat-{n}",
                        "user_key": f"chat-{n}",
                        "account_id": f"B-{n:07d}",
                        "script_id": "repayment",
                        "script_version": "bench",
                        "locale": LOCALES[n % 3],
                        "frames": ["menu"],
                        "choices": [],
                        "vars": {},
                        "verified": True,
                        "started": True,
                        "created_at": opened,
                        "updated_at": opened,
                    }
                    for n in range(escalations)
                ],
            )
            chats = select(col(ConversationRow.chat_key), col(ConversationRow.id))
            ids = {key: int(id_ or 0) for key, id_ in await session.execute(chats)}
            await session.execute(
                insert(EscalationRow),
                [
                    {
                        "ticket": f"T-{n:07d}",
                        "account_id": f"B-{n:07d}",
                        "conversation_id": ids[f"chat-{n}"],
                        "reason": _reason(n)[0],
                        "priority": _reason(n)[1],
                        "status": "open",
                        "owner": "queue",
                        # spread over the last six hours: some fresh, some past the SLA
                        "created_at": opened + timedelta(seconds=(n * 37) % 21_600),
                    }
                    for n in range(escalations)
                ],
            )
            # Each case's place in the worklist, as the runtime writes it when a case opens.
            await worklist.reweigh(session, NOW)
            long = ids["chat-0"]
            lines: list[dict[str, Any]] = []
            outbox: list[dict[str, Any]] = []
            for n in range(messages):
                at = opened - timedelta(minutes=messages - n)
                base = {"conversation_id": long, "account_id": "B-0000000"}
                if n % 2 == 0:
                    lines.append(base | {"direction": "in", "kind": "text", "text": f"msg {n}"})
                else:
                    key = f"bench-{n}"
                    lines.append(
                        base
                        | {
                            "direction": "out",
                            "kind": "text",
                            "text": f"Reply {n}: your balance is $1,234.56.",
                            "payload": {"outbox": [key]},
                        }
                    )
                    outbox.append(
                        {
                            "conversation_id": long,
                            "channel": "bench",
                            "chat_key": "chat-0",
                            "idempotency_key": key,
                            "payload": {"text": "..."},
                            "status": "sent",
                            "next_attempt_at": at,
                            "created_at": at,
                            "sent_at": at,
                        }
                    )
                lines[-1] |= {"script_version": "bench", "created_at": at}
            await session.execute(insert(TranscriptRow), lines)
            await session.execute(insert(OutboxRow), outbox)
            await people.add_user(
                session, name="bench", role=Role.AGENT, password=PASSWORD, now=NOW
            )
            token = await people.add_token(session, name="bench-crm", role=Role.AGENT, now=NOW)
        return Seeded(long, "T-0000000", token)
    finally:
        await app.close()


async def _serve(url: str, port: int) -> None:
    """The console process: `repaybot console` on this database, until SIGTERM."""
    from bench.seams import build
    from bot.web.serve import serve_console

    app = await build(url)
    try:
        await serve_console(app, port=port)
    finally:
        await app.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.asynccontextmanager
async def _console(url: str) -> AsyncIterator[tuple[int, str]]:
    port = _free_port()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.console",
        "serve",
        url,
        str(port),
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient() as probe:
            for _ in range(300):
                with contextlib.suppress(httpx.TransportError):
                    await probe.get(f"{base}/login")
                    break
                await asyncio.sleep(0.1)
            else:
                raise RuntimeError("the console did not start")
        yield process.pid, base
    finally:
        process.terminate()
        await process.wait()


async def _signed_in(base: str) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=base, timeout=30)
    page = await client.get("/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf, "no sign-in form"
    done = await client.post(
        "/login", data={"name": "bench", "password": PASSWORD, "csrf": csrf.group(1)}
    )
    assert done.status_code == 303 and done.headers["location"] == "/queue", done.text
    return client


@dataclass(frozen=True)
class Timed:
    times: list[float]  # ms per request, as the client waited
    cpu: float  # the console process's CPU ms per request (steadier on a shared machine)


async def _timed(
    client: httpx.AsyncClient, pid: int, path: str, rounds: int, **headers: str
) -> Timed:
    await client.get(path, headers=headers)  # warm: templates compiled, caches filled
    times = []
    before = cpu_seconds(pid)
    for _ in range(rounds):
        started = time.perf_counter()
        response = await client.get(path, headers=headers)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"GET {path}: {response.status_code}")
    return Timed(times, (cpu_seconds(pid) - before) * 1000 / rounds)


async def _earlier_path(client: httpx.AsyncClient, page: str) -> str:
    """The page's "Earlier messages" request: the lines before the oldest drawn."""
    html = (await client.get(page)).text
    found = re.search(r'hx-get="(/c/\d+/lines\?before=\d+)"', html)
    if found is None:
        raise RuntimeError(f"GET {page}: no earlier lines to ask for")
    return found.group(1)


def _figures(label: str, timed: Timed, target: float) -> Figure:
    times = timed.times
    p50, p95, top = percentile(times, 50), percentile(times, 95), max(times)
    return Figure(
        f"{label} p95",
        p95,
        None,
        "ms",
        higher_is_better=False,
        note=(
            f"p50 {p50:.1f} ms, max {top:.1f} ms, {len(times)} requests, console CPU"
            f" {timed.cpu:.1f} ms a request; target < {target:.0f} ms"
        ),
    )


async def _idle_cpu(base: str, client: httpx.AsyncClient, pid: int, count: int) -> float:
    """CPU seconds the console spends in IDLE_SECONDS with `count` event streams open
    (none: what the console costs idle on its own, its clock and listener included)."""
    async with contextlib.AsyncExitStack() as streams:
        for _ in range(count):
            response = await streams.enter_async_context(client.stream("GET", "/events"))
            lines = response.aiter_lines()
            first = await anext(lines)
            assert first.startswith(": connected"), first
        await asyncio.sleep(1)  # the last stream settled
        before = cpu_seconds(pid)
        await asyncio.sleep(IDLE_SECONDS)
        return cpu_seconds(pid) - before


async def run(databases: list[str], quick: bool) -> list[Figure]:
    from bench.common import scratch_database
    from bot.store.db import upgrade

    rounds = 30 if quick else 100
    figures: list[Figure] = []
    for kind in databases:
        async with scratch_database(kind) as url:
            await upgrade(url)
            started = time.perf_counter()
            seeded = await seed(url, ESCALATIONS, MESSAGES)
            seconds = time.perf_counter() - started
            async with _console(url) as (pid, base):
                client = await _signed_in(base)
                limits = httpx.Limits(max_connections=STREAMS + 10)
                streams = httpx.AsyncClient(
                    base_url=base, cookies=client.cookies, limits=limits, timeout=60
                )
                bearer = {"Authorization": f"Bearer {seeded.token}"}
                try:
                    label = f"{kind}, {ESCALATIONS:,} open"
                    queue = await _timed(client, pid, "/queue", rounds)
                    api = await _timed(client, pid, "/api/escalations", rounds, **bearer)
                    talk_path = f"/c/{seeded.conversation_id}"
                    talk = await _timed(client, pid, talk_path, rounds)
                    earlier = await _timed(
                        client, pid, await _earlier_path(client, talk_path), rounds
                    )
                    lines = await _timed(
                        client,
                        pid,
                        f"/api/escalations/{seeded.ticket}/transcript",
                        rounds,
                        **bearer,
                    )
                    alone = await _idle_cpu(base, streams, pid, 0)
                    idle = await _idle_cpu(base, streams, pid, STREAMS)
                finally:
                    await client.aclose()
                    await streams.aclose()
            figures += [
                _figures(f"queue page GET /queue, {label}", queue, 200),
                _figures(f"API GET /api/escalations, {label}", api, 200),
                _figures(f"conversation page GET /c/<id>, {kind}, {MESSAGES} lines", talk, 150),
                _figures(f"conversation, earlier lines, {kind}, {MESSAGES} lines", earlier, 150),
                _figures(f"API transcript, {kind}, {MESSAGES} lines", lines, 150),
                Figure(
                    f"console CPU, {STREAMS} idle event streams for {IDLE_SECONDS:.0f} s, {kind}",
                    idle * 1000,
                    None,
                    "ms",
                    higher_is_better=False,
                    note=f"seeded in {seconds:.0f} s; with no stream open {alone * 1000:.0f} ms",
                ),
            ]
    return figures


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        asyncio.run(_serve(sys.argv[2], int(sys.argv[3])))
