"""Bulk loading of the lender's file: staging tables, then set-based upserts.

Validated rows go into temporary staging tables (COPY on PostgreSQL,
executemany on SQLite) inside the caller's transaction; the database then
checks what spans the whole file (an account on rows far apart, a charge twice)
and merges with a few INSERT ... ON CONFLICT statements that leave unchanged
rows untouched. Nothing of the file is held in Python, and a rollback leaves
the real tables as they were.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import DateTime, bindparam, text
from sqlalchemy.ext.asyncio import AsyncConnection

ACCOUNT_COLUMNS = (
    "account_id",
    "borrower_name",
    "phone",
    "birth_date",
    "locale",
    "timezone",
    "currency",
    "due_date",
)
CHARGE_COLUMNS = ("account_id", "charge_id", "kind", "description", "amount", "posted_on")
_DATES = {"birth_date", "due_date", "posted_on"}

# SQL built once from the fixed column names above (never from input).
_ACCOUNTS = ", ".join(ACCOUNT_COLUMNS)
_OWNED = ACCOUNT_COLUMNS[1:]  # what a re-import may change; the bot's own columns stay
_CHARGES = ", ".join(CHARGE_COLUMNS)
_CHANGING = CHARGE_COLUMNS[2:]
REPEATED_ACCOUNTS = (
    f"SELECT line, {_ACCOUNTS} FROM import_accounts a WHERE EXISTS ("  # noqa: S608
    "SELECT 1 FROM import_accounts b WHERE b.account_id = a.account_id AND b.line <> a.line)"
    " ORDER BY account_id, line"
)
UPSERT_ACCOUNTS = (
    f"INSERT INTO accounts ({_ACCOUNTS}, extensions_used, collection_paused,"  # noqa: S608
    " breathing_space, opted_out, unreachable, created_at, updated_at)"
    f" SELECT {_ACCOUNTS}, 0, FALSE, FALSE, FALSE, FALSE, :now, :now"
    " FROM import_accounts WHERE TRUE ON CONFLICT (account_id) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in (*_OWNED, "updated_at"))
    + " WHERE "
    + " OR ".join(f"accounts.{c} <> excluded.{c}" for c in _OWNED)
)
UPSERT_CHARGES = (
    f"INSERT INTO charges ({_CHARGES}) SELECT {_CHARGES} FROM import_charges"  # noqa: S608
    " WHERE TRUE ON CONFLICT (account_id, charge_id) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in _CHANGING)
    + " WHERE "
    + " OR ".join(f"charges.{c} <> excluded.{c}" for c in _CHANGING)
)

# A staged account: (line, *ACCOUNT_COLUMNS); a staged charge: (line, *CHARGE_COLUMNS).
StagedRow = tuple[Any, ...]


@dataclass
class MergeCounts:
    accounts_created: int
    accounts_updated: int
    charges_created: int
    charges_updated: int
    charges_removed: int


def _column_type(name: str, postgres: bool) -> str:
    if name in _DATES:
        return "DATE" if postgres else "TEXT"  # SQLAlchemy keeps SQLite dates as ISO text
    if name == "amount":
        return "NUMERIC(18, 4)" if postgres else "NUMERIC"
    return "TEXT"


class Staging:
    """The staging tables of one import, on one connection, in one transaction."""

    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn
        self.postgres = conn.dialect.name == "postgresql"

    async def create(self) -> None:
        suffix = " ON COMMIT DROP" if self.postgres else ""
        for table, columns in (
            ("import_accounts", ACCOUNT_COLUMNS),
            ("import_charges", CHARGE_COLUMNS),
        ):
            if not self.postgres:  # SQLite keeps temporary tables until the connection closes
                await self._conn.exec_driver_sql(f"DROP TABLE IF EXISTS temp.{table}")
            body = ", ".join(f"{c} {_column_type(c, self.postgres)} NOT NULL" for c in columns)
            await self._conn.exec_driver_sql(
                f"CREATE TEMPORARY TABLE {table} (line INTEGER NOT NULL, {body}){suffix}"
            )

    def date_value(self, value: date) -> Any:
        """A date as this database's staging table takes it."""
        return value if self.postgres else value.isoformat()

    def amount_value(self, value: Decimal) -> Any:
        return value if self.postgres else str(value)

    async def add(self, accounts: Sequence[StagedRow], charges: Sequence[StagedRow]) -> None:
        for table, columns, rows in (
            ("import_accounts", ACCOUNT_COLUMNS, accounts),
            ("import_charges", CHARGE_COLUMNS, charges),
        ):
            if not rows:
                continue
            if self.postgres:
                raw = await self._conn.get_raw_connection()
                await raw.driver_connection.copy_records_to_table(  # type: ignore[union-attr]
                    table, records=rows, columns=("line", *columns)
                )
            else:
                marks = ", ".join("?" * (len(columns) + 1))
                await self._conn.exec_driver_sql(
                    f"INSERT INTO {table} VALUES ({marks})",  # noqa: S608 - fixed names
                    list(rows),
                )

    async def index(self) -> None:
        """Index the staged rows once they are all in (faster than indexing each insert)."""
        await self._conn.exec_driver_sql(
            "CREATE INDEX import_accounts_id ON import_accounts (account_id, line)"
        )
        await self._conn.exec_driver_sql(
            "CREATE INDEX import_charges_id ON import_charges (account_id, charge_id, line)"
        )
        if self.postgres:
            await self._conn.exec_driver_sql("ANALYZE import_accounts")
            await self._conn.exec_driver_sql("ANALYZE import_charges")

    async def repeated_accounts(self) -> AsyncIterator[tuple[Any, ...]]:
        """Rows of accounts staged more than once (rows far apart), by account then line."""
        result = await self._conn.stream(text(REPEATED_ACCOUNTS))
        async for row in result:
            yield tuple(row)

    async def repeated_charges(self) -> AsyncIterator[tuple[int, str]]:
        """(line, charge_id) of each charge already staged at an earlier line."""
        result = await self._conn.stream(
            text(
                "SELECT line, charge_id FROM import_charges c WHERE EXISTS ("
                "SELECT 1 FROM import_charges d WHERE d.account_id = c.account_id"
                " AND d.charge_id = c.charge_id AND d.line < c.line) ORDER BY line"
            )
        )
        async for row in result:
            yield int(row[0]), str(row[1])

    async def keep_first_rows(self) -> None:
        """An account staged on several rows (that agree) is merged once."""
        await self._conn.exec_driver_sql(
            "DELETE FROM import_accounts WHERE EXISTS (SELECT 1 FROM import_accounts b"
            " WHERE b.account_id = import_accounts.account_id AND b.line < import_accounts.line)"
        )

    async def merge(self, now: datetime) -> MergeCounts:
        """Upsert accounts and charges; drop charges the file no longer has (unless disputed)."""
        staged_accounts = await self._count("SELECT count(*) FROM import_accounts")
        new_accounts = await self._count(
            "SELECT count(*) FROM import_accounts i WHERE NOT EXISTS"
            " (SELECT 1 FROM accounts a WHERE a.account_id = i.account_id)"
        )
        staged_charges = await self._count("SELECT count(*) FROM import_charges")
        new_charges = await self._count(
            "SELECT count(*) FROM import_charges i WHERE NOT EXISTS (SELECT 1 FROM charges c"
            " WHERE c.account_id = i.account_id AND c.charge_id = i.charge_id)"
        )
        await self._conn.execute(
            text(UPSERT_ACCOUNTS).bindparams(bindparam("now", type_=DateTime(timezone=True))),
            {"now": now},
        )
        await self._conn.exec_driver_sql(UPSERT_CHARGES)
        # Only accounts already known can have charges the file dropped.
        removed = await self._remove_dropped() if staged_accounts > new_accounts else 0
        if not self.postgres:  # PostgreSQL drops them at commit
            await self._conn.exec_driver_sql("DROP TABLE temp.import_accounts")
            await self._conn.exec_driver_sql("DROP TABLE temp.import_charges")
        return MergeCounts(
            accounts_created=new_accounts,
            accounts_updated=staged_accounts - new_accounts,
            charges_created=new_charges,
            charges_updated=staged_charges - new_charges,
            charges_removed=removed,
        )

    async def _remove_dropped(self) -> int:
        """Delete charges of imported accounts that the file no longer lists.

        A charge under dispute stays until the case closes (R8).
        """
        result = await self._conn.exec_driver_sql(
            "DELETE FROM charges WHERE dispute_id IS NULL"
            " AND EXISTS (SELECT 1 FROM import_accounts a WHERE a.account_id = charges.account_id)"
            " AND NOT EXISTS (SELECT 1 FROM import_charges i WHERE"
            " i.account_id = charges.account_id AND i.charge_id = charges.charge_id)"
        )
        return int(result.rowcount or 0)

    async def _count(self, sql: str) -> int:
        return int((await self._conn.exec_driver_sql(sql)).scalar_one())
