"""Database fixtures: every storage-touching test runs on SQLite and on PostgreSQL.

PostgreSQL is expected on 127.0.0.1:5432 (`make test` and `.ci/run` start it).
A missing server fails the run rather than silently skipping half the suite;
REPAYBOT_TEST_SKIP_POSTGRES=1 is for a developer's quick local loop only.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import asyncpg
import pytest
from hypothesis import settings
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.store.db import create_engine, session_factory, upgrade, upgrade_sync
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
                    # A class's `cache_clear` is its instances' (money._PerCode): called on
                    # the class it raised, pytest ended every mutant's run in an internal
                    # error (exit 3), and mutmut counts exit 3 as a kill.
                    if isinstance(value, type):
                        continue
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


# A test's database is a copy of one migrated once per worker process: running the
# sixteen migrations took about two seconds per test on either database, a copy
# (a file copy on SQLite, CREATE DATABASE ... TEMPLATE on PostgreSQL) a fraction of it.
# Tests of migrating itself ask for an empty one (`empty_database`).


def _in_a_thread(work: Callable[[], None]) -> None:
    """Run set-up work of its own loop: these fixtures are first asked for from inside
    a test's running event loop, where asyncio.run (and Alembic's) cannot start."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(work).result()


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "migrated.db"
    _in_a_thread(lambda: upgrade_sync(f"sqlite+aiosqlite:///{path}"))
    return path


@pytest.fixture(scope="session")
def _postgres_template() -> Iterator[str]:
    name = f"repaybot_template_{uuid.uuid4().hex[:12]}"

    def create() -> None:
        asyncio.run(_admin_execute(f'CREATE DATABASE "{name}"'))
        upgrade_sync(_pg_url(name))

    try:
        _in_a_thread(create)
        yield name
    finally:
        _in_a_thread(
            lambda: asyncio.run(_admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        )


def _pg_url(name: str) -> str:
    return PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"


async def _admin_execute(statement: str) -> None:
    admin = await _admin()
    try:
        await admin.execute(statement)
    finally:
        await admin.close()


@pytest.fixture(params=BACKENDS)
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    empty = request.node.get_closest_marker("empty_database") is not None
    if request.param == "sqlite":
        path = tmp_path / "test.db"
        if not empty:
            shutil.copyfile(request.getfixturevalue("_sqlite_template"), path)
        yield f"sqlite+aiosqlite:///{path}"
        return
    name = f"repaybot_test_{uuid.uuid4().hex[:12]}"
    if empty:
        await _admin_execute(f'CREATE DATABASE "{name}"')
    else:
        template = request.getfixturevalue("_postgres_template")
        await _admin_execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    try:
        yield _pg_url(name)
    finally:
        await _admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


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
