"""Long polling that never loses an update: fetch, keep in the inbox, then confirm.

Telegram confirms updates by the offset of the next getUpdates. Both framework
loops (aiogram's and PTB's) confirm before their handlers have finished, so a
crash would lose what was in flight. This loop writes every fetched update to
the inbox first, then asks for the next batch (which confirms the last), and
hands each update to the framework to dispatch. At start it replays what the
inbox holds unhandled.

The database may go away (a failover, a restart): each inbox call already reruns
on a fresh connection (bot.store.retry), and when the outage outlasts that, the
loop keeps the batch, waits and writes it again, and only then asks for the next
one. Telegram keeps what was not confirmed, so nothing is lost, and the process
lives on. Once the database is back, updates whose handling gave up meanwhile
are taken from the inbox again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from enum import Enum
from typing import Any

from bot.errors import ChannelError
from bot.service.inbox import Inbox

log = logging.getLogger(__name__)

CHANNEL = "telegram"
# The kinds of update a conversation is made of; both adapters handle exactly these.
# Telegram is asked for these alone (`allowed_updates`), and anything else that still
# arrives (an edit, a reaction) is confirmed and dropped, never kept: kept, nothing
# would ever claim it and it would be handed round again at every start.
CONVERSATION_KINDS = ("message", "channel_post", "callback_query", "my_chat_member")


def conversational(payload: dict[str, Any]) -> bool:
    """Whether the update is one a conversation is made of (see CONVERSATION_KINDS)."""
    return any(kind in payload for kind in CONVERSATION_KINDS)


# Handling that gave up while the database was away longer than its retries leaves
# the update in the inbox, unhandled. A sweep hands such updates round again: every
# SWEEP_EVERY, those kept at least SWEEP_AGE ago (younger ones are still on their way).
SWEEP_EVERY = 30.0
SWEEP_AGE = timedelta(seconds=30)

Fetch = Callable[[int | None, int], Awaitable[list[dict[str, Any]]]]
Feed = Callable[[dict[str, Any]], Awaitable[None]]


class Dispatcher:
    """Hands updates to the framework as tasks, many chats at once; an update
    still being handled is not handed over a second time."""

    def __init__(self, feed: Feed) -> None:
        self._feed = feed
        self._tasks: set[asyncio.Task[None]] = set()
        self._in_flight: set[object] = set()

    def dispatch(self, payload: dict[str, Any]) -> None:
        key = payload.get("update_id")
        if key in self._in_flight:
            return
        self._in_flight.add(key)
        task = asyncio.create_task(_quietly(self._feed, payload))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        task.add_done_callback(lambda _: self._in_flight.discard(key))

    async def drain(self) -> None:
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)


async def poll(
    *, inbox: Inbox, fetch: Fetch, feed: Feed, stop: asyncio.Event, wait_seconds: int
) -> None:
    dispatcher = Dispatcher(feed)
    dispatch = dispatcher.dispatch
    if await _replay(inbox, dispatch, stop):
        await dispatcher.drain()
        return
    sweeping = asyncio.create_task(sweep(inbox, dispatch, stop))
    try:
        await _poll_until_stopped(inbox, fetch, dispatch, stop, wait_seconds)
    finally:
        sweeping.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await sweeping
    await dispatcher.drain()


async def _poll_until_stopped(
    inbox: Inbox,
    fetch: Fetch,
    dispatch: Callable[[dict[str, Any]], None],
    stop: asyncio.Event,
    wait_seconds: int,
) -> None:
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
        wanted = [u for u in updates if conversational(u)]
        kept = await _keep(inbox, wanted, stop)
        if kept is Kept.NOT:
            break  # stopped before the batch was kept: it stays unconfirmed at Telegram
        offset = max(int(u["update_id"]) for u in updates) + 1
        for payload in wanted:
            dispatch(payload)
        if kept is Kept.AFTER_OUTAGE and await _replay(inbox, dispatch, stop):
            break


class Kept(Enum):
    AT_ONCE = "at_once"
    AFTER_OUTAGE = "after_outage"  # the database was away for a while
    NOT = "not"  # stopped before it could be written


async def _keep(inbox: Inbox, updates: list[dict[str, Any]], stop: asyncio.Event) -> Kept:
    """Write the batch to the inbox, again and again while the database is away.

    After an outage the caller hands the inbox's unhandled updates round again:
    handling that gave up meanwhile left them there (the claim drops repeats)."""
    batch = [(str(u["update_id"]), u) for u in updates]
    backoff = 1.0
    kept = Kept.AT_ONCE
    while True:
        try:
            await inbox.record(CHANNEL, batch)
            return kept
        except Exception as exc:
            log.error("inbox write failed, batch kept to write again: %s", type(exc).__name__)
        kept = Kept.AFTER_OUTAGE
        if await _stopped_within(stop, backoff):
            return Kept.NOT
        backoff = min(backoff * 2, 30.0)


async def _replay(
    inbox: Inbox, dispatch: Callable[[dict[str, Any]], None], stop: asyncio.Event
) -> bool:
    """Hand what the inbox holds unhandled to the framework, waiting for the
    database if it is away; True when stopped first."""
    backoff = 1.0
    while True:
        try:
            payloads = await inbox.unhandled(CHANNEL)
        except Exception as exc:
            log.error("inbox replay failed, trying again: %s", type(exc).__name__)
        else:
            for payload in payloads:
                if conversational(payload):  # kept before kinds were sorted at the door
                    dispatch(payload)
            return False
        if await _stopped_within(stop, backoff):
            return True
        backoff = min(backoff * 2, 30.0)


async def sweep(
    inbox: Inbox,
    dispatch: Callable[[dict[str, Any]], None],
    stop: asyncio.Event,
    every: float = SWEEP_EVERY,
    age: timedelta = SWEEP_AGE,
) -> None:
    """Until stopped: hand round the updates left unhandled for a while (see SWEEP_EVERY).
    One being handled right now is not handed over twice (the dispatcher), and one
    handled meanwhile is recognised by its claim."""
    while not await _stopped_within(stop, every):
        try:
            stale = await inbox.unhandled(CHANNEL, older_than=age)
        except Exception as exc:  # the database is still away: the next sweep tries
            log.warning("inbox sweep failed: %s", type(exc).__name__)
            continue
        for payload in stale:
            if conversational(payload):
                dispatch(payload)


async def _stopped_within(stop: asyncio.Event, seconds: float) -> bool:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)
    return stop.is_set()


async def _quietly(feed: Feed, payload: dict[str, Any]) -> None:
    try:
        await feed(payload)
    except Exception as exc:  # the runtime already apologised; keep polling
        log.error("update %s not dispatched: %s", payload.get("update_id"), type(exc).__name__)
