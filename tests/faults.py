"""Faults a test brings about in the real database, never by mocking the project.

- `drop_every_connection`: what a PostgreSQL failover or restart does to the bot,
  done with pg_terminate_backend from an admin connection.
- `poison`: a trigger that fails every insert of one transcript text, on SQLite
  and PostgreSQL alike: an update carrying that text fails each time it is
  handled, as one meeting a bug would, until `cure` drops the trigger.
"""

from __future__ import annotations

import asyncpg
from sqlalchemy.engine import make_url

from bot.store.db import create_engine, normalize_url
from tests.conftest import PG_ADMIN

POISON = "a green umbrella"  # fails to be handled while poisoned; the model reads it off topic
POISON_ERROR = "poisoned by the test"

_SQLITE_TRIGGER = f"""
CREATE TRIGGER poison BEFORE INSERT ON transcript
WHEN NEW.text = '{POISON}'
BEGIN SELECT RAISE(ABORT, '{POISON_ERROR}'); END
"""
_PG_FUNCTION = f"""
CREATE FUNCTION poison() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.text = '{POISON}' THEN RAISE EXCEPTION '{POISON_ERROR}'; END IF;
    RETURN NEW;
END $$
"""
_PG_TRIGGER = (
    "CREATE TRIGGER poison BEFORE INSERT ON transcript FOR EACH ROW EXECUTE FUNCTION poison()"
)


def is_postgresql(database_url: str) -> bool:
    return make_url(normalize_url(database_url)).get_backend_name() == "postgresql"


async def drop_every_connection(database_url: str) -> int:
    """Terminate every server connection to the test's database; how many there were."""
    name = make_url(normalize_url(database_url)).database
    admin = await asyncpg.connect(PG_ADMIN, timeout=10)
    try:
        rows = await admin.fetch(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = $1 AND pid <> pg_backend_pid()",
            name,
        )
    finally:
        await admin.close()
    return len(rows)


async def poison(database_url: str) -> None:
    statements = [_PG_FUNCTION, _PG_TRIGGER] if is_postgresql(database_url) else [_SQLITE_TRIGGER]
    await _run(database_url, statements)


async def cure(database_url: str) -> None:
    statements = ["DROP TRIGGER poison" + (" ON transcript" if is_postgresql(database_url) else "")]
    await _run(database_url, statements)


async def _run(database_url: str, statements: list[str]) -> None:
    engine = create_engine(database_url)
    try:
        async with engine.begin() as connection:
            for statement in statements:
                await connection.exec_driver_sql(statement)
    finally:
        await engine.dispose()
