"""Database fixtures: every storage-touching test runs on SQLite and on PostgreSQL.

PostgreSQL is expected on 127.0.0.1:5432 (`make test` and `.ci/run` start it).
A missing server fails the run rather than silently skipping half the suite;
REPAYBOT_TEST_SKIP_POSTGRES=1 is for a developer's quick local loop only.
"""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
from hypothesis import settings
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.store.db import create_engine, session_factory, upgrade
from bot.understanding.model import IntentModel
from tests.trained import trained_model

# Tests never assert on timing, and Hypothesis's deadline per example (200 ms) is such an
# assertion: it failed mutation testing's first full run (every test traced) on a busy
# machine. Examples are still bounded by their count.
settings.register_profile("repaybot", deadline=None)
settings.load_profile("repaybot")


def pytest_sessionstart(session: pytest.Session) -> None:
    """Under `make mutation`, forget what the unmutated code cached while tests were collected.

    Mutmut collects the tests once and forks a worker per mutant from there: a script
    loaded or a guard compiled during collection would otherwise be reused by every
    worker, and a mutant in the loader or the guard compiler would never run.
    """
    if os.environ.get("MUTANT_UNDER_TEST"):
        for name, module in list(sys.modules.items()):
            if name.startswith(("bot.", "tests.")):
                for value in list(vars(module).values()):
                    clear = getattr(value, "cache_clear", None)
                    if callable(clear):
                        clear()


PG_ADMIN = os.environ.get("REPAYBOT_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
BACKENDS = (
    ["sqlite"] if os.environ.get("REPAYBOT_TEST_SKIP_POSTGRES") == "1" else ["sqlite", "postgresql"]
)


async def _admin() -> asyncpg.Connection:
    try:
        return await asyncpg.connect(PG_ADMIN, timeout=10)
    except (OSError, asyncpg.PostgresError) as exc:
        pytest.fail(
            f"PostgreSQL is not reachable at {PG_ADMIN} ({exc}); run `make services` "
            "or set REPAYBOT_TEST_SKIP_POSTGRES=1 for a SQLite-only local run",
            pytrace=False,
        )


@pytest.fixture(params=BACKENDS)
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"
        return
    name = f"repaybot_test_{uuid.uuid4().hex[:12]}"
    admin = await _admin()
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    try:
        yield PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    finally:
        admin = await _admin()
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


@pytest.fixture
async def sessions(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    await upgrade(database_url)
    engine = create_engine(database_url)
    try:
        yield session_factory(engine)
    finally:
        await engine.dispose()


@pytest.fixture(scope="session")
def intent_model() -> IntentModel:
    """The trained intent model, loaded once for the session and injected where needed."""
    return trained_model()
