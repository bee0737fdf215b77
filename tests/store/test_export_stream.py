"""Exports stream a batch at a time, so every row comes out whatever the table's size."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.service.accounts_import import import_accounts
from bot.service.exports import STREAM_BATCH, export
from bot.store.tables import ArrangementRow

DATA = Path(__file__).resolve().parents[2] / "data"
ROWS = STREAM_BATCH * 2 + 7  # more than one batch, and a partial last one


async def test_every_row_is_exported_in_order_across_batches(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await import_accounts(sessions, DATA / "demo_accounts.csv")
    start = datetime(2026, 11, 22, tzinfo=UTC)
    async with sessions() as session, session.begin():
        await session.execute(
            insert(ArrangementRow),
            [
                {
                    "id": f"A-{n:05d}",
                    "account_id": "DEMO-EN-1",
                    "kind": "promise",
                    "status": "active",
                    "amount": Decimal("10.5"),
                    "currency": "USD",
                    "installments": [],
                    "script_version": "v1",
                    "created_at": start + timedelta(seconds=n),
                }
                for n in range(ROWS)
            ],
        )
    out = io.StringIO()
    assert await export(sessions, what="arrangements", fmt="csv", out=out) == ROWS
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [r["id"] for r in rows] == [f"A-{n:05d}" for n in range(ROWS)]
    assert {r["amount"] for r in rows} == {"10.50"}
    out = io.StringIO()
    assert await export(sessions, what="arrangements", fmt="jsonl", out=out) == ROWS
    last = json.loads(out.getvalue().splitlines()[-1])
    assert last["id"] == f"A-{ROWS - 1:05d}" and last["installments"] == []
