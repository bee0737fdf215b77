"""Webhook mode for both frameworks: keep the update in the inbox, then answer 200.

Telegram forgets an update once the webhook answers, so the answer waits for
the inbox write (a few milliseconds) and handling goes on after it. The
secret header Telegram sends is checked before anything is read.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from bot.channels.telegram.polling import CHANNEL, Dispatcher, Feed
from bot.service.inbox import Inbox

log = logging.getLogger(__name__)

PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name, not a secret


async def serve_webhook(
    *,
    inbox: Inbox,
    feed: Feed,
    secret: str | None,
    host: str,
    port: int,
    stop: asyncio.Event,
    on_ready: Callable[[], Awaitable[None]],
) -> None:
    dispatcher = Dispatcher(feed)
    for payload in await inbox.unhandled(CHANNEL):
        dispatcher.dispatch(payload)

    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if secret is not None and not hmac.compare_digest(given, secret):
            return web.Response(status=401)
        try:
            payload: dict[str, Any] = json.loads(await request.read())
            key = str(int(payload["update_id"]))
        except (ValueError, KeyError, TypeError):
            return web.Response(status=400)
        try:
            await inbox.record(CHANNEL, [(key, payload)])  # reruns on a dropped connection
        except Exception as exc:
            # The database stayed away: not kept, so not confirmed. Telegram posts
            # the update again later; a 503 says "try later", not "broken".
            log.error("inbox write failed, update %s refused: %s", key, type(exc).__name__)
            return web.Response(status=503)
        dispatcher.dispatch(payload)
        return web.Response(text="ok")

    application = web.Application()
    application.router.add_post(PATH, receive)
    runner = web.AppRunner(application)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    await on_ready()  # tell Telegram where to post only once we listen
    try:
        await stop.wait()
    finally:
        await runner.cleanup()
        await dispatcher.drain()
