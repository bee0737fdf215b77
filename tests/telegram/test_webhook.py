"""Webhook mode: updates arrive by HTTP POST and Telegram's secret header is checked."""

from __future__ import annotations

import asyncio
import json
import socket
from pathlib import Path

import aiohttp

from bot.bootstrap import build_app
from bot.channels.telegram.runner import TelegramOptions, run
from bot.config import Settings
from bot.service.accounts_import import import_accounts
from tests.telegram.conftest import FIXTURES, clock
from tests.telegram.fake_bot_api import FakeTelegram

SECRET = "s3cret-token_1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def post(url: str, update: dict[str, object], secret: str | None) -> int:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, data=json.dumps(update), headers=headers) as response,
    ):
        return response.status


async def test_webhook_checks_the_secret_and_serves_the_dialog(
    database_url: str, framework: str, tmp_path: Path
) -> None:
    async with FakeTelegram() as tg:
        settings = Settings(
            database_url=database_url, telegram_token=tg.token, telegram_api_url=tg.base_url
        )
        app = await build_app(settings, clock=clock)
        await import_accounts(app.sessions, FIXTURES / "accounts.csv")
        port = free_port()
        stop = asyncio.Event()
        options = TelegramOptions(
            token=tg.token,
            api_url=tg.base_url,
            framework=framework,
            webhook_url="https://bot.example.test/telegram/webhook",
            webhook_secret=SECRET,
            listen_host="127.0.0.1",
            listen_port=port,
        )
        task = asyncio.create_task(run(app, options, stop))
        try:
            for _ in range(200):
                if tg.webhook.get("url"):
                    break
                await asyncio.sleep(0.05)
            assert tg.webhook == {
                "url": "https://bot.example.test/telegram/webhook",
                "secret_token": SECRET,
            }
            assert not tg.method_calls("getUpdates")
            user = tg.user(601, "Alex")
            update = {
                "update_id": 1,
                "message": {
                    "message_id": 1,
                    "date": 0,
                    "chat": tg.chats[601],
                    "from": {"id": 601, "is_bot": False, "first_name": "Alex"},
                    "text": "hello",
                },
            }
            url = f"http://127.0.0.1:{port}/telegram/webhook"
            for _ in range(100):  # the server may still be starting
                try:
                    assert await post(url, update, "wrong") in (401, 403)
                    break
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.05)
            assert await post(url, update, None) in (401, 403)
            assert tg.messages[601] == []  # nothing reached the bot
            assert await post(url, update, SECRET) == 200
            (welcome,) = await user.next_messages()
            assert "link your account" in welcome["text"]
        finally:
            stop.set()
            await asyncio.wait_for(task, 30)
            await app.close()
