"""Several bot processes on one PostgreSQL database, in webhook mode.

Three processes (two on aiogram, one on python-telegram-bot) receive the
updates of many chats in turn, some of them twice; every chat's replies come
complete, in order and never doubled, whichever process handled which update.
They run with the default configuration, as a deployment would: no node name,
so all of them are on one node (this host) and tell each other apart only by
their generated worker ids. A process starting while a sibling sends takes
nothing from it (issue 33).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import socket
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy import func, select

from bot.store.db import create_engine
from bot.store.tables import WorkerRow
from tests.telegram.fake_bot_api import FakeTelegram, FakeUser
from tests.telegram.processes import BotProcess, bot_env, eventually, prepare

SECRET = "multi-process-secret"
CHATS = 8
SCRIPT = ("/start {token}", "1990-05-17", "/help", "/language", "hello?")
EXPECTED = ("automated assistant", "Total due", "/human", "choose your language", "didn't")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _webhook_args(i: int, framework: str, port: int) -> list[str]:
    return [
        *("--framework", framework, "--webhook", f"https://bot.example/{i}"),
        *("--listen", f"127.0.0.1:{port}"),
    ]


def _sends_to(tg: FakeTelegram, chat_id: int) -> int:
    """What the Bot API received for the chat, answered or still on the wire."""
    return sum(1 for c in tg.method_calls("sendMessage") if int(c["chat_id"]) == chat_id)


async def _workers(database_url: str) -> int:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            query = select(func.count()).select_from(WorkerRow)
            return int((await connection.execute(query)).scalar_one())
    finally:
        await engine.dispose()


async def _post(session: aiohttp.ClientSession, port: int, update: dict[str, Any]) -> None:
    async with session.post(
        f"http://127.0.0.1:{port}/telegram/webhook",
        data=json.dumps(update),
        headers={"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"},
    ) as response:
        assert response.status == 200


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_three_processes_serve_many_chats_in_order_and_once(
    database_url: str, tmp_path: Path
) -> None:
    tokens = await prepare(database_url, ["T-EN"] * CHATS)
    ports = [_free_port() for _ in range(3)]
    frameworks = ["aiogram", "ptb", "aiogram"]
    update_ids = itertools.count(1)
    async with FakeTelegram() as tg, aiohttp.ClientSession() as http:
        env = bot_env(database_url, tg.token, tg.base_url, REPAYBOT_TELEGRAM_WEBHOOK_SECRET=SECRET)
        assert "REPAYBOT_NODE_NAME" not in env  # one node for all: this host
        bots = [
            BotProcess(env, _webhook_args(i, framework, port), tmp_path)
            for i, (framework, port) in enumerate(zip(frameworks, ports, strict=True))
        ]
        await asyncio.gather(*(b.start() for b in bots))  # migrations run once, under a lock
        try:
            await eventually(lambda: len(tg.method_calls("setWebhook")) == 3, timeout=60)

            async def converse(n: int, user: FakeUser) -> None:
                for k, line in enumerate(SCRIPT):
                    text = line.format(token=tokens[n])
                    update = {"update_id": next(update_ids), **user.text_update(text)}
                    await _post(http, ports[(n + k) % 3], update)
                    if (n + k) % 4 == 0:  # Telegram retries: the same update to another process
                        await _post(http, ports[(n + k + 1) % 3], update)
                    await user.wait_for(k + 1, timeout=30)

            users = [tg.user(700 + n, f"User{n}") for n in range(CHATS)]
            await asyncio.gather(*(converse(n, u) for n, u in enumerate(users)))
            await asyncio.sleep(1.5)  # a second pass of every outbox loop
            for user in users:
                texts = [m["text"] for m in user.messages]
                assert len(texts) == len(SCRIPT), texts
                for text, marker in zip(texts, EXPECTED, strict=True):
                    assert marker in text, (marker, text)
                assert _sends_to(tg, user.user_id) == len(SCRIPT)  # none sent twice
        finally:
            await asyncio.gather(*(b.stop() for b in bots))


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_a_process_starting_beside_a_live_sibling_takes_none_of_its_work(
    database_url: str, tmp_path: Path
) -> None:
    """Issue 33 point 2: a starting process took back every lease of its node as if it
    replaced a dead predecessor, so a sibling's reply on the wire was sent again."""
    tokens = await prepare(database_url, ["T-EN"] * 3)
    ports = [_free_port() for _ in range(3)]
    frameworks = ["aiogram", "ptb", "aiogram"]
    ids = itertools.count(1)
    async with FakeTelegram() as tg, aiohttp.ClientSession() as http:
        env = bot_env(database_url, tg.token, tg.base_url, REPAYBOT_TELEGRAM_WEBHOOK_SECRET=SECRET)
        assert "REPAYBOT_NODE_NAME" not in env
        bots = [
            BotProcess(env, _webhook_args(i, framework, port), tmp_path)
            for i, (framework, port) in enumerate(zip(frameworks, ports, strict=True))
        ]
        users = [tg.user(800 + n, f"Late{n}") for n in range(3)]
        try:
            await asyncio.gather(bots[0].start(), bots[1].start())
            await eventually(lambda: len(tg.method_calls("setWebhook")) == 2, timeout=60)
            tg.hold("sendMessage")  # the first process's greeting stays on the wire...
            await _post(http, ports[0], _command(users[0], next(ids), f"/start {tokens[0]}"))
            await eventually(lambda: _sends_to(tg, users[0].user_id) == 1)
            await bots[2].start()  # ...while a third starts on the same host
            await eventually(lambda: len(tg.method_calls("setWebhook")) == 3, timeout=60)
            await asyncio.sleep(2.5)  # every process's delivery loop passes twice
            assert _sends_to(tg, users[0].user_id) == 1  # nobody took the live lease
            tg.release("sendMessage")
            await users[0].wait_for(1, timeout=30)

            for n, user in enumerate(users[1:], start=1):  # and all three keep serving
                await _post(http, ports[n], _command(user, next(ids), f"/start {tokens[n]}"))
            for n, user in enumerate(users):
                await user.wait_for(1, timeout=30)
                await _post(http, ports[(n + 1) % 3], _command(user, next(ids), "1990-05-17"))
                await user.wait_for(2, timeout=30)
            await asyncio.sleep(1.5)  # a second pass of every outbox loop
            for user in users:
                assert "automated assistant" in user.texts[0]
                assert "Total due" in user.texts[1]
                assert (len(user.messages), _sends_to(tg, user.user_id)) == (2, 2)
        finally:
            tg.release("sendMessage")
            await asyncio.gather(*(b.stop() for b in bots))
        # Stopped cleanly, each signed off: a successor would not wait for them.
        assert await _workers(database_url) == 0


