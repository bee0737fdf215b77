"""Bulk loading of the lender's file: staging tables, then set-based merges.

Validated rows go into temporary staging tables (COPY on PostgreSQL,
executemany on SQLite) inside the caller's transaction; the database then
checks what spans the whole file (an account on rows far apart, a charge twice)
and merges with a few statements: insert what is new, update only what
changed, delete charges the file dropped, set or lift the breathing spaces
the file speaks of. Nothing of the file is held in Python, and a rollback
leaves the real tables as they were.

A first load on PostgreSQL (no accounts yet) inserts each batch as soon as it
is staged, so the database works while Python reads and checks the next one;
a re-import sorts the file's charges into new and changed in one join, so an
unchanged file is only read.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Date, DateTime, bindparam, text
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
# What the file says of a breathing space (issue 16 point 2): "1" with its first
# and last day (either may be NULL), "0" for none, NULL when the file says nothing.
BREATHING_COLUMNS = ("breathing_space", "breathing_space_from", "breathing_space_until")
STAGED_ACCOUNT_COLUMNS = ACCOUNT_COLUMNS + BREATHING_COLUMNS
CHARGE_COLUMNS = ("account_id", "charge_id", "kind", "description", "amount", "posted_on")
_DATES = {"birth_date", "due_date", "posted_on", "breathing_space_from", "breathing_space_until"}
LIFTED_LISTED = 20  # a summary names this many lifted accounts, then counts the rest
ANALYZE_AFTER = 10_000  # new charges after which PostgreSQL's statistics are refreshed

# A staged account: (line, *STAGED_ACCOUNT_COLUMNS); a staged charge: (line, *CHARGE_COLUMNS).
StagedRow = tuple[Any, ...]


@dataclass
class MergeCounts:
    accounts_created: int
    accounts_updated: int
    charges_created: int
    charges_updated: int
    charges_removed: int
    arrangements_flagged: int = 0
    breathing_spaces_set: int = 0
    breathing_spaces_lifted: int = 0
    lifted_accounts: tuple[str, ...] = ()  # the first LIFTED_LISTED, for the summary


def _typed(column: str, postgres: bool) -> str:
    """A staged (text) column as the real table's type: PostgreSQL casts, SQLite keeps text."""
    if not postgres:
        return f"i.{column}"  # SQLAlchemy keeps SQLite dates as ISO text; NUMERIC converts
    if column in _DATES:
        return f"CAST(i.{column} AS DATE)"
    if column == "amount":
        return f"CAST(i.{column} AS NUMERIC(18, 4))"
    return f"i.{column}"


def _from_file(column: str, postgres: bool) -> str:
    """What a re-import writes: the file's value, except a locale the borrower chose."""
    if column == "locale":
        return "CASE WHEN accounts.locale_chosen THEN accounts.locale ELSE i.locale END"
    return _typed(column, postgres)


def _differs(column: str, postgres: bool) -> str:
    """Whether the file changes the column (a chosen locale it never changes)."""
    if column == "locale":
        return "(accounts.locale <> i.locale AND NOT accounts.locale_chosen)"
    return f"accounts.{column} <> {_typed(column, postgres)}"


