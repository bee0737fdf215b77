"""An account's reminders are found through the unique key's index, and no index repeats it.

Every reminder insert pays for every index on the table; an index whose columns lead
another one's answers nothing the longer one does not (migration 0017 dropped
ix_reminders_account_id for that). A partial index is not a repeat: it holds fewer rows.
"""

from __future__ import annotations

from sqlalchemy import PrimaryKeyConstraint, UniqueConstraint, text
from sqlmodel import SQLModel

import bot.store.tables  # noqa: F401 - registers the tables
from bot.store.db import create_engine, upgrade


def _keys(table: object) -> list[tuple[str, list[str]]]:
    keys = [
        (str(index.name), [c.name for c in index.columns])
        for index in table.indexes  # type: ignore[attr-defined]
        if not any(
            index.dialect_options[d].get("where") is not None for d in ("sqlite", "postgresql")
        )
    ]
    for constraint in table.constraints:  # type: ignore[attr-defined]
        if isinstance(constraint, UniqueConstraint | PrimaryKeyConstraint):
            keys.append((str(constraint.name), [c.name for c in constraint.columns]))
    return keys


def test_no_index_repeats_the_leading_columns_of_another_key() -> None:
    repeats = []
    for table in SQLModel.metadata.sorted_tables:
        keys = _keys(table)
        for name, columns in keys:
            for other, longer in keys:
                if (
                    other != name
                    and len(columns) < len(longer)
                    and longer[: len(columns)] == columns
                ):
                    repeats.append(f"{table.name}.{name} leads {other}")
    assert repeats == []


async def test_an_accounts_reminders_are_found_through_the_unique_key(database_url: str) -> None:
    await upgrade(database_url)
    engine = create_engine(database_url)
    lookup = "SELECT stage, status, send_at FROM reminders WHERE account_id = 'A-1'"
    try:
        async with engine.begin() as connection:
            if engine.dialect.name == "postgresql":
                # An empty table is read whole anyway: ask which index PostgreSQL
                # would use, as it does once the table has rows.
                await connection.execute(text("SET LOCAL enable_seqscan = off"))
                plan = [row[0] for row in await connection.execute(text(f"EXPLAIN {lookup}"))]
                assert "Index Scan using uq_reminder_stage_cycle" in "\n".join(plan)
                names = await connection.execute(
                    text("SELECT indexname FROM pg_indexes WHERE tablename = 'reminders'")
                )
            else:
                plan = [
                    row[-1]
                    for row in await connection.execute(text(f"EXPLAIN QUERY PLAN {lookup}"))
                ]
                assert "SEARCH reminders USING INDEX sqlite_autoindex_reminders" in "\n".join(plan)
                names = await connection.execute(
                    text(
                        "SELECT name FROM sqlite_master WHERE tbl_name = 'reminders' AND type = 'index'"
                    )
                )
            assert "ix_reminders_account_id" not in {row[0] for row in names}
    finally:
        await engine.dispose()
