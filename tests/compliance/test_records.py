"""Records kept and let go (R17, R18), through `repaybot` itself.

A borrower talks to the real bot over the local Bot API in 2022 (a fixed clock),
links, verifies, writes in their own words and agrees a plan. Years later:

- `repaybot accounts erase` refuses while the lender's duty runs, and once it has
  ended erases them: a search of every column of every table (the metadata
  introspected, so a table added later is searched too) and of every log line the
  whole story produced finds nothing of them: name, phone, birth date, chat id,
  their words. Their figures (the plan's amounts and dates) and an audit line stay.
- `repaybot retention run` lets go of what the duty no longer covers, after a dry
  run that changes nothing, and keeps what is recent.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import SQLModel

from bot.bootstrap import App, build_app
from bot.channels.telegram.runner import TelegramOptions, run
from bot.cli import main
from bot.config import Settings
from bot.service.accounts_import import import_accounts
from bot.service.audit import record
from bot.service.linking import create_link_token
from bot.store.tables import (
    AccountRow,
    ArrangementRow,
    AuditRow,
    ConversationRow,
    TranscriptRow,
)
from bot.understanding.model import IntentModel
from tests.telegram.conftest import FIXTURES
from tests.telegram.fake_bot_api import FakeTelegram

CHAT = 987654321
STARTED = datetime.now(UTC)
THEN = datetime(2022, 3, 1, 10, 0, tzinfo=UTC)
OWN_WORDS = "Thank you, my budgie Pickles says hello"
# Everything that says who they are, as it could be stored or logged.
NEEDLES = ("Alex Morgan", "Morgan", "5550100001", "1990-05-17", str(CHAT), "Pickles", "budgie")


def in_2022() -> datetime:
    return THEN + (datetime.now(UTC) - STARTED)


@dataclass
class Story:
    sessions: async_sessionmaker[AsyncSession]
    env: dict[str, str]


async def _talk_in_2022(app: App, tg: FakeTelegram) -> None:
    """Link, verify, say something of their own, agree a plan: a borrower's record."""
    async with app.sessions() as session, session.begin():
        token = await create_link_token(session, account_id="T-EN", now=in_2022(), valid_days=7)
    user = tg.user(CHAT, "Alex")
    await user.send_command("/start", token)
    await user.next_messages()
    await user.send_text("1990-05-17")
    await user.next_messages()
    await user.press("Pay in installments")
    await user.next_messages()
    await user.press("3 monthly payments of $440.17")
    await user.next_messages()
    await user.press("Yes, set it up")
    await user.next_messages()
    await user.send_text(OWN_WORDS)
    await user.next_messages()
    async with app.sessions() as session, session.begin():
        # What a person wrote about them in the console, kept in the audit.
        record(
            session,
            actor="agent:mei",
            action="note",
            now=in_2022(),
            target="conversation",
            after={"note": f"Alex Morgan ({CHAT}) says: {OWN_WORDS}"},
        )