def _statements(postgres: bool) -> dict[str, str]:
    """The merge's SQL, built once per database from the fixed column names (never input)."""
    accounts = ", ".join(ACCOUNT_COLUMNS)
    staged = ", ".join(STAGED_ACCOUNT_COLUMNS)
    charges = ", ".join(CHARGE_COLUMNS)
    account_values = ", ".join(_typed(c, postgres) for c in ACCOUNT_COLUMNS)
    charge_values = ", ".join(_typed(c, postgres) for c in CHARGE_COLUMNS)
    owned = ACCOUNT_COLUMNS[1:]  # what a re-import may change; the bot's own columns stay
    changing = CHARGE_COLUMNS[2:]
    same_charge = "c.account_id = i.account_id AND c.charge_id = i.charge_id"
    # The batch just staged: its pages (a TID range scan) and its lines.
    batch = " WHERE i.ctid >= $1 AND i.line >= $2"
    drop = " ON COMMIT DROP" if postgres else ""
    return {
        "first_accounts": (
            f"INSERT INTO accounts ({accounts}, extensions_used, collection_paused,"  # noqa: S608
            " breathing_space, opted_out, unreachable, created_at, updated_at)"
            f" SELECT {account_values}, 0, FALSE, FALSE, FALSE, FALSE, $3, $3"
            f" FROM import_accounts i{batch}"
        ),
        "first_charges": (
            f"INSERT INTO charges ({charges}) SELECT {charge_values}"  # noqa: S608
            f" FROM import_charges i{batch}"
        ),
        "new_accounts": (
            f"INSERT INTO accounts ({accounts}, extensions_used, collection_paused,"  # noqa: S608
            " breathing_space, opted_out, unreachable, created_at, updated_at)"
            f" SELECT {account_values}, 0, FALSE, FALSE, FALSE, FALSE, :now, :now"
            " FROM import_accounts i WHERE NOT EXISTS"
            " (SELECT 1 FROM accounts a WHERE a.account_id = i.account_id)"
        ),
        "changed_accounts": (
            "UPDATE accounts SET "  # noqa: S608
            + ", ".join(f"{c} = {_from_file(c, postgres)}" for c in owned)
            + ", updated_at = :now FROM import_accounts i"
            " WHERE accounts.account_id = i.account_id AND ("
            + " OR ".join(_differs(c, postgres) for c in owned)
            + ")"
        ),
        "new_charges": (
            f"INSERT INTO charges ({charges}) SELECT {charge_values}"  # noqa: S608
            f" FROM import_charges i WHERE NOT EXISTS (SELECT 1 FROM charges c WHERE {same_charge})"
        ),
        # A re-import sorts the file's charges in one pass: the new and the
        # changed go to a small table, an unchanged one is only read.
        "sort_charges": (
            f"CREATE TEMPORARY TABLE import_charge_changes{drop} AS SELECT"  # noqa: S608
            f" {', '.join('i.' + c for c in CHARGE_COLUMNS)}, c.account_id IS NULL AS is_new"
            " FROM import_charges i LEFT JOIN charges c ON c.account_id = i.account_id"
            " AND c.charge_id = i.charge_id WHERE c.account_id IS NULL OR "
            + " OR ".join(f"c.{c} <> {_typed(c, postgres)}" for c in changing)
        ),
        "sorted_new_charges": (
            f"INSERT INTO charges ({charges}) SELECT {charge_values}"  # noqa: S608
            " FROM import_charge_changes i WHERE i.is_new"
        ),
        "sorted_changed_charges": (
            "UPDATE charges SET "  # noqa: S608
            + ", ".join(f"{c} = {_typed(c, postgres)}" for c in changing)
            + " FROM import_charge_changes i WHERE charges.account_id = i.account_id"
            " AND charges.charge_id = i.charge_id AND NOT i.is_new"
        ),
        # A charge under dispute stays until the case closes (R8).
        "dropped_charges": (
            "DELETE FROM charges WHERE dispute_id IS NULL"
            " AND EXISTS (SELECT 1 FROM import_accounts a WHERE a.account_id = charges.account_id)"
            " AND NOT EXISTS (SELECT 1 FROM import_charges i WHERE"
            " i.account_id = charges.account_id AND i.charge_id = charges.charge_id)"
        ),
        # Issue 7 point 3: the lender's new figures win, but an arrangement agreed
        # on the old ones is not silently kept: it goes to a person for review.
        "flag_arrangements": (
            "UPDATE arrangements SET status = 'review' WHERE status = 'active'"
            " AND EXISTS (SELECT 1 FROM import_accounts a"
            " WHERE a.account_id = arrangements.account_id)"
            # SQLite sums money as floating point: compare to within half a cent.
            " AND ABS(amount - (SELECT COALESCE(SUM(c.amount), 0) FROM charges c"
            " WHERE c.account_id = arrangements.account_id AND c.dispute_id IS NULL)) > 0.005"
        ),
        # R7: a payment made on or before this file's day is in its figures now, so the
        # statement stops taking it off the charges (only unreflected rows are read).
        "reflect_payments": (
            "UPDATE payments SET reflected = TRUE WHERE NOT reflected AND paid_on <= :today"
            " AND EXISTS (SELECT 1 FROM import_accounts a WHERE a.account_id = payments.account_id)"
        ),
        **_breathing_statements(postgres),
        "repeated_accounts": (
            f"SELECT line, {staged} FROM import_accounts a WHERE EXISTS ("  # noqa: S608
            "SELECT 1 FROM import_accounts b WHERE b.account_id = a.account_id AND b.line <> a.line)"
            " ORDER BY account_id, line"
        ),
    }


