"""Export what conversations produced, for the lender's own systems."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal, TextIO

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.money import quantize
from bot.store.tables import ArrangementRow, DisputeRow, EscalationRow

What = Literal["arrangements", "disputes", "escalations"]
Format = Literal["csv", "jsonl"]

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
        "account_id",
        "reason",
        "priority",
        "status",
        "note",
        "due_on",
        "created_at",
    ),
}
TABLES: dict[str, Any] = {
    "arrangements": ArrangementRow,
    "disputes": DisputeRow,
    "escalations": EscalationRow,
}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _record(what: str, row: Any) -> dict[str, Any]:
    record = {name: _plain(getattr(row, name)) for name in COLUMNS[what]}
    if "amount" in record and "currency" in record:
        record["amount"] = str(quantize(Decimal(str(row.amount)), row.currency))
    return record


def _csv_cell(name: str, value: Any) -> Any:
    if name == "installments":
        return ";".join(f"{i['due_date']}:{i['amount']}" for i in value or [])
    if name == "charge_ids":
        return ";".join(value or [])
    return "" if value is None else value


async def export(
    sessions: async_sessionmaker[AsyncSession], *, what: What, fmt: Format, out: TextIO
) -> int:
    table = TABLES[what]
    async with sessions() as session:
        rows = list(
            (await session.execute(select(table).order_by(table.created_at, table.id))).scalars()
        )
    records = [_record(what, row) for row in rows]
    write: Callable[[list[dict[str, Any]], TextIO], None] = (
        _write_csv(what) if fmt == "csv" else _write_jsonl
    )
    write(records, out)
    return len(records)


def _write_csv(what: str) -> Callable[[list[dict[str, Any]], TextIO], None]:
    def write(records: list[dict[str, Any]], out: TextIO) -> None:
        writer = csv.DictWriter(out, fieldnames=COLUMNS[what], lineterminator="\n")
        writer.writeheader()
        for record in records:
            writer.writerow({k: _csv_cell(k, v) for k, v in record.items()})

    return write


def _write_jsonl(records: list[dict[str, Any]], out: TextIO) -> None:
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
