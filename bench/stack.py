"""The full stack over loopback: a bot process polling a local Bot API stand-in.

The stand-in (tests/telegram/fake_bot_api.py) and the borrowers typing run in
this process; the bot runs alone in a child process (bench/serve.py), so its
CPU time per update is its own. Three figures per bot: updates per second with
16 chats typing as fast as they are answered, latency p50/p99 at a steady 30
updates per second, and CPU milliseconds per update.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.common import (
    DOB,
    ROOT,
    SCRATCH,
    Figure,
    cpu_seconds,
    percentile,
    scratch_database,
    write_accounts,
)
from bench.seams import build, import_file, link_token
from tests.telegram.fake_bot_api import FakeTelegram

CHATS = 16
STEADY_RATE = 30.0
CYCLE = ("/start", DOB, "Pay in installments", "/help")
ECHO_CYCLE = ("hello", "how much do I owe", "I can pay 100 a month", "thanks")
REPLY_TIMEOUT = 10.0


class LoopbackTelegram(FakeTelegram):
    """The test stand-in, plus the moment each reply arrives, per chat."""

    def __init__(self) -> None:
        super().__init__()
        self.arrivals: defaultdict[int, asyncio.Queue[float]] = defaultdict(asyncio.Queue)

    async def _m_sendmessage(self, params: dict[str, Any]) -> dict[str, Any]:
        message = await super()._m_sendmessage(params)
        self.arrivals[int(message["chat"]["id"])].put_nowait(time.perf_counter())
        return message


@dataclass
class Load:
    tg: LoopbackTelegram
    cycle: tuple[str, ...]
    replies: list[int] = field(default_factory=list)  # replies expected for each cycle entry
    turn: dict[int, int] = field(default_factory=dict)
    missing: int = 0
    extra: int = 0

    def drain(self, chat: int) -> None:
        queue = self.tg.arrivals[chat]
        while not queue.empty():
            queue.get_nowait()
            self.extra += 1

    async def say(self, chat: int) -> float | None:
        """Send the chat's next line; seconds until its whole answer arrived (None: lost)."""
        self.drain(chat)
        turn = self.turn.get(chat, 0)
        self.turn[chat] = turn + 1
        user = self.tg.user(chat)
        sent = time.perf_counter()
        await user.send_text(self.cycle[turn % len(self.cycle)])
        last = sent
        for _ in range(self.replies[turn % len(self.cycle)]):
            try:
                last = await asyncio.wait_for(self.tg.arrivals[chat].get(), REPLY_TIMEOUT)
            except TimeoutError:
                self.missing += 1
                return None
        return last - sent

    async def probe(self, chat: int) -> None:
        """How many messages answer each line of the cycle (asked slowly, once)."""
        self.drain(chat)
        self.extra = 0
        for line in self.cycle:
            await self.tg.user(chat).send_text(line)
            first = await asyncio.wait_for(self.tg.arrivals[chat].get(), REPLY_TIMEOUT)
            del first
            await asyncio.sleep(0.7)
            count = 1
            while not self.tg.arrivals[chat].empty():
                self.tg.arrivals[chat].get_nowait()
                count += 1
            self.replies.append(count)
        self.turn[chat] = 0


async def _saturate(load: Load, seconds: float) -> tuple[int, float]:
    done = 0
    deadline = time.perf_counter() + seconds

    async def chat(n: int) -> None:
        nonlocal done
        while time.perf_counter() < deadline:
            if await load.say(n) is not None:
                done += 1

    started = time.perf_counter()
    await asyncio.gather(*(chat(n) for n in _chat_ids()))
    return done, time.perf_counter() - started


async def _steady(load: Load, seconds: float) -> list[float]:
    latencies: list[float] = []
    interval = CHATS / STEADY_RATE
    start = time.perf_counter() + 0.2

    async def chat(index: int, n: int) -> None:
        due = start + index * interval / CHATS
        while due < start + seconds:
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            latency = await load.say(n)
            if latency is not None:
                latencies.append(latency)
            due += interval

    await asyncio.gather(*(chat(i, n) for i, n in enumerate(_chat_ids())))
    return latencies


def _chat_ids() -> list[int]:
    return [9000 + n for n in range(CHATS)]


@dataclass
class StackResult:
    rate: float
    cpu_ms: float
    p50_ms: float
    p99_ms: float
    missing: int
    extra: int
    replies: list[int]
    sample: list[str]