def _breathing_statements(postgres: bool) -> dict[str, str]:
    """Set or lift the breathing spaces the file speaks of, and record each change.

    Only accounts whose row says something (staged breathing_space not NULL)
    are touched, so a file without the columns leaves a person's one alone; a
    breathing space already set with the same days is not set again.
    """
    since, until = (
        _typed("breathing_space_from", postgres),
        _typed("breathing_space_until", postgres),
    )
    differs = "IS DISTINCT FROM" if postgres else "IS NOT"
    changed = (
        "(i.breathing_space = '1' AND (NOT {a}.breathing_space"
        f" OR {{a}}.breathing_space_from {differs} {since}"
        f" OR {{a}}.breathing_space_until {differs} {until}))"
        " OR (i.breathing_space = '0' AND {a}.breathing_space)"
    )

    def recorded(kind: str, wanted: str) -> str:
        return (
            "INSERT INTO account_events (account_id, kind, since, until, actor, created_at)"  # noqa: S608
            f" SELECT i.account_id, '{kind}', {since if wanted == '1' else 'NULL'},"
            f" {until if wanted == '1' else 'NULL'}, 'import', :now"
            " FROM import_accounts i JOIN accounts a ON a.account_id = i.account_id"
            f" WHERE i.breathing_space = '{wanted}' AND ({changed.format(a='a')})"
        )

    return {
        "breathing_set": recorded("breathing_space_set", "1"),
        "breathing_lifted": recorded("breathing_space_lifted", "0"),
        "breathing_accounts": (
            "UPDATE accounts SET breathing_space = (i.breathing_space = '1'),"  # noqa: S608
            f" breathing_space_from = {since}, breathing_space_until = {until},"
            " updated_at = :now FROM import_accounts i"
            " WHERE accounts.account_id = i.account_id AND i.breathing_space IS NOT NULL"
            f" AND ({changed.format(a='accounts')})"
        ),
    }


_SQL = {False: _statements(False), True: _statements(True)}


# The staging tables: (name, columns after `line`), accounts first.
_STAGING = (("import_accounts", STAGED_ACCOUNT_COLUMNS), ("import_charges", CHARGE_COLUMNS))


class FirstLoadClash(Exception):
    """The file named an account or a charge twice during a first load; the
    import starts over the careful way, which says where (its rollback undid all)."""


