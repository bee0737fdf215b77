"""PostgreSQL's pool: a connection lost while idle is replaced, not handed to a borrower."""

from __future__ import annotations

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.store import db
from bot.store.db import create_engine
from tests.conftest import BACKENDS, PG_ADMIN

pytestmark = pytest.mark.skipif(
    "postgresql" not in BACKENDS, reason="REPAYBOT_TEST_SKIP_POSTGRES=1: a SQLite-only local run"
)


async def _terminate(pid: int) -> None:
    admin = await asyncpg.connect(PG_ADMIN)
    try:
        await admin.execute("SELECT pg_terminate_backend($1)", pid)
    finally:
        await admin.close()


async def _backend(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        return int((await connection.execute(text("SELECT pg_backend_pid()"))).scalar_one())


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_a_connection_killed_while_idle_is_replaced_before_use(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = create_engine(database_url)
    try:
        first = await _backend(engine)
        await _terminate(first)  # as a database restart would
        monkeypatch.setattr(db, "IDLE_BEFORE_PING", 0.0)  # it has now been idle "long enough"
        second = await _backend(engine)  # no error: the dead connection was replaced
        assert second != first
    finally:
        await engine.dispose()


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_a_connection_used_moments_ago_is_not_checked_again(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other side of the bargain: no round trip before each transaction under load.
    A connection killed within the idle window is found dead by the statement itself."""
    engine = create_engine(database_url)
    try:
        first = await _backend(engine)
        monkeypatch.setattr(db, "IDLE_BEFORE_PING", 3600.0)
        await _terminate(first)
        with pytest.raises(Exception):  # noqa: B017 - whatever the driver calls it
            await _backend(engine)
        assert await _backend(engine) != first  # and the pool then starts afresh
    finally:
        await engine.dispose()
