"""Database engines and migrations: SQLite by default, PostgreSQL by URL.

Every command calls `upgrade` first, so a new empty database just works and an
old one is brought up to date before anything touches it.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from bot.store.sqlite_inline import InlineSQLite

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///var/repaybot.db"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything here is stored in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def normalize_url(url: str) -> str:
    """Accept the plain URLs people write and pick the async drivers."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix) :]
    if url.startswith("sqlite://"):
        return "sqlite+aiosqlite://" + url[len("sqlite://") :]
    return url


def _prepare_sqlite_path(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(str(parsed.database)).parent.mkdir(parents=True, exist_ok=True)


def create_engine(url: str) -> AsyncEngine:
    url = normalize_url(url)
    _prepare_sqlite_path(url)
    if url.startswith("sqlite"):
        # hide_parameters: a failed statement's error never carries a borrower's data
        # into a log (R18). InlineSQLite: no worker thread per connection (see there).
        engine = create_async_engine(url, module=InlineSQLite(), hide_parameters=True)

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(connection: Any, _: Any) -> None:
            cursor = connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        @event.listens_for(engine.sync_engine, "begin")
        def _begin_immediate(connection: Any) -> None:
            # A transaction that reads and then writes would fail with "database
            # is locked" when another wrote in between; taking the write lock at
            # BEGIN makes writers wait their turn instead.
            connection.connection.dbapi_connection.begin_immediate()

        return engine
    return create_async_engine(url, pool_pre_ping=True, hide_parameters=True)


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", normalize_url(url).replace("%", "%%"))
    return config


def upgrade_sync(url: str) -> None:
    _prepare_sqlite_path(normalize_url(url))
    command.upgrade(alembic_config(url), "head")


async def upgrade(url: str) -> None:
    """Migrate to the newest schema (Alembic runs its own loop in a worker thread)."""
    await asyncio.to_thread(upgrade_sync, url)