class Staging:
    """The staging tables of one import, on one connection, in one transaction.

    Staged values are text (dates in ISO form, amounts as written): COPY and
    executemany move text fastest, and the merge casts where the database needs it.
    """

    def __init__(self, conn: AsyncConnection, now: datetime) -> None:
        self._conn = conn
        self._now = now
        self.postgres = conn.dialect.name == "postgresql"
        self._sql = _SQL[self.postgres]
        self.first_load = False  # see create()
        self._new_accounts = self._new_charges = 0  # inserted batch by batch (first load)

    async def create(self, first_load: bool = True) -> None:
        """The staging tables; on PostgreSQL with no accounts yet, a first load.

        A first load inserts each batch at once, while the next one is read and
        checked (the two cores work together); there is nothing to compare
        with. A file found bad later rolls the inserts back with the rest.
        """
        if self.postgres and first_load:
            self.first_load = bool(await self._scalar("SELECT NOT EXISTS (SELECT 1 FROM accounts)"))
        suffix = " ON COMMIT DROP" if self.postgres else ""
        for table, columns in _STAGING:
            if not self.postgres:  # SQLite keeps temporary tables until the connection closes
                await self._conn.exec_driver_sql(f"DROP TABLE IF EXISTS temp.{table}")
            body = ", ".join(
                f"{c} TEXT" if c in BREATHING_COLUMNS else f"{c} TEXT NOT NULL" for c in columns
            )
            await self._conn.exec_driver_sql(
                f"CREATE TEMPORARY TABLE {table} (line INTEGER NOT NULL, {body}){suffix}"
            )

    @staticmethod
    def date_value(value: date) -> str:
        """A date as the staging tables take it."""
        return value.isoformat()

    @staticmethod
    def amount_value(value: Decimal) -> str:
        return str(value)

    async def add(self, accounts: Sequence[StagedRow], charges: Sequence[StagedRow]) -> None:
        for (table, columns), rows in zip(_STAGING, (accounts, charges), strict=True):
            if not rows:
                continue
            if self.postgres:
                await self._copy(table, columns, rows)
            else:
                marks = ", ".join("?" * (len(columns) + 1))
                await self._conn.exec_driver_sql(
                    f"INSERT INTO {table} VALUES ({marks})",  # noqa: S608 - fixed names
                    list(rows),
                )

    async def _copy(self, table: str, columns: tuple[str, ...], rows: Sequence[StagedRow]) -> None:
        """COPY a batch into its staging table; on a first load, insert it at once.

        The staging tables only grow, so the batch is the rows from the page the
        last one ended on, at or after the batch's first line.
        """
        raw: Any = (await self._conn.get_raw_connection()).driver_connection
        if not self.first_load:
            await raw.copy_records_to_table(table, records=rows, columns=("line", *columns))
            return
        last_page = await raw.fetchval(
            f"SELECT pg_relation_size('{table}') / current_setting('block_size')::int"
        )
        await raw.copy_records_to_table(table, records=rows, columns=("line", *columns))
        batch = ((max(last_page - 1, 0), 0), rows[0][0])
        try:
            if table == "import_accounts":
                done = await raw.execute(self._sql["first_accounts"], *batch, self._now)
                self._new_accounts += int(done.rsplit(" ", 1)[1])
            else:
                done = await raw.execute(self._sql["first_charges"], *batch)
                self._new_charges += int(done.rsplit(" ", 1)[1])
        except Exception as error:
            if getattr(error, "sqlstate", None) == "23505":  # unique_violation
                raise FirstLoadClash from error
            raise

    async def index(self) -> None:
        """Prepare the staged rows for the whole-file queries once they are all in.

        SQLite joins through indexes (built once here, faster than indexing
        each insert); PostgreSQL hash-joins whole tables, and needs only to know
        how many rows there are.
        """
        if self.postgres:
            await self._conn.exec_driver_sql("ANALYZE import_accounts")
            await self._conn.exec_driver_sql("ANALYZE import_charges")
            return
        await self._conn.exec_driver_sql(
            "CREATE INDEX import_accounts_id ON import_accounts (account_id, line)"
        )
        await self._conn.exec_driver_sql(
            "CREATE INDEX import_charges_id ON import_charges (account_id, charge_id, line)"
        )

    async def repeated_accounts(self) -> AsyncIterator[tuple[Any, ...]]:
        """Rows of accounts staged more than once (rows far apart), by account then line."""
        result = await self._conn.stream(text(self._sql["repeated_accounts"]))
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

    async def merge(self, breathing: bool = False) -> MergeCounts:
        """Insert what is new, update what changed, drop charges the file no longer has.

        Rows that did not change are not written at all, so re-importing an
        unchanged file only reads. `breathing`: some row spoke of a breathing space.
        """
        when = {"now": self._now}
        stamp = bindparam("now", type_=DateTime(timezone=True))
        staged_accounts = await self._count("SELECT count(*) FROM import_accounts")
        new_accounts = self._new_accounts  # a first load inserted them batch by batch
        if not self.first_load or new_accounts < staged_accounts:  # the latter: never seen
            new_accounts += await self._rows(
                text(self._sql["new_accounts"]).bindparams(stamp), when
            )
        # Counted from the rows really written: "updated" never counts a row that
        # did not change (issue 7 point 11).
        changed_accounts = changed_charges = 0
        if new_accounts < staged_accounts:
            changed_accounts = await self._rows(
                text(self._sql["changed_accounts"]).bindparams(stamp), when
            )
        if self.first_load:
            # Every staged charge went in with its batch; counted, not assumed.
            new_charges = self._new_charges
            if new_charges < await self._count("SELECT count(*) FROM import_charges"):
                new_charges += await self._rows(text(self._sql["new_charges"]))
        elif new_accounts == staged_accounts:  # all accounts new: so are their charges
            new_charges = await self._rows(text(self._sql["new_charges"]))
        else:
            if not self.postgres:
                await self._conn.exec_driver_sql("DROP TABLE IF EXISTS temp.import_charge_changes")
            await self._conn.exec_driver_sql(self._sql["sort_charges"])
            new_charges = await self._rows(text(self._sql["sorted_new_charges"]))
            changed_charges = await self._rows(text(self._sql["sorted_changed_charges"]))
            if not self.postgres:
                await self._conn.exec_driver_sql("DROP TABLE temp.import_charge_changes")
        removed = 0
        # Only accounts already known can have charges the file dropped.
        if new_accounts < staged_accounts:
            removed = await self._rows(text(self._sql["dropped_charges"]))
        flagged = 0
        if new_accounts < staged_accounts:
            flagged = await self._rows(text(self._sql["flag_arrangements"]))
            today = bindparam("today", type_=Date)
            reflect = text(self._sql["reflect_payments"]).bindparams(today)
            await self._rows(reflect, {"today": self._now.date()})
        spaces_set = spaces_lifted = 0
        lifted_accounts: tuple[str, ...] = ()
        if breathing:  # recorded before the accounts change: the change is what is recorded
            spaces_set = await self._rows(text(self._sql["breathing_set"]).bindparams(stamp), when)
            spaces_lifted = await self._rows(
                text(self._sql["breathing_lifted"]).bindparams(stamp), when
            )
            if spaces_set or spaces_lifted:
                await self._rows(text(self._sql["breathing_accounts"]).bindparams(stamp), when)
            if spaces_lifted:
                lifted = await self._conn.execute(
                    text(
                        "SELECT account_id FROM account_events"
                        " WHERE kind = 'breathing_space_lifted' AND actor = 'import'"
                        " AND created_at = :now ORDER BY account_id LIMIT :listed"
                    ).bindparams(stamp),
                    {**when, "listed": LIFTED_LISTED},
                )
                lifted_accounts = tuple(str(row[0]) for row in lifted)
        if not self.postgres:  # PostgreSQL drops them at commit
            await self._conn.exec_driver_sql("DROP TABLE temp.import_accounts")
            await self._conn.exec_driver_sql("DROP TABLE temp.import_charges")
        elif new_charges > ANALYZE_AFTER:
            # Fresh statistics now rather than whenever autovacuum gets to it: the
            # next import's joins and the bot's lookups plan on them.
            await self._conn.exec_driver_sql("ANALYZE accounts")
            await self._conn.exec_driver_sql("ANALYZE charges")
        return MergeCounts(
            accounts_created=new_accounts,
            accounts_updated=changed_accounts,
            charges_created=new_charges,
            charges_updated=changed_charges,
            charges_removed=removed,
            arrangements_flagged=flagged,
            breathing_spaces_set=spaces_set,
            breathing_spaces_lifted=spaces_lifted,
            lifted_accounts=lifted_accounts,
        )

    async def _rows(self, statement: Any, params: dict[str, Any] | None = None) -> int:
        result = await self._conn.execute(statement, params or {})
        return int(getattr(result, "rowcount", 0) or 0)

    async def _count(self, sql: str) -> int:
        return int(await self._scalar(sql))

    async def _scalar(self, sql: str) -> Any:
        return (await self._conn.exec_driver_sql(sql)).scalar_one()
