"""Webhook mode for both frameworks: keep the update in the inbox, then answer 200.

Telegram forgets an update once the webhook answers, so the answer waits for
the inbox write (a few milliseconds) and handling goes on after it. The
secret header Telegram sends is checked before anything is read.

Whatever the body, the answer is never a 500: a body that is not a Telegram
update (not JSON, not an object, no usable update_id, nested absurdly deep,
numbers or text no database can keep, too big) is the sender's fault and gets a
4xx, and one log line says why (never the body). A body that is fine but cannot
be kept because the database failed gets 503, so Telegram delivers it again.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import math
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from sqlalchemy.exc import DataError

from bot.channels.telegram.polling import CHANNEL, Dispatcher, Feed, conversational, sweep
from bot.service.inbox import Inbox

log = logging.getLogger(__name__)

PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name, not a secret
# Telegram's updates are a few kilobytes; a message with every extra is far below this.
MAX_BODY_BYTES = 1024 * 1024
# An update is an object a handful of levels deep (a reply's message's keyboard's
# rows' buttons); far deeper is not Telegram, and would make every later reader
# (the frameworks, the JSON column) recurse that deep too.
MAX_DEPTH = 64
# Telegram's integers (ids, sizes, dates) all fit in 64 bits; update_id counts up
# from a positive start.
MAX_INTEGER = 2**63 - 1


class UnreadableUpdate(ValueError):
    """A webhook body that is not a Telegram update; the message says why, never what."""


def read_update(body: bytes) -> tuple[str, dict[str, Any]]:
    """The inbox key and the update of a webhook body, or UnreadableUpdate."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise UnreadableUpdate("not UTF-8") from None
    try:
        payload = json.loads(
            text, parse_constant=_no_constant, parse_float=_finite, parse_int=_bounded
        )
    except RecursionError:
        raise UnreadableUpdate(f"nested deeper than {MAX_DEPTH} levels") from None
    except UnreadableUpdate:
        raise
    except ValueError:
        raise UnreadableUpdate("not JSON") from None
    if not isinstance(payload, dict):
        raise UnreadableUpdate("not a JSON object")
    _check_values(payload)
    update_id = payload.get("update_id")
    if update_id is None:
        raise UnreadableUpdate("no update_id")
    if type(update_id) is not int:  # a bool is an int to Python, not to Telegram
        raise UnreadableUpdate("update_id is not an integer")
    if update_id < 0:
        raise UnreadableUpdate("update_id is negative")
    return str(update_id), payload


def _no_constant(name: str) -> Any:
    raise UnreadableUpdate(f"{name} is not a JSON number")


def _bounded(literal: str) -> int:
    """Telegram's integers fit in 64 bits; a longer one is not Telegram's (and one of
    thousands of digits would cost real time to read)."""
    if len(literal.lstrip("-")) > len(str(MAX_INTEGER)):
        raise UnreadableUpdate("an integer too large to keep")
    number = int(literal)
    if not -MAX_INTEGER <= number <= MAX_INTEGER:
        raise UnreadableUpdate("an integer too large to keep")
    return number


def _finite(literal: str) -> float:
    number = float(literal)
    if not math.isfinite(number):  # 1e999 reads as infinity, which JSON cannot hold
        raise UnreadableUpdate("a number too large to keep")
    return number


def _check_values(payload: dict[str, Any]) -> None:
    """Refuse what parses but no reader after us can take: depth beyond MAX_DEPTH, and
    text no database keeps (a lone UTF-16 surrogate, a NUL). Iterative, so depth
    itself cannot exhaust the stack here."""
    pending: list[tuple[Any, int]] = [(payload, 1)]
    while pending:
        value, depth = pending.pop()
        if depth > MAX_DEPTH:
            raise UnreadableUpdate(f"nested deeper than {MAX_DEPTH} levels")
        if isinstance(value, dict):
            pending.extend((key, depth) for key in value)
            pending.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            pending.extend((item, depth + 1) for item in value)
        elif isinstance(value, str) and not _storable(value):
            raise UnreadableUpdate("text no database can keep")


def _storable(text: str) -> bool:
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate ("\ud800") that JSON escapes allow
        return False
    return True


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
        if conversational(payload):
            dispatcher.dispatch(payload)

    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if secret is not None and not hmac.compare_digest(given, secret):
            return web.Response(status=401)
        try:
            key, payload = read_update(await request.read())
        except web.HTTPRequestEntityTooLarge:
            log.warning("webhook body refused: larger than %d bytes", MAX_BODY_BYTES)
            return web.Response(status=413)
        except UnreadableUpdate as refused:
            log.warning("webhook body refused: %s", refused)
            return web.Response(status=400)
        if not conversational(payload):
            return web.Response(text="ok")  # an edit, a reaction: nothing to keep or answer
        try:
            await inbox.record(CHANNEL, [(key, payload)])  # reruns on a dropped connection
        except DataError as exc:  # the database refused this update's values: retrying won't help
            log.warning("webhook update %s refused by the database: %s", key, type(exc).__name__)
            return web.Response(status=400)
        except Exception as exc:
            # Not the body's fault (the database is down, a failover outlasted the
            # retries): 503 makes Telegram deliver the update again later.
            log.error("webhook update %s not kept: %s", key, type(exc).__name__)
            return web.Response(status=503)
        dispatcher.dispatch(payload)
        return web.Response(text="ok")

    application = web.Application(client_max_size=MAX_BODY_BYTES)
    application.router.add_post(PATH, receive)
    runner = web.AppRunner(application)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    await on_ready()  # tell Telegram where to post only once we listen
    sweeping = asyncio.create_task(sweep(inbox, dispatcher.dispatch, stop))
    try:
        await stop.wait()
    finally:
        sweeping.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await sweeping
        await runner.cleanup()
        await dispatcher.drain()
