"""Several bot processes on one PostgreSQL database, in webhook mode.

Three processes (two on aiogram, one on python-telegram-bot) receive the
updates of many chats in turn, some of them twice; every chat's replies come
complete, in order and never doubled, whichever process handled which update.
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
        bots = [
            BotProcess(
                {**env, "REPAYBOT_NODE_NAME": f"node-{i}"},
                [
                    "--framework",
                    framework,
                    "--webhook",
                    f"https://bot.example/{i}",
                    "--listen",
                    f"127.0.0.1:{port}",
                ],
                tmp_path,
            )
            for i, (framework, port) in enumerate(zip(frameworks, ports, strict=True))
        ]
        await asyncio.gather(*(b.start() for b in bots))  # migrations run once, under a lock
        try:
            await eventually(lambda: len(tg.method_calls("setWebhook")) == 3, timeout=60)

            async def converse(n: int, user: FakeUser) -> None:
                for k, line in enumerate(SCRIPT):
                    text = line.format(token=tokens[n])
                    fields: dict[str, Any] = {"text": text}
                    if text.startswith("/"):
                        length = len(text.split()[0])
                        fields["entities"] = [
                            {"type": "bot_command", "offset": 0, "length": length}
                        ]
                    update = {"update_id": next(update_ids), "message": user._message(**fields)}
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
        finally:
            await asyncio.gather(*(b.stop() for b in bots))
