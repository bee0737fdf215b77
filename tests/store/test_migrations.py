"""The migration builds exactly the schema the models describe, on both databases."""

from __future__ import annotations

from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

import bot.store.tables  # noqa: F401 - registers the tables
from bot.store.db import at_head, create_engine, upgrade


@pytest.mark.empty_database
async def test_upgrade_an_empty_database_twice_and_match_the_models(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        assert not await at_head(engine)  # really empty: the other tests get a migrated copy
    finally:
        await engine.dispose()
    await upgrade(database_url)
    await upgrade(database_url)  # idempotent
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:

            def diff(sync_connection: Any) -> list[Any]:
                context = MigrationContext.configure(sync_connection, opts={"compare_type": True})
                return list(compare_metadata(context, SQLModel.metadata))

            def tables(sync_connection: Any) -> set[str]:
                return set(inspect(sync_connection).get_table_names())

            assert await connection.run_sync(diff) == []
            assert {
                "accounts",
                "outbox",
                "transcript",
                "processed_updates",
            } <= await connection.run_sync(tables)
    finally:
        await engine.dispose()
