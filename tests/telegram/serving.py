"""Serve an App on Telegram in webhook mode inside the test's process, and post to it.

Webhook mode lets a test say which App receives an update (each listens on its own
port), where long polling would hand the update to whichever App asked first.
"""

from __future__ import annotations

import asyncio
import io
import json
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import aiohttp

from bot.bootstrap import App
from bot.channels.telegram.runner import TelegramOptions, run
from bot.channels.telegram.webhook import PATH, SECRET_HEADER
from tests.telegram.fake_bot_api import FakeTelegram

SECRET = "webhook-secret_1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Served:
    """One App listening for Telegram's webhook posts."""

    url: str
    tg: FakeTelegram

    async def post_bytes(self, body: bytes, *, secret: str | None = SECRET) -> int:
        """POST a raw body as Telegram would; the HTTP status the bot answered."""
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers[SECRET_HEADER] = secret
        async with (
            aiohttp.ClientSession() as session,
            # A stream: aiohttp warns that a big bytes body would block its loop.
            session.post(self.url, data=io.BytesIO(body), headers=headers) as response,
        ):
            return response.status

    async def post(self, update: dict[str, Any]) -> int:
        """Deliver an update the stand-in made (a user's text or press) to this App."""
        body = {"update_id": self.tg.next_update_id(), **update}
        return await self.post_bytes(json.dumps(body).encode())


async def _listens(port: int) -> bool:
    try:
        _, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        return False
    writer.close()
    await writer.wait_closed()
    return True


@asynccontextmanager
async def serving(app: App, tg: FakeTelegram, framework: str) -> AsyncIterator[Served]:
    """Run `app` in webhook mode until the block ends; it listens once this yields."""
    port = free_port()
    stop = asyncio.Event()
    options = TelegramOptions(
        token=tg.token,
        api_url=tg.base_url,
        framework=framework,
        webhook_url=f"https://bot.example.test/{port}",
        webhook_secret=SECRET,
        listen_host="127.0.0.1",
        listen_port=port,
    )
    # The kernel may hand out the port an earlier App of this test listened on, and
    # the stand-in still remembers that App's webhook: forget it, so that waiting for
    # setWebhook below waits for this App.
    tg.webhook["url"] = ""
    task = asyncio.create_task(run(app, options, stop))
    try:
        for _ in range(400):  # setWebhook is called once the server listens
            if (tg.webhook.get("url") == options.webhook_url and await _listens(port)) or (
                task.done()
            ):
                break
            await asyncio.sleep(0.025)
        if task.done():
            task.result()  # the start failed: say why
        assert tg.webhook.get("url") == options.webhook_url, "the webhook never started"
        yield Served(f"http://127.0.0.1:{port}{PATH}", tg)
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)