async def _start_server(
    target: str, framework: str, url: str, tg: FakeTelegram, profile: Path | None
) -> asyncio.subprocess.Process:
    command = [sys.executable, "-m", "bench.serve", target, "--framework", framework, "--db", url]
    command += ["--api", tg.base_url, "--token", tg.token]
    if profile is not None:
        command += ["--profile", str(profile)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = await asyncio.create_subprocess_exec(*command, cwd=ROOT, env=env)
    for _ in range(600):
        if tg.method_calls("getUpdates"):
            return process
        if process.returncode is not None:
            raise RuntimeError(f"{target} exited with {process.returncode}")
        await asyncio.sleep(0.05)
    raise RuntimeError(f"{target} never polled")


async def _stop_server(process: asyncio.subprocess.Process) -> None:
    with contextlib.suppress(ProcessLookupError):
        process.send_signal(signal.SIGTERM)
    try:
        await asyncio.wait_for(process.wait(), 30)
    except TimeoutError:
        process.kill()
        await process.wait()


async def measure(
    target: str, framework: str, kind: str, seconds: float, profile: Path | None = None
) -> StackResult:
    async with scratch_database(kind) as url, LoopbackTelegram() as tg:
        tokens: dict[int, str] = {}
        if target == "repaybot":
            app = await build(url)
            try:
                SCRATCH.mkdir(parents=True, exist_ok=True)
                await import_file(app, write_accounts(SCRATCH / "stack-accounts.csv", CHATS))
                for index, chat in enumerate(_chat_ids()):
                    tokens[chat] = await link_token(app, f"B-{index:07d}")
            finally:
                await app.close()
        process = await _start_server(target, framework, url, tg, profile)
        try:
            for chat in _chat_ids():
                user = tg.user(chat, f"Borrower {chat}")
                if chat in tokens:
                    await user.send_command("/start", tokens[chat])
                    await asyncio.wait_for(tg.arrivals[chat].get(), REPLY_TIMEOUT)
            load = Load(tg, CYCLE if target == "repaybot" else ECHO_CYCLE)
            await asyncio.sleep(0.5)
            await load.probe(_chat_ids()[0])
            await _saturate(load, 1.0)  # warm up
            load.missing = load.extra = 0
            cpu_before = cpu_seconds(process.pid)
            done, elapsed = await _saturate(load, seconds)
            cpu = cpu_seconds(process.pid) - cpu_before
            await asyncio.sleep(1.0)
            latencies = await _steady(load, seconds)
        finally:
            await _stop_server(process)
        return StackResult(
            rate=done / elapsed,
            cpu_ms=cpu / max(done, 1) * 1000,
            p50_ms=percentile(latencies, 50) * 1000,
            p99_ms=percentile(latencies, 99) * 1000,
            missing=load.missing,
            extra=load.extra,
            replies=load.replies,
            sample=[str(m.get("text", ""))[:60] for m in tg.messages.get(_chat_ids()[0], [])[-6:]],
        )


async def run(databases: list[str], frameworks: list[str], quick: bool) -> list[Figure]:
    seconds = 5.0 if quick else 12.0
    echo = await measure("aiogram-echo", "aiogram", "sqlite", seconds)
    figures: list[Figure] = []
    baselines = {"aiogram-echo": echo}
    for kind in databases:
        baselines[f"insert-{kind}"] = await measure("aiogram-echo-insert", "aiogram", kind, seconds)
        baselines[f"stock-{kind}"] = await measure(
            "aiogram-echo-insert-stock", "aiogram", kind, seconds
        )
    if "ptb" in frameworks:
        baselines["ptb-echo"] = await measure("ptb-echo", "ptb", "sqlite", seconds)
    for framework in frameworks:
        for kind in databases:
            ours = await measure("repaybot", framework, kind, seconds)
            insert = baselines[f"insert-{kind}"]
            stock = baselines[f"stock-{kind}"]
            stock_name = f"the same, SQLAlchemy's stock engine, {kind}"
            same = baselines["ptb-echo"] if framework == "ptb" else echo
            label = f"{framework}, {kind}"
            note = f"lost {ours.missing}, extra replies {ours.extra}"
            figures += [
                Figure(
                    f"updates/s saturated, {label}",
                    ours.rate,
                    insert.rate,
                    "upd/s",
                    f"aiogram echo + SQLAlchemy insert, {kind}",
                    note=note,
                ),
                Figure(f"updates/s saturated, {label}", ours.rate, stock.rate, "upd/s", stock_name),
                Figure(
                    f"updates/s saturated, {label}",
                    ours.rate,
                    same.rate,
                    "upd/s",
                    f"{'PTB' if framework == 'ptb' else 'aiogram'} echo",
                ),
                Figure(
                    f"CPU per update, {label}",
                    ours.cpu_ms,
                    insert.cpu_ms,
                    "ms",
                    f"aiogram echo + SQLAlchemy insert, {kind}",
                    False,
                ),
                Figure(
                    f"CPU per update, {label}", ours.cpu_ms, stock.cpu_ms, "ms", stock_name, False
                ),
                Figure(
                    f"CPU per update, {label}",
                    ours.cpu_ms,
                    same.cpu_ms,
                    "ms",
                    f"{'PTB' if framework == 'ptb' else 'aiogram'} echo",
                    False,
                ),
                Figure(
                    f"latency p50 at 30/s, {label}",
                    ours.p50_ms,
                    insert.p50_ms,
                    "ms",
                    f"aiogram echo + SQLAlchemy insert, {kind}",
                    False,
                ),
                Figure(
                    f"latency p99 at 30/s, {label}",
                    ours.p99_ms,
                    insert.p99_ms,
                    "ms",
                    f"aiogram echo + SQLAlchemy insert, {kind}",
                    False,
                ),
            ]
    return figures
