"""The webhook never answers 500 to a body, through both adapters, on SQLite and PostgreSQL.

A body that is not a Telegram update gets a 4xx and one log line that says why
(never what it held), and the bot serves the next update as if nothing happened.
An update that is fine but cannot be kept because the database is down gets 503,
so Telegram delivers it again; once the database is back it is kept and
answered, once.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from bot.bootstrap import App, build_app
from bot.channels.telegram.webhook import MAX_BODY_BYTES
from bot.config import Settings
from bot.store.tables import InboxRow
from tests.conftest import PG_ADMIN
from tests.telegram.conftest import clock
from tests.telegram.fake_bot_api import FakeTelegram
from tests.telegram.serving import serving

# Personal data a body might carry: it must never reach the log.
PRIVATE = "Alex Morgan 1990-05-17"
DEEP = 100_000

HOSTILE: dict[str, tuple[bytes, int]] = {
    "not JSON": (b"hello " + PRIVATE.encode(), 400),
    "empty": (b"", 400),
    "1e999": (b'{"update_id": 1e999}', 400),
    "1e999 inside": (b'{"update_id": 5, "x": 1e999, "t": "' + PRIVATE.encode() + b'"}', 400),
    "NaN": (b'{"update_id": 5, "x": NaN}', 400),
    "a huge update_id": (b'{"update_id": 99999999999999999999999}', 400),
    "thousands of digits": (b'{"update_id": ' + b"9" * 5000 + b"}", 400),
    "a list 100,000 deep": (b"[" * DEEP + b"]" * DEEP, 400),
    "an object 100,000 deep": (b'{"a":' * DEEP + b"1" + b"}" * DEEP, 400),
    "an update 300 deep": (b'{"update_id": 5, "m": ' + b"[" * 300 + b"]" * 300 + b"}", 400),
    "a list": (b"[1, 2, 3]", 400),
    "a string": (json.dumps(PRIVATE).encode(), 400),
    "a number": (b"42", 400),
    "null": (b"null", 400),
    "no update_id": (json.dumps({"message": {"text": PRIVATE}}).encode(), 400),
    "a negative update_id": (json.dumps({"update_id": -1, "t": PRIVATE}).encode(), 400),
    "update_id a string": (b'{"update_id": "7"}', 400),
    "update_id a float": (b'{"update_id": 7.0}', 400),
    "update_id a bool": (b'{"update_id": true}', 400),
    "not UTF-8": (b'{"update_id": 11, "t": "\xff\xfe' + PRIVATE.encode() + b'"}', 400),
    "a lone surrogate": (b'{"update_id": 12, "t": "\\ud800"}', 400),
    "a NUL": (b'{"update_id": 13, "t": "a\\u0000b"}', 400),
    "oversized": (b'{"update_id": 14, "t": "' + b"a" * (MAX_BODY_BYTES + 1) + b'"}', 413),
}


async def _app(database_url: str, tg: FakeTelegram) -> App:
    settings = Settings(
        database_url=database_url, telegram_token=tg.token, telegram_api_url=tg.base_url
    )
    return await build_app(settings, clock=clock)


async def _inbox_rows(app: App) -> int:
    async with app.sessions() as session:
        return int((await session.execute(select(func.count()).select_from(InboxRow))).scalar_one())


async def test_a_body_that_is_not_an_update_gets_a_4xx_and_one_log_line(
    database_url: str, framework: str, caplog: pytest.LogCaptureFixture
) -> None:
    async with FakeTelegram() as tg:
        app = await _app(database_url, tg)
        try:
            async with serving(app, tg, framework) as served:
                caplog.clear()
                caplog.set_level(logging.WARNING, logger="bot.channels.telegram.webhook")
                statuses = {
                    name: await served.post_bytes(body) for name, (body, _) in HOSTILE.items()
                }
                assert statuses == {name: status for name, (_, status) in HOSTILE.items()}
                lines = [r for r in caplog.records if r.name == "bot.channels.telegram.webhook"]
                assert len(lines) == len(HOSTILE)  # one line each, saying why
                for line in lines:
                    message = line.getMessage()
                    assert message.startswith("webhook body refused: ")
                    assert "\n" not in message and PRIVATE not in message
                    assert len(message) < 100
                assert await _inbox_rows(app) == 0  # nothing was kept to replay
                # The process lives on and serves the next update.
                user = tg.user(901, "Alex")
                assert await served.post(user.text_update("hello")) == 200
                (welcome,) = await user.next_messages()
                assert "link your account" in welcome["text"]
        finally:
            await app.close()


@asynccontextmanager
async def _database_down(database_url: str, app: App) -> AsyncIterator[None]:
    """PostgreSQL refuses every connection (the ones open are cut); SQLite's file
    loses the inbox table. Either way the update cannot be kept until it is over."""
    url = make_url(database_url)
    if url.get_backend_name() == "postgresql":
        name = url.database
        admin = await asyncpg.connect(PG_ADMIN)
        try:
            await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
            await admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1",
                name,
            )
            yield
        finally:
            await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
            await admin.close()
        return
    async with app.engine.begin() as connection:
        await connection.execute(text("ALTER TABLE inbox RENAME TO inbox_away"))
    try:
        yield
    finally:
        async with app.engine.begin() as connection:
            await connection.execute(text("ALTER TABLE inbox_away RENAME TO inbox"))


async def test_an_update_the_database_cannot_keep_gets_503_until_it_can(
    database_url: str, framework: str, caplog: pytest.LogCaptureFixture
) -> None:
    async with FakeTelegram() as tg:
        app = await _app(database_url, tg)
        try:
            async with serving(app, tg, framework) as served:
                user = tg.user(902, "Alex")
                update = {"update_id": tg.next_update_id(), **user.text_update("hello")}
                body = json.dumps(update).encode()
                caplog.set_level(logging.ERROR, logger="bot.channels.telegram.webhook")
                async with _database_down(database_url, app):
                    assert await served.post_bytes(body) == 503
                (line,) = [r for r in caplog.records if r.name == "bot.channels.telegram.webhook"]
                assert line.getMessage().startswith(
                    f"webhook update {update['update_id']} not kept"
                )
                # Telegram delivers it again: the first connection may still be a dead
                # one from before (the pool then opens a new one), as it would retry.
                statuses = [await served.post_bytes(body)]
                while statuses[-1] == 503 and len(statuses) < 3:
                    statuses.append(await served.post_bytes(body))
                assert statuses[-1] == 200, statuses
                (welcome,) = await user.next_messages()
                assert "link your account" in welcome["text"]
                # Delivered again after it was kept: nothing doubled.
                assert await served.post_bytes(body) == 200
                await served.post(user.text_update("hello again"))
                await user.next_messages()
                assert [m["text"] for m in user.messages].count(welcome["text"]) == 2
                assert await _inbox_rows(app) == 2
        finally:
            await app.close()
