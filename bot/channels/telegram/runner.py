"""Run the bot on Telegram with either framework, by long polling or a webhook."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from dataclasses import dataclass
from typing import Any, Protocol

from bot.bootstrap import App
from bot.channels.telegram.api import BotApi
from bot.channels.telegram.gateway import TelegramGateway, command_list
from bot.channels.telegram.pace import LocalSlots, Pace, Slots
from bot.channels.telegram.polling import Feed, poll
from bot.channels.telegram.webhook import serve_webhook
from bot.errors import ChannelError
from bot.heap import settle
from bot.service.bot_identity import known_username, remember_username
from bot.service.inbox import Inbox
from bot.service.periodic import jobs, run_periodic

log = logging.getLogger(__name__)

# setMyCommands takes a two-letter language code, so Simplified Chinese serves
# "zh" and Traditional is set per chat once a borrower's locale is known.
COMMAND_LANGUAGES: tuple[tuple[str | None, str], ...] = (
    (None, "en"),
    ("en", "en"),
    ("zh", "zh_Hans"),
)


@dataclass(frozen=True)
class TelegramOptions:
    token: str
    api_url: str
    framework: str = "aiogram"  # or "ptb"
    webhook_url: str | None = None
    webhook_secret: str | None = None
    listen_host: str = "127.0.0.1"
    listen_port: int = 8080
    poll_timeout: int = 10  # seconds a getUpdates long poll waits (and shutdown with it)
    # Freeze the start-up heap before serving (bot.heap): the serving process does,
    # tests that run many apps in one process do not.
    settle_heap: bool = False


def make_pace(app: App, token: str) -> Pace:
    """The bot's one pace: on PostgreSQL a row every process shares, keyed by a hash of
    the token; on SQLite (one process serves) in memory."""
    from bot.service.bot_identity import token_key
    from bot.store.send_rate import SharedSlots

    slots: Slots = (
        SharedSlots(app.engine, token_key(token))
        if app.engine.dialect.name == "postgresql"
        else LocalSlots()
    )
    return Pace(slots, app.scripts.policy.sending)


async def register_commands(app: App, api: BotApi) -> None:
    for language_code, locale in COMMAND_LANGUAGES:
        await api.set_commands(command_list(app, locale), language_code=language_code, chat_id=None)


async def run(app: App, options: TelegramOptions, stop: asyncio.Event | None = None) -> None:
    """Serve until `stop` is set (or SIGINT/SIGTERM when run from the command line)."""
    stop = stop or _stop_on_signals()
    if options.framework == "ptb":
        await _run_ptb(app, options, stop)
    else:
        await _run_aiogram(app, options, stop)


async def _run_aiogram(app: App, options: TelegramOptions, stop: asyncio.Event) -> None:
    from bot.channels.telegram.aiogram_adapter import AiogramApi, build_dispatcher, make_bot

    bot = make_bot(options.token, options.api_url)
    api = AiogramApi(bot)
    dispatcher = build_dispatcher(TelegramGateway(app, api, make_pace(app, options.token)))

    async def feed(payload: dict[str, Any]) -> None:
        await dispatcher.feed_raw_update(bot, payload)

    try:
        await _serve(app, options, stop, api, feed)
    finally:
        await bot.session.close()


async def _run_ptb(app: App, options: TelegramOptions, stop: asyncio.Event) -> None:
    from telegram import Update

    from bot.channels.telegram.ptb_adapter import PtbApi, build_application, initialize, install

    application = build_application(options.token, options.api_url)
    api = PtbApi(application.bot)
    install(application, TelegramGateway(app, api, make_pace(app, options.token)))
    await initialize(application)  # a wrong token or no network fails here, as our error

    async def feed(payload: dict[str, Any]) -> None:
        await application.process_update(Update.de_json(payload, application.bot))

    async with application:
        await application.start()
        try:
            await _serve(app, options, stop, api, feed)
        finally:
            await application.stop()


async def _serve(
    app: App, options: TelegramOptions, stop: asyncio.Event, api: UpdatesApi, feed: Feed
) -> None:
    """The same for both frameworks: the outbox loop, then a webhook or long polling,
    each writing updates to the inbox before Telegram is told they arrived."""
    if options.settle_heap:  # everything is loaded: both frameworks are built by now
        settle()
    delivery = asyncio.create_task(app.outbox.run(stop))
    clockwork = asyncio.create_task(_clockwork(app, stop))
    inbox = Inbox(app.sessions, app.runtime.now)
    try:
        await register_commands(app, api)
        await _remember_username(app, api, options.token)
        if options.webhook_url:
            await serve_webhook(
                inbox=inbox,
                feed=feed,
                secret=options.webhook_secret,
                host=options.listen_host,
                port=options.listen_port,
                stop=stop,
                on_ready=lambda: api.set_webhook(options.webhook_url or "", options.webhook_secret),
            )
        else:
            await api.delete_webhook()
            await poll(
                inbox=inbox,
                fetch=api.get_updates,
                feed=feed,
                stop=stop,
                wait_seconds=options.poll_timeout,
            )
    finally:
        stop.set()
        await delivery
        await clockwork


async def _clockwork(app: App, stop: asyncio.Event) -> None:
    """The clock-driven jobs: on PostgreSQL, where several processes may serve, on
    pgqueuer's shared schedules (each tick runs on one process); on SQLite, where one
    process serves, in this process's own loop."""
    if app.engine.dialect.name == "postgresql":
        from bot.service.job_engine import run_scheduled  # PostgreSQL only

        await run_scheduled(app.runtime, jobs(), stop, app.settings.database_url)
    else:
        await run_periodic(app.runtime, jobs(), stop)


async def _remember_username(app: App, api: BotApi, token: str) -> None:
    """Keep the bot's name for `repaybot link`, which then never asks Telegram."""
    try:
        username = await api.bot_username()
    except ChannelError as exc:  # best effort: `repaybot link` asks once itself
        log.info("bot username not kept: %s", type(exc).__name__)
        return
    async with app.sessions() as session, session.begin():
        if await known_username(session, token) != username:
            await remember_username(session, token, username, app.runtime.now())


class UpdatesApi(BotApi, Protocol):
    async def get_updates(self, offset: int | None, wait_seconds: int) -> list[dict[str, Any]]: ...

    async def set_webhook(self, url: str, secret: str | None) -> None: ...

    async def delete_webhook(self) -> None: ...


def _stop_on_signals() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    return stop
