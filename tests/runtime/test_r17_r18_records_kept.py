"""Issue 34 point 7 (R17, R18): keep what is needed, and only that.

Every transcript line carries its account once the chat is linked (the greeting
before too); a typed date of birth is compared, never kept (not in the
transcript, not in the conversation's variables); a raw update leaves the inbox
with the transaction that handled it, its claim staying; an import's error says
row, column and what is wrong, never the value it rejects.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col

from bot.service.accounts_import import ImportRejected, import_accounts
from bot.service.inbox import Claim, Inbox, claim_kept
from bot.service.kept import WITHHELD
from bot.service.payments import import_payments
from bot.store.tables import ConversationRow, InboxRow, TranscriptRow
from tests.runtime.conftest import FIXTURES, NOW, WebChat

WRONG = {"en": "1991-02-03", "zh_Hans": "1984年2月3日", "zh_Hant": "1977年2月3日"}
RIGHT = {
    "en": ("T-EN", "1990-05-17", "1990"),
    "zh_Hans": ("T-HANS", "1985年3月9日", "1985"),
    "zh_Hant": ("T-HANT", "1978年12月24日", "1978"),
}


async def _lines(web: WebChat, user: str) -> list[TranscriptRow]:
    async with web.app.sessions() as session:
        conversation = (
            await session.execute(
                select(ConversationRow).where(col(ConversationRow.chat_key) == user)
            )
        ).scalar_one()
        query = (
            select(TranscriptRow)
            .where(col(TranscriptRow.conversation_id) == conversation.id)
            .order_by(col(TranscriptRow.id))
        )
        return list((await session.execute(query)).scalars())


async def _conversation(web: WebChat, user: str) -> ConversationRow:
    async with web.app.sessions() as session:
        query = select(ConversationRow).where(col(ConversationRow.chat_key) == user)
        return (await session.execute(query)).scalar_one()


@pytest.mark.rule("R17")
async def test_r17_lines_written_before_the_link_get_the_account_when_the_chat_links(
    web: WebChat,
) -> None:
    user = "early"
    await web.say(user, "hello")  # not linked yet: the bot says how to link
    await web.say(user, "/start")
    before = await _lines(web, user)
    assert before and all(line.account_id is None for line in before)
    await web.say(user, f"/start {await web.link('T-EN')}")
    await web.say(user, "1990-05-17")
    lines = await _lines(web, user)
    assert len(lines) > len(before)
    assert {line.account_id for line in lines} == {"T-EN"}
    assert {line.direction for line in lines} == {"in", "out"}


_OUTBOX_REFERENCE = re.compile(r"\d+:[0-9a-f]{32}:\d+")


def _opaque(payload: dict[str, Any] | None) -> dict[str, Any] | None:
    """The payload with its outbox references (random hex) replaced by a mark.

    A random reference holds a given four digits often enough to make a search
    for a year flaky; each one is checked to be a bare reference first, so
    nothing the borrower typed can hide behind the mark.
    """
    if payload is None or "outbox" not in payload:
        return payload
    for reference in payload["outbox"]:
        assert _OUTBOX_REFERENCE.fullmatch(reference), reference
    return {**payload, "outbox": ["<reference>"] * len(payload["outbox"])}


@pytest.mark.rule("R18")
@pytest.mark.parametrize("locale", list(RIGHT))
async def test_r18_a_typed_birth_date_is_compared_and_never_kept(web: WebChat, locale: str) -> None:
    account, birth, year = RIGHT[locale]
    user = f"dob-{locale}"
    await web.say(user, f"/start {await web.link(account)}")
    await web.say(user, WRONG[locale])
    await web.say(user, "banana")  # not a date: kept as said
    (statement,) = await web.say(user, birth)
    assert statement.buttons  # verified: the menu
    lines = await _lines(web, user)
    said = [line.text for line in lines if line.direction == "in"]
    assert said.count(WITHHELD) == 2
    assert "banana" in said
    everything = json.dumps(
        [(line.text, _opaque(line.payload)) for line in lines], ensure_ascii=False
    )
    for typed in (WRONG[locale], birth, year, WRONG[locale][:4]):
        assert typed not in everything
    conversation = await _conversation(web, user)
    kept = json.dumps(conversation.vars, ensure_ascii=False, default=str)
    assert year not in kept and WRONG[locale][:4] not in kept
    assert conversation.vars.get("birth_date_given") is True  # only that one was given
    assert conversation.verified is True


@pytest.mark.rule("R18")
async def test_r18_a_birth_date_picked_from_the_which_date_buttons_is_not_kept(
    web: WebChat, tmp_path: Path
) -> None:
    # An account whose country is not known: "05/06/1990" reads two ways.
    path = tmp_path / "nowhere.csv"
    header = (FIXTURES / "accounts.csv").read_text(encoding="utf-8").splitlines()[0]
    row = "T-UTC,Sam Lee,+99912345678,1990-06-05,en,UTC,USD,2026-11-18,T-UTC-P,principal,"
    path.write_text(f"{header}\n{row}Card balance,100.00,2026-10-01\n", encoding="utf-8")
    await import_accounts(web.app.sessions, path)
    user = "which"
    await web.say(user, f"/start {await web.link('T-UTC')}")
    (ask,) = await web.say(user, "05/06/1990")  # June 5 or May 6: the bot asks which
    assert len(ask.buttons) >= 2
    await web.press(user, ask.buttons[0][0])
    conversation = await _conversation(web, user)
    assert conversation.verified is True
    said = [line for line in await _lines(web, user) if line.direction == "in"]
    assert [line.text for line in said[-2:]] == [WITHHELD, WITHHELD]
    assert "1990" not in json.dumps([line.payload for line in said])


async def _keep(sessions: async_sessionmaker[AsyncSession], key: str) -> Inbox:
    inbox = Inbox(sessions, lambda: NOW)
    payload = {"update_id": int(key), "message": {"text": "my birthday is 1990-05-17"}}
    await inbox.record("telegram", [(key, payload)])
    return inbox


@pytest.mark.rule("R18")
async def test_r18_the_raw_update_goes_with_the_transaction_that_handled_it(
    web: WebChat,
) -> None:
    sessions = web.app.sessions
    inbox = await _keep(sessions, "7001")
    # A crash mid-handling: the transaction rolls back, the update is kept whole.
    async with sessions() as session, session.begin():
        assert await claim_kept(session, "telegram", "7001", NOW) is Claim.FIRST
        await session.rollback()
    (replayed,) = await inbox.unhandled("telegram")
    assert replayed["message"]["text"] == "my birthday is 1990-05-17"
    # Handled and committed: the payload is gone, the claim stays.
    async with sessions() as session, session.begin():
        assert await claim_kept(session, "telegram", "7001", NOW) is Claim.FIRST
    async with sessions() as session:
        row = await session.get(InboxRow, ("telegram", "7001"))
        assert row is not None and row.payload == {} and row.handled_at is not None
    async with sessions() as session, session.begin():
        assert await claim_kept(session, "telegram", "7001", NOW) is Claim.HANDLED
    await inbox.record("telegram", [("7001", {"update_id": 7001})])  # redelivered
    assert await inbox.unhandled("telegram") == []


@pytest.mark.rule("R18")
async def test_r18_an_accounts_import_error_names_row_and_column_not_the_value(
    web: WebChat, tmp_path: Path
) -> None:
    lines = (FIXTURES / "accounts.csv").read_text(encoding="utf-8").splitlines()
    header, first = lines[0], lines[1]
    bad = first.replace("1990-05-17", "17/05/1990").replace("1200.00", "12x00")
    bad = bad.replace("America/New_York", "Mars/Olympus")
    path = tmp_path / "bad.csv"
    path.write_text(f"{header}\n{bad}\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as rejected:
        await import_accounts(web.app.sessions, path)
    text = str(rejected.value) + repr(rejected.value.problems)
    for value in ("17/05/1990", "12x00", "Mars/Olympus"):
        assert value not in text
    fields = {problem.field for problem in rejected.value.problems}
    assert {"birth_date", "charge_amount", "timezone"} <= fields
    assert {problem.line for problem in rejected.value.problems} == {2}


@pytest.mark.rule("R18")
async def test_r18_a_payments_import_error_names_row_and_column_not_the_value(
    web: WebChat, tmp_path: Path
) -> None:
    path = tmp_path / "payments.csv"
    path.write_text(
        "account,amount,currency,paid_on,reference\nT-EN,4x0.17,XQQ,28/11/2026,BANK-1\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportRejected) as rejected:
        await import_payments(web.app.sessions, path, now=datetime(2026, 11, 22, tzinfo=UTC))
    text = str(rejected.value) + repr(rejected.value.problems)
    for value in ("4x0.17", "XQQ", "28/11/2026"):
        assert value not in text
    assert {(p.line, p.field) for p in rejected.value.problems} == {
        (2, "amount"),
        (2, "currency"),
        (2, "paid_on"),
    }
