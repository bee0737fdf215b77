"""Long polling that never loses an update: fetch, keep in the inbox, then confirm.

Telegram confirms updates by the offset of the next getUpdates. Both framework
loops (aiogram's and PTB's) confirm before their handlers have finished, so a
crash would lose what was in flight. This loop writes every fetched update to
the inbox first, then asks for the next batch (which confirms the last), and
hands each update to the framework to dispatch. At start it replays what the
inbox holds unhandled.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from bot.errors import ChannelError
from bot.service.inbox import Inbox

log = logging.getLogger(__name__)

CHANNEL = "telegram"
Fetch = Callable[[int | None, int], Awaitable[list[dict[str, Any]]]]
Feed = Callable[[dict[str, Any]], Awaitable[None]]


class Dispatcher:
    """Hands updates to the framework as tasks, many chats at once."""

    def __init__(self, feed: Feed) -> None:
        self._feed = feed
        self._tasks: set[asyncio.Task[None]] = set()

    def dispatch(self, payload: dict[str, Any]) -> None:
        task = asyncio.create_task(_quietly(self._feed, payload))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self) -> None:
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)


async def poll(
    *, inbox: Inbox, fetch: Fetch, feed: Feed, stop: asyncio.Event, wait_seconds: int
) -> None:
    dispatcher = Dispatcher(feed)
    dispatch = dispatcher.dispatch
    for payload in await inbox.unhandled(CHANNEL):
        dispatch(payload)
    offset: int | None = None
    backoff = 1.0
    while not stop.is_set():
        fetching = asyncio.ensure_future(fetch(offset, wait_seconds))
        stopping = asyncio.ensure_future(stop.wait())
        done, _ = await asyncio.wait({fetching, stopping}, return_when=asyncio.FIRST_COMPLETED)
        if fetching not in done:
            fetching.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await fetching
            break
        stopping.cancel()
        try:
            updates = fetching.result()
        except ChannelError as exc:
            log.warning("getUpdates failed: %s", type(exc).__name__)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=backoff)
            backoff = min(backoff * 2, 30.0)
            continue
        backoff = 1.0
        if not updates:
            continue
        await inbox.record(CHANNEL, [(str(u["update_id"]), u) for u in updates])
        offset = max(int(u["update_id"]) for u in updates) + 1
        for payload in updates:
            dispatch(payload)
    await dispatcher.drain()


async def _quietly(feed: Feed, payload: dict[str, Any]) -> None:
    try:
        await feed(payload)
    except Exception as exc:  # the runtime already apologised; keep polling
        log.error("update %s not dispatched: %s", payload.get("update_id"), type(exc).__name__)
