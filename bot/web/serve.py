"""Serve the console with uvicorn, alone or beside the bot in the same process.

Beside the bot (the demo's terminal chat, `repaybot telegram --console`) the
console's live view hears the bot's commits through this process's hub, which is
what SQLite needs; on PostgreSQL it also hears other processes (LISTEN/NOTIFY).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import Generator

import uvicorn

from bot.bootstrap import App
from bot.service.canned import CannedRepliesError
from bot.web.app import create_app

log = logging.getLogger(__name__)


class _Embedded(uvicorn.Server):
    """A server that leaves signals to its host process (the chat, the Telegram bot)."""

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield


def address(host: str, port: int) -> str:
    return f"http://{host}:{port}/"


async def serve_console(
    app: App,
    *,
    host: str = "127.0.0.1",
    port: int = 8081,
    stop: asyncio.Event | None = None,
    secure_cookies: bool = False,
) -> None:
    """Serve until `stop` is set; without one, until SIGINT or SIGTERM. Beside a bot
    (with `stop`), a console that cannot start says why in the log and the bot goes on."""
    try:
        web = create_app(app, secure_cookies=secure_cookies)
    except CannedRepliesError as exc:
        if stop is None:
            raise
        log.error("the console did not start: %s", exc)
        return
    config = uvicorn.Config(
        web,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        lifespan="on",
        proxy_headers=secure_cookies,
    )
    if stop is None:
        await uvicorn.Server(config).serve()
        return
    try:
        # Bound here, not by uvicorn, which exits the whole process when it cannot
        # bind: the bot beside the console must go on, and the log says why.
        listening = socket.create_server((host, port))
    except OSError as exc:
        log.error("the console could not listen on %s: %s", address(host, port), exc.strerror)
        return
    server = _Embedded(config)
    task = asyncio.create_task(server.serve(sockets=[listening]))
    waiting = asyncio.create_task(stop.wait())
    await asyncio.wait({task, waiting}, return_when=asyncio.FIRST_COMPLETED)
    server.should_exit = True
    waiting.cancel()
    try:
        await task
    finally:
        listening.close()
