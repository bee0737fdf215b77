"""The conversation record and the row it is stored in."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.service.record import BOT, RECORD_COLUMNS, ConversationRecord
from bot.store.tables import ConversationRow

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
    row = _row()
    changed.write_to(row)
    assert ConversationRecord.from_row(row) == changed
    assert row.account_id == "T-HANS"
    assert row.frames == list(changed.frames) and row.choices == [list(c) for c in changed.choices]
