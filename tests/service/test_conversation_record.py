"""The conversation record and the row it is stored in."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.engine.types import MoneyValue
from bot.service.accounts_import import import_accounts
from bot.service.record import BOT, RECORD_COLUMNS, ConversationRecord
from bot.store.tables import ConversationRow, table_of

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

NOW = datetime(2026, 11, 22, 15, 0, tzinfo=UTC)


def _row() -> ConversationRow:
    return ConversationRow(
        id=7,
        channel="telegram",
        chat_key="42",
        user_key="42",
        account_id="T-EN",
        owner=BOT,
        script_id="repayment",
        script_version="v1",
        policy_version="p1",
        locale="en",
        frames=["menu", "plan_offer"],
        choices=[["yes", "Yes, set it up"]],
        vars={"offer": {"$money": "440.17", "currency": "USD"}},
        step=5,
        failed_inputs=1,
        verified=True,
        ended=False,
        started=True,
        created_at=NOW,
        updated_at=NOW,
    )


def test_the_columns_written_are_the_ones_the_runtime_saves() -> None:
    record = ConversationRecord.from_row(_row())
    assert tuple(record.columns()) == RECORD_COLUMNS
    assert set(RECORD_COLUMNS) < set(ConversationRow.model_fields)


def test_a_record_written_to_a_row_reads_back_the_same() -> None:
    record = ConversationRecord.from_row(_row())
    changed = record.restarted_for("T-HANS")
    # The columns the runtime's UPDATE writes (`_save`), on the row as stored.
    row = ConversationRow(**{**_row().model_dump(), **changed.columns()})
    assert ConversationRecord.from_row(row) == changed
    assert row.account_id == "T-HANS"
    assert row.frames == list(changed.frames) and row.choices == [list(c) for c in changed.choices]


async def test_the_row_as_the_event_reads_it_gives_the_same_record(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """The event reads its conversation as a Core row; agents' actions load the ORM
    object. Both must give the same record, JSON columns included."""
    await import_accounts(sessions, FIXTURES / "accounts.csv")
    async with sessions() as session, session.begin():
        row = _row()
        row.id = None
        session.add(row)
        await session.flush()
        stored_id = row.id
    async with sessions() as session:
        table = table_of(ConversationRow)
        core = (await session.execute(select(table).where(table.c.id == stored_id))).one()
        orm = await session.get(ConversationRow, stored_id)
        assert orm is not None
        from_core = ConversationRecord.from_row(core)
        assert from_core == ConversationRecord.from_row(orm)
    assert from_core.vars == {"offer": MoneyValue(Decimal("440.17"), "USD")}
    assert from_core.choices == (("yes", "Yes, set it up"),)
    assert from_core.frames == ("menu", "plan_offer")


def test_the_engine_gets_typed_variables_and_the_row_keeps_tagged_json() -> None:
    """The record is where variables change form: the engine never converts them."""
    record = ConversationRecord.from_row(_row())
    state = record.engine_state()
    assert state.vars == {"offer": MoneyValue(Decimal("440.17"), "USD")}
    plan = {"months": 2, "first_due_date": date(2026, 12, 1), "rate": Decimal("0.5")}
    moved = record.after_step(replace(state, vars={**state.vars, "plan": plan}), None)
    assert moved.columns()["vars"] == {
        "offer": {"$money": "440.17", "currency": "USD"},
        "plan": {
            "months": 2,
            "first_due_date": {"$date": "2026-12-01"},
            "rate": {"$decimal": "0.5"},
        },
    }
    row = ConversationRow(**{**_row().model_dump(), **moved.columns()})
    assert ConversationRecord.from_row(row).vars == moved.vars