def _command(user: FakeUser, update_id: int, text: str) -> dict[str, Any]:
    return {"update_id": update_id, **user.text_update(text)}


def _press(user: FakeUser, update_id: int, label: str) -> dict[str, Any]:
    message = next(m for m in reversed(user.messages) if user.keyboard(m))
    data = dict(user.keyboard(message))[label]
    return {"update_id": update_id, **user.press_update(data, message)}


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_races_double_taps_and_a_dead_process_hold_across_processes(
    database_url: str, tmp_path: Path
) -> None:
    """Issue 15 point 4: one link raced from two processes links one user; a double
    tap sent to both processes makes one plan; a process killed mid-send does not
    keep its chat silent: the other process takes the dead lease back."""
    (token,) = await prepare(database_url, ["T-EN"])
    ports = [_free_port() for _ in range(2)]
    ids = itertools.count(1)
    async with FakeTelegram() as tg, aiohttp.ClientSession() as http:
        env = bot_env(database_url, tg.token, tg.base_url, REPAYBOT_TELEGRAM_WEBHOOK_SECRET=SECRET)
        bots = [
            BotProcess(env, _webhook_args(i, framework, port), tmp_path)
            for i, (framework, port) in enumerate(zip(("aiogram", "ptb"), ports, strict=True))
        ]
        await asyncio.gather(*(b.start() for b in bots))
        try:
            await eventually(lambda: len(tg.method_calls("setWebhook")) == 2, timeout=60)
            racers = [tg.user(750 + n, f"Racer{n}") for n in range(6)]
            await asyncio.gather(
                *(
                    _post(http, ports[n % 2], _command(u, next(ids), f"/start {token}"))
                    for n, u in enumerate(racers)
                )
            )
            for racer in racers:
                await racer.wait_for(1, timeout=30)
            (winner,) = [u for u in racers if "date of birth" in u.texts[0]]
            assert sum("no longer valid" in u.texts[0] for u in racers) == 5

            steps: list[tuple[str, str]] = [
                ("text", "1990-05-17"),
                ("press", "Pay in installments"),
                ("press", "3 monthly payments of $440.17"),
            ]
            for n, (kind, value) in enumerate(steps, start=2):
                make = _command if kind == "text" else _press
                await _post(http, ports[n % 2], make(winner, next(ids), value))
                await winner.wait_for(n, timeout=30)
            taps = [_press(winner, next(ids), "Yes, set it up") for _ in range(2)]
            await asyncio.gather(
                *(_post(http, port, t) for port, t in zip(ports, taps, strict=True))
            )
            await winner.wait_for(5, timeout=30)
            await asyncio.sleep(1.5)
            assert sum("Your plan is set up" in t for t in winner.texts) == 1
            assert len(winner.messages) == 5

            tg.slow("sendMessage", 120)  # process 0's answer hangs on the wire...
            sends = len(tg.method_calls("sendMessage"))
            await _post(http, ports[0], _command(winner, next(ids), "/help"))
            await eventually(lambda: len(tg.method_calls("sendMessage")) > sends, timeout=30)
            await bots[0].kill()  # ...and process 0 dies holding the lease
            tg.slow("sendMessage", 0)
            await _post(http, ports[1], _command(winner, next(ids), "/language"))
            # Process 1 (on the same node) takes the dead lease back once process 0's
            # heartbeat is stale (DEAD_AFTER), well before the lease would run out.
            await winner.wait_for(7, timeout=45)
            texts = winner.texts
            assert "/human" in texts[5] and "choose your language" in texts[6]
        finally:
            await asyncio.gather(*(b.stop() for b in bots))
