"""Run one bot against a Bot API URL until SIGTERM: repaybot or a bare baseline bot.

    python -m bench.serve TARGET --framework aiogram|ptb --db URL --api URL --token T [--profile F]

TARGET is `repaybot`, `aiogram-echo`, `aiogram-echo-insert`, `aiogram-echo-insert-stock`
or `ptb-echo`. The bench runs each in its own process so its CPU time is measured
alone. The two insert bots differ only in their engine: `-insert` uses the
project's (SQLite driven on the event loop's thread), `-insert-stock` SQLAlchemy's
stock async engine as a bot written from the documentation would (aiosqlite's
worker thread on SQLite, asyncpg's default pool on PostgreSQL), with WAL.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import signal
from datetime import UTC, datetime
from typing import Any

from bench.seams import build, serve_telegram


async def _repaybot(args: argparse.Namespace, stop: asyncio.Event) -> None:
    app = await build(args.db, telegram_token=args.token, telegram_api_url=args.api)
    try:
        await serve_telegram(
            app, token=args.token, api_url=args.api, framework=args.framework, stop=stop
        )
    finally:
        await app.close()


def _stock_engine(url: str) -> Any:
    """SQLAlchemy's async engine as its documentation shows it, plus WAL on SQLite."""
    from sqlalchemy import event
    from sqlalchemy.ext.asyncio import create_async_engine

    from bot.store.db import normalize_url

    engine = create_async_engine(normalize_url(url))
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine.sync_engine, "connect")
        def _wal(connection: Any, _: Any) -> None:
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=5000")
            cursor.close()

    return engine


async def _aiogram_echo(
    args: argparse.Namespace, stop: asyncio.Event, insert: bool, stock: bool = False
) -> None:
    from aiogram import Bot, Dispatcher
    from aiogram.client.session.aiohttp import AiohttpSession
    from aiogram.client.telegram import TelegramAPIServer
    from aiogram.types import Message
    from sqlalchemy import insert as sql_insert
    from sqlalchemy.ext.asyncio import async_sessionmaker

    from bench.service import BARE, _metadata
    from bot.store.db import create_engine  # WAL and a busy timeout on SQLite, as any bot needs

    bot = Bot(token=args.token, session=AiohttpSession(api=TelegramAPIServer.from_base(args.api)))
    dispatcher = Dispatcher()
    engine = _stock_engine(args.db) if stock else create_engine(args.db)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    if insert:
        async with engine.begin() as conn:
            await conn.run_sync(_metadata.create_all)

    @dispatcher.message()
    async def echo(message: Message) -> None:
        if insert:
            async with sessions() as session, session.begin():
                await session.execute(
                    sql_insert(BARE).values(
                        chat_key=str(message.chat.id),
                        text=message.text or "",
                        created_at=datetime.now(UTC),
                    )
                )
        await message.answer(message.text or "?")

    polling = asyncio.create_task(
        dispatcher.start_polling(
            bot, handle_signals=False, close_bot_session=False, polling_timeout=1
        )
    )
    await stop.wait()
    await dispatcher.stop_polling()
    await polling
    await bot.session.close()
    await engine.dispose()


async def _ptb_echo(args: argparse.Namespace, stop: asyncio.Event) -> None:
    from telegram import Update
    from telegram.ext import Application, ContextTypes, MessageHandler, filters

    application = (
        Application.builder()
        .token(args.token)
        .base_url(f"{args.api}/bot")
        .concurrent_updates(True)
        .build()
    )

    async def echo(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        if update.effective_message is not None:
            await update.effective_message.reply_text(update.effective_message.text or "?")

    application.add_handler(MessageHandler(filters.ALL, echo))
    async with application:
        assert application.updater is not None
        await application.updater.start_polling(timeout=1)
        await application.start()
        await stop.wait()
        await application.updater.stop()
        await application.stop()


async def main(args: argparse.Namespace) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    if args.target == "repaybot":
        await _repaybot(args, stop)
    elif args.target == "ptb-echo":
        await _ptb_echo(args, stop)
    else:
        insert = args.target.startswith("aiogram-echo-insert")
        await _aiogram_echo(args, stop, insert, stock=args.target.endswith("-stock"))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "target",
        choices=[
            "repaybot",
            "aiogram-echo",
            "aiogram-echo-insert",
            "aiogram-echo-insert-stock",
            "ptb-echo",
        ],
    )
    parser.add_argument("--framework", default="aiogram")
    parser.add_argument("--db", required=True)
    parser.add_argument("--api", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--profile", help="write a cProfile of the whole run to this file")
    arguments = parser.parse_args()
    if arguments.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        try:
            asyncio.run(main(arguments))
        finally:
            profiler.disable()
            profiler.dump_stats(arguments.profile)
    else:
        asyncio.run(main(arguments))
