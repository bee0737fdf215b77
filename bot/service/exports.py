"""Export what conversations produced, for the lender's own systems.

Rows are streamed from the database and written as they come, so an export of
any size holds one batch in memory.

The lender's staff open the CSV in a spreadsheet, and a spreadsheet runs a cell
that starts with "=", "+", "-" or "@" (or a tab or carriage return before one)
as a formula: a borrower's dispute reason `=HYPERLINK(...)` would become a live
link, `+cmd|' /C calc'!A0` a command (OWASP: CSV injection). Every text cell
that could be read so gets a leading single quote, which the spreadsheet shows
as text; the numbers the exporter writes itself (ids, amounts) stay numbers.
JSON Lines is read by programs, not spreadsheets, and keeps every text verbatim.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, Literal, TextIO

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import SQLModel

from bot.domain.money import quantize
from bot.service.progress import Progress, silent
from bot.store.tables import ArrangementRow, DisputeRow, EscalationRow, table_of

What = Literal["arrangements", "disputes", "escalations"]
Format = Literal["csv", "jsonl"]
STREAM_BATCH = 1000

COLUMNS: dict[str, tuple[str, ...]] = {
    "arrangements": (
        "id",
        "account_id",
        "kind",
        "status",
        "amount",
        "currency",
        "installments",
        "new_due_date",
        "created_at",
        "script_version",
        "ended_at",
        "end_reason",
        "superseded_by",
    ),
    "disputes": (
        "id",
        "account_id",
        "charge_ids",
        "amount",
        "currency",
        "reason",
        "status",
        "answer_due_on",
        "created_at",
    ),
    "escalations": (
        "id",
        "ticket",  # the reference the borrower was given
        "account_id",
        "reason",
        "priority",
        "status",
        "owner",  # who holds the case: a person, or "queue" (R15)
        "note",  # what the borrower wrote for the person (a complaint's details)
        "due_on",
        "created_at",
    ),
}
TABLES: dict[str, type[SQLModel]] = {
    "arrangements": ArrangementRow,
    "disputes": DisputeRow,
    "escalations": EscalationRow,
}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        # SQLite hands back naive datetimes; every stored instant is UTC, and a
        # lender's system must not have to guess the offset.
        aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        return aware.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _record(what: str, row: Any) -> dict[str, Any]:
    record = {name: _plain(getattr(row, name)) for name in COLUMNS[what]}
    if "amount" in record and "currency" in record:
        record["amount"] = str(quantize(Decimal(str(row.amount)), row.currency))
    return record


# Columns whose values the exporter writes itself as numbers: a negative amount
# must stay a number for the lender's sums, and nothing typed by anyone reaches them.
NUMBERS = frozenset({"amount"})
# What a spreadsheet reads as the start of a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """Text a spreadsheet shows as text: one that would start a formula gets a leading
    single quote (the spreadsheet's own mark for "this is text")."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv_cell(name: str, value: Any) -> Any:
    if name == "installments":
        value = ";".join(f"{i['due_date']}:{i['amount']}" for i in value or [])
    elif name == "charge_ids":
        value = ";".join(value or [])
    if value is None:
        return ""
    if isinstance(value, str) and name not in NUMBERS:
        return safe_cell(value)
    return value


async def export(
    sessions: async_sessionmaker[AsyncSession],
    *,
    what: What,
    fmt: Format,
    out: TextIO,
    progress: Progress = silent,
) -> int:
    """Write every row of `what` to `out`, streamed a batch at a time; returns the count.

    `progress` hears the rows written so far (a batch at a time) and how many there
    are, counted first only when someone listens."""
    table = table_of(TABLES[what])
    query = (
        select(*(table.c[name] for name in COLUMNS[what]))
        .order_by(table.c.created_at, table.c.id)
        .execution_options(yield_per=STREAM_BATCH)
    )
    write = _csv_writer(what, out) if fmt == "csv" else _jsonl_writer(out)
    count = 0
    async with sessions() as session, session.begin():
        total = None
        if progress is not silent:
            total = int(
                (await session.execute(select(func.count()).select_from(table))).scalar_one()
            )
            progress(0, total)
        result = await session.stream(query)
        async for row in result:
            write(_record(what, row))
            count += 1
            if count % STREAM_BATCH == 0:
                progress(count, total)
    progress(count, total)
    return count


def _csv_writer(what: str, out: TextIO) -> Callable[[dict[str, Any]], None]:
    writer = csv.DictWriter(out, fieldnames=COLUMNS[what], lineterminator="\n")
    writer.writeheader()

    def write(record: dict[str, Any]) -> None:
        writer.writerow({k: _csv_cell(k, v) for k, v in record.items()})

    return write


def _jsonl_writer(out: TextIO) -> Callable[[dict[str, Any]], None]:
    def write(record: dict[str, Any]) -> None:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")

    return write
