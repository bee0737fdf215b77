"""Rows written at commit: in the order added, all or nothing with their transaction."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col

from bot.service.accounts_import import import_accounts
from bot.service.queueing import TRANSCRIPT, transcript_line
from bot.store.pending import insert_at_commit
from bot.store.tables import ConversationRow, TranscriptRow

NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)
DEMO_ACCOUNTS = Path(__file__).resolve().parents[2] / "data" / "demo_accounts.csv"
ACCOUNT = "DEMO-EN-1"


async def _conversation(sessions: async_sessionmaker[AsyncSession]) -> int:
    await import_accounts(sessions, DEMO_ACCOUNTS)
    async with sessions() as session, session.begin():
        row = ConversationRow(
            channel="terminal",
            chat_key="c-1",
            account_id=ACCOUNT,
            owner="bot",
            script_id="repayment",
            script_version="1",
            policy_version="p",
            locale="en",
            frames=[],
            choices=[],
            vars={},
            created_at=NOW,
            updated_at=NOW,
        )
        session.add(row)
        await session.flush()
        return int(row.id or 0)


def _line(conversation_id: int, text: str, payload: dict[str, Any] | None = None) -> dict[str, Any]:
    return transcript_line(
        conversation_id=conversation_id,
        account_id=ACCOUNT,
        direction="out",
        kind="message",
        text=text,
        payload=payload,
        script_version="1",
        created_at=NOW,
    )


async def _texts(sessions: async_sessionmaker[AsyncSession]) -> list[tuple[str, Any]]:
    async with sessions() as session:
        query = select(TranscriptRow).order_by(col(TranscriptRow.id))
        return [(row.text, row.payload) for row in (await session.execute(query)).scalars()]


@pytest.mark.parametrize("count", [1, 3])
async def test_rows_are_written_at_commit_in_the_order_they_were_added(
    sessions: async_sessionmaker[AsyncSession], count: int
) -> None:
    conversation = await _conversation(sessions)
    async with sessions() as session, session.begin():
        for n in range(count):
            insert_at_commit(session, TRANSCRIPT, _line(conversation, f"line {n}", {"n": n}))
        # Not written yet: nothing in the transaction reads them back.
        assert (await session.execute(select(TranscriptRow))).first() is None
    assert await _texts(sessions) == [(f"line {n}", {"n": n}) for n in range(count)]


async def test_a_rolled_back_transaction_writes_nothing_then_or_later(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    conversation = await _conversation(sessions)
    async with sessions() as session:
        with pytest.raises(RuntimeError):
            async with session.begin():
                insert_at_commit(session, TRANSCRIPT, _line(conversation, "never"))
                raise RuntimeError("the handler failed")
        # The same session's next transaction must not carry the dropped row along.
        async with session.begin():
            insert_at_commit(session, TRANSCRIPT, _line(conversation, "kept"))
    assert await _texts(sessions) == [("kept", None)]


async def test_a_failing_insert_fails_the_commit_and_keeps_nothing(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    conversation = await _conversation(sessions)
    with pytest.raises(Exception, match=r"(?i)foreign key|violates"):
        async with sessions() as session, session.begin():
            insert_at_commit(session, TRANSCRIPT, _line(conversation, "first"))
            insert_at_commit(session, TRANSCRIPT, _line(conversation + 999, "no such chat"))
    assert await _texts(sessions) == []