@pytest.fixture
async def story(
    database_url: str,
    intent_model: IntentModel,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> AsyncIterator[Story]:
    caplog.set_level(logging.DEBUG)  # every logger, every level: nothing of them anywhere
    async with FakeTelegram() as tg:
        settings = Settings(
            database_url=database_url, telegram_token=tg.token, telegram_api_url=tg.base_url
        )
        app = await build_app(settings, clock=in_2022, model=intent_model)
        await import_accounts(app.sessions, FIXTURES / "accounts.csv")
        stop = asyncio.Event()
        options = TelegramOptions(token=tg.token, api_url=tg.base_url, poll_timeout=1)
        serving = asyncio.create_task(run(app, options, stop))
        try:
            await _talk_in_2022(app, tg)
        finally:
            stop.set()
            await asyncio.wait_for(serving, 30)
        async with app.sessions() as session, session.begin():
            # The lender's file was last loaded then too.
            await session.execute(
                update(AccountRow).values(created_at=in_2022(), updated_at=in_2022())
            )
        env = {"REPAYBOT_DATABASE_URL": database_url}
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        try:
            yield Story(app.sessions, env)
        finally:
            await app.close()


async def _repaybot(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = await asyncio.to_thread(main, list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _text(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


async def _everything(sessions: async_sessionmaker[AsyncSession]) -> dict[str, list[str]]:
    """Every value of every column of every table, as text, by table."""
    found: dict[str, list[str]] = {}
    async with sessions() as session:
        for table in SQLModel.metadata.sorted_tables:
            rows = (await session.execute(select(table))).all()
            found[table.name] = [_text(value) for row in rows for value in row if value is not None]
    return found


def _mentions(texts: list[str]) -> list[str]:
    pattern = re.compile("|".join(re.escape(n) for n in NEEDLES))
    return [text[:120] for text in texts if pattern.search(text)]


@pytest.mark.rule("R18")
async def test_r18_an_erased_borrower_is_in_no_table_and_no_log(
    story: Story, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    before = await _everything(story.sessions)
    assert _mentions(before["transcript"]) and _mentions(before["accounts"])  # they were there
    assert _mentions(before["audit_log"])
    # The raw update left the inbox with the transaction that handled it (R18, claim_kept).
    assert before["inbox"] and not _mentions(before["inbox"])

    code, out, err = await _repaybot(
        capsys, "accounts", "erase", "T-EN", "--reason", "erasure request 118", "--by", "dpo"
    )
    assert (code, err) == (0, ""), err
    assert out.startswith("Account T-EN erased:")

    after = await _everything(story.sessions)
    assert {table: _mentions(texts) for table, texts in after.items() if _mentions(texts)} == {}
    logged = [r.getMessage() for r in caplog.records] + [caplog.text]
    assert _mentions(logged) == []
    # What the lender must keep stays, with no one in it.
    assert "王小明" in after["accounts"]  # the other borrowers are untouched
    async with story.sessions() as session:
        account = await session.get(AccountRow, "T-EN")
        plans = list((await session.execute(select(ArrangementRow))).scalars())
        audit = list(
            (await session.execute(select(AuditRow).where(AuditRow.action == "account_erased")))  # type: ignore[arg-type]
            .scalars()
        )
    assert account is not None and account.erased_at is not None and account.opted_out
    assert [(p.account_id, p.amount, len(p.installments)) for p in plans] == [
        ("T-EN", Decimal("1320.5000"), 3)
    ]
    assert [(a.actor, a.target, (a.after or {}).get("reason")) for a in audit] == [
        ("dpo", "T-EN", "erasure request 118")
    ]
    # Once is enough: a second request is told so, and changes nothing.
    code, _, err = await _repaybot(capsys, "accounts", "erase", "T-EN", "--reason", "again")
    assert (code, err) == (2, "Account T-EN was erased already.\n")


@pytest.mark.rule("R18")
async def test_r18_erasure_is_refused_while_the_duty_runs_and_changes_nothing(
    story: Story, capsys: pytest.CaptureFixture[str]
) -> None:
    async with story.sessions() as session, session.begin():
        # A payment file touched the account this year: the duty runs from then.
        await session.execute(
            update(AccountRow)
            .where(AccountRow.account_id == "T-EN")  # type: ignore[arg-type]
            .values(updated_at=datetime(2026, 1, 15, tzinfo=UTC))
        )
    before = await _everything(story.sessions)
    code, out, err = await _repaybot(capsys, "accounts", "erase", "T-EN", "--reason", "request 7")
    assert (code, out) == (2, "")
    assert err == (
        "Account T-EN cannot be erased before 2029-01-15: the lender must keep its records "
        "3 years after its last activity (2026-01-15). Nothing was erased.\n"
    )
    assert await _everything(story.sessions) == before
    code, _, err = await _repaybot(capsys, "accounts", "erase", "NO-SUCH", "--reason", "x")
    assert (code, err) == (2, "No account 'NO-SUCH'.\n")
    code, _, err = await _repaybot(capsys, "accounts", "erase", "T-EN", "--reason", "  ")
    assert code == 2 and "--reason" in err
    assert await _everything(story.sessions) == before


@pytest.mark.rule("R17")
async def test_r17_retention_lets_old_records_go_keeps_recent_ones_and_the_figures(
    story: Story, capsys: pytest.CaptureFixture[str]
) -> None:
    async with story.sessions() as session, session.begin():
        # Another borrower wrote last month: theirs is kept.
        recent = datetime.now(UTC).replace(microsecond=0)
        theirs = ConversationRow(
            channel="telegram",
            chat_key="555",
            account_id="T-HANS",
            user_key="555",
            script_id="repayment",
            script_version="",
            frames=[],
            choices=[],
            vars={},
            created_at=recent,
            updated_at=recent,
        )
        session.add(theirs)
        await session.flush()
        assert theirs.id is not None
        session.add(
            TranscriptRow(
                conversation_id=theirs.id,
                account_id="T-HANS",
                direction="in",
                kind="text",
                text="我下个月还",
                script_version="",
                created_at=recent,
            )
        )
        await session.execute(
            update(AccountRow)
            .where(AccountRow.account_id == "T-HANS")  # type: ignore[arg-type]
            .values(updated_at=recent)
        )
    before = await _everything(story.sessions)
    code, out, err = await _repaybot(capsys, "retention", "run", "--dry-run")
    assert (code, err) == (0, "")
    counted = dict(re.findall(r"^\s+(\w[\w -]*?)\s+(\d+)\s+would let go$", out, re.MULTILINE))
    assert int(counted["accounts"]) == 2  # T-EN and T-HANT: nothing since 2022
    assert int(counted["messages"]) > 0
    assert await _everything(story.sessions) == before  # a dry run changes nothing

    code, out, err = await _repaybot(capsys, "retention", "run")
    assert (code, err) == (0, "")
    after = await _everything(story.sessions)
    assert {table: _mentions(texts) for table, texts in after.items() if _mentions(texts)} == {}
    assert "我下个月还" in after["transcript"] and "王小明" in after["accounts"]
    async with story.sessions() as session:
        plans = list((await session.execute(select(ArrangementRow))).scalars())
    assert [(p.account_id, p.amount) for p in plans] == [("T-EN", Decimal("1320.5000"))]
    # Run again: nothing left to let go.
    code, out, _ = await _repaybot(capsys, "retention", "run")
    assert code == 0
    assert set(re.findall(r"(\d+)\s+let go$", out, re.MULTILINE)) == {"0"}
