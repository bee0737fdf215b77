"""Database engines and migrations: SQLite by default, PostgreSQL by URL.

Every command calls `upgrade` first, so a new empty database just works and an
old one is brought up to date before anything touches it.
"""

from __future__ import annotations

import asyncio
import re
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from bot.store.sqlite_inline import InlineSQLite

if TYPE_CHECKING:
    from alembic.config import Config

IDLE_BEFORE_PING = 5.0  # seconds a pooled connection may sit unused before it is checked
_LAST_USED = "repaybot.last_used"
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
    """The engine for `url`. A SQLite URL names the file; its statements run on the
    event loop's thread (bot.store.sqlite_inline), not in aiosqlite's worker thread."""
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
    # pool_size: every chat handled at once and the outbox's sends hold a connection
    # each; the default 5 (+10 overflow) opened and closed one per event under load.
    engine = create_async_engine(url, pool_size=20, max_overflow=10, hide_parameters=True)
    _ping_when_idle(engine)
    return engine


def _ping_when_idle(engine: AsyncEngine) -> None:
    """Check a pooled connection before use only if it sat idle for a while.

    pool_pre_ping checks every checkout: a round trip per transaction, about a
    millisecond of CPU per message on PostgreSQL. A connection used moments ago
    is alive; one idle since before a database restart is not, and is replaced
    here (DisconnectionError makes the pool open a new one) instead of failing
    the borrower's message.
    """

    @event.listens_for(engine.sync_engine.pool, "checkin")
    def _used(_: Any, record: Any) -> None:
        record.info[_LAST_USED] = time.monotonic()

    @event.listens_for(engine.sync_engine.pool, "checkout")
    def _check(dbapi_connection: Any, record: Any, _: Any) -> None:
        last = record.info.get(_LAST_USED)
        if last is None or time.monotonic() - last < IDLE_BEFORE_PING:
            return  # new, or used moments ago
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:
            raise DisconnectionError("the pooled connection is gone") from error


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def alembic_config(url: str) -> Config:
    from alembic.config import Config  # Alembic loads only when a migration may run

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", normalize_url(url).replace("%", "%%"))
    return config


def upgrade_sync(url: str) -> None:
    _prepare_sqlite_path(normalize_url(url))
    from alembic import command

    command.upgrade(alembic_config(url), "head")


async def upgrade(url: str) -> None:
    """Migrate to the newest schema (Alembic runs its own loop in a worker thread)."""
    await asyncio.to_thread(upgrade_sync, url)


_REVISION = re.compile(r'^(down_)?revision: str(?: \| None)? = "([^"]+)"', re.MULTILINE)


def head_revision() -> str:
    """The newest migration, read from the files' own revision lines (what Alembic
    would find, without loading Alembic and every migration module for it)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        for down, value in _REVISION.findall(path.read_text(encoding="utf-8")):
            (parents if down else revisions).add(value)
    heads = revisions - parents
    if len(heads) != 1:
        raise RuntimeError(f"the migrations have {len(heads)} heads: {sorted(heads)}")
    return heads.pop()


async def at_head(engine: AsyncEngine) -> bool:
    """Whether the database's schema is the newest already (no migration to run)."""
    try:
        async with engine.connect() as connection:
            found = await connection.execute(text("SELECT version_num FROM alembic_version"))
            versions = list(found.scalars())
    except Exception:  # no such table (a new database), or unreachable: upgrade tells
        return False
    return versions == [head_revision()]
