"""Run the bot on Telegram with either framework, by long polling or a webhook."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from dataclasses import dataclass
from datetime import timedelta

from bot.bootstrap import App
from bot.channels.telegram.api import BotApi
from bot.channels.telegram.gateway import TelegramGateway, command_list

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
    gateway = TelegramGateway(app, api)
    dispatcher = build_dispatcher(gateway)
    delivery = asyncio.create_task(app.outbox.run(stop))
    try:
        await register_commands(app, api)
        if options.webhook_url:
            await _aiogram_webhook(bot, dispatcher, options, stop)
        else:
            await bot.delete_webhook(drop_pending_updates=False)
            polling = asyncio.create_task(
                dispatcher.start_polling(
                    bot,
                    handle_signals=False,
                    close_bot_session=False,
                    polling_timeout=options.poll_timeout,
                )
            )
            await stop.wait()
            await dispatcher.stop_polling()
            await polling
    finally:
        stop.set()
        await delivery
        await bot.session.close()


async def _aiogram_webhook(
    bot: object, dispatcher: object, options: TelegramOptions, stop: asyncio.Event
) -> None:
    from aiogram import Bot, Dispatcher
    from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
    from aiohttp import web

    assert isinstance(bot, Bot) and isinstance(dispatcher, Dispatcher)  # noqa: S101
    web_app = web.Application()
    SimpleRequestHandler(
        dispatcher=dispatcher, bot=bot, secret_token=options.webhook_secret
    ).register(web_app, path="/telegram/webhook")
    setup_application(web_app, dispatcher, bot=bot)
    runner = web.AppRunner(web_app)
    await runner.setup()
    site = web.TCPSite(runner, options.listen_host, options.listen_port)
    await site.start()
    await bot.set_webhook(str(options.webhook_url), secret_token=options.webhook_secret)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()


async def _run_ptb(app: App, options: TelegramOptions, stop: asyncio.Event) -> None:
    from bot.channels.telegram.ptb_adapter import PtbApi, build_application, install

    application = build_application(options.token, options.api_url)
    api = PtbApi(application.bot)
    gateway = TelegramGateway(app, api)
    install(application, gateway)
    delivery = asyncio.create_task(app.outbox.run(stop))
    try:
        async with application:
            await register_commands(app, api)
            updater = application.updater
            assert updater is not None  # noqa: S101 - the builder makes one
            if options.webhook_url:
                await updater.start_webhook(
                    listen=options.listen_host,
                    port=options.listen_port,
                    url_path="telegram/webhook",
                    webhook_url=options.webhook_url,
                    secret_token=options.webhook_secret,
                )
            else:
                await application.bot.delete_webhook(drop_pending_updates=False)
                await updater.start_polling(timeout=timedelta(seconds=options.poll_timeout))
            await application.start()
            await stop.wait()
            await updater.stop()
            await application.stop()
    finally:
        stop.set()
        await delivery


def _stop_on_signals() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    return stop
