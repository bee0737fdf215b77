"""Linking a chat user to an account: single-use, expiring, hashed tokens; own phone only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.service.accounts_import import import_accounts
from bot.service.linking import (
    LinkOutcome,
    create_link_token,
    hash_token,
    link_by_contact,
    linked_account,
    redeem_token,
)
from bot.store.tables import ChannelLinkRow, LinkTokenRow

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
Sessions = async_sessionmaker[AsyncSession]


@pytest.mark.rule("R5", "R18")
async def test_token_is_single_use_expires_and_is_stored_hashed(sessions: Sessions) -> None:
    await import_accounts(sessions, FIXTURES / "accounts.csv")
    async with sessions() as session, session.begin():
        token = await create_link_token(session, account_id="T-EN", now=NOW, valid_days=7)
        late = await create_link_token(session, account_id="T-EN", now=NOW, valid_days=7)
    assert 20 <= len(token) <= 64 and token != late
    async with sessions() as session:
        stored = list((await session.execute(select(LinkTokenRow))).scalars())
    assert {row.token_hash for row in stored} == {hash_token(token), hash_token(late)}
    assert token not in {row.token_hash for row in stored}
    async with sessions() as session, session.begin():
        first = await redeem_token(session, token=token, channel="telegram", user_key="1", now=NOW)
    assert first.outcome is LinkOutcome.LINKED and first.account_id == "T-EN"
    async with sessions() as session, session.begin():
        again = await redeem_token(session, token=token, channel="telegram", user_key="2", now=NOW)
        expired = await redeem_token(
            session, token=late, channel="telegram", user_key="2", now=NOW + timedelta(days=8)
        )
        forged = await redeem_token(
            session, token="x" * 32, channel="telegram", user_key="2", now=NOW
        )
        assert await linked_account(session, channel="telegram", user_key="2") is None
        assert await linked_account(session, channel="telegram", user_key="1") == "T-EN"
    assert again.outcome is LinkOutcome.USED and again.account_id is None
    assert expired.outcome is LinkOutcome.EXPIRED and expired.account_id is None
    assert forged.outcome is LinkOutcome.UNKNOWN


@pytest.mark.rule("R5")
async def test_contact_must_be_the_senders_own_and_match_one_account(
    sessions: Sessions, tmp_path: Path
) -> None:
    await import_accounts(sessions, FIXTURES / "accounts.csv")
    async with sessions() as session, session.begin():
        other = await link_by_contact(
            session,
            phone="+15550100001",
            contact_user_id=9,
            sender_id=8,
            channel="telegram",
            now=NOW,
        )
        missing = await link_by_contact(
            session,
            phone="+15550100001",
            contact_user_id=None,
            sender_id=8,
            channel="telegram",
            now=NOW,
        )
        unknown = await link_by_contact(
            session,
            phone="+19999999999",
            contact_user_id=8,
            sender_id=8,
            channel="telegram",
            now=NOW,
        )
        own = await link_by_contact(
            session,
            phone="15550100001",
            contact_user_id=8,
            sender_id=8,
            channel="telegram",
            now=NOW,
        )
    assert other.outcome is missing.outcome is LinkOutcome.NOT_OWN_CONTACT
    assert unknown.outcome is LinkOutcome.UNKNOWN
    assert own.outcome is LinkOutcome.LINKED and own.account_id == "T-EN"
    # Two accounts sharing a phone: no guessing, a person links them.
    shared = tmp_path / "shared.csv"
    text = (FIXTURES / "accounts.csv").read_text(encoding="utf-8")
    shared.write_text(text.replace("T-HANS", "T-SHARED").replace("+8613800000001", "+15550100001"))
    await import_accounts(sessions, shared)
    async with sessions() as session, session.begin():
        ambiguous = await link_by_contact(
            session,
            phone="+15550100001",
            contact_user_id=7,
            sender_id=7,
            channel="telegram",
            now=NOW,
        )
    assert ambiguous.outcome is LinkOutcome.AMBIGUOUS


async def test_a_link_made_or_moved_in_the_same_transaction_is_seen_at_once(
    sessions: Sessions,
) -> None:
    await import_accounts(sessions, FIXTURES / "accounts.csv")
    async with sessions() as session, session.begin():
        token = await create_link_token(session, account_id="T-EN", now=NOW, valid_days=7)
        other = await create_link_token(session, account_id="T-HANS", now=NOW, valid_days=7)
    async with sessions() as session, session.begin():
        await redeem_token(session, token=token, channel="telegram", user_key="7", now=NOW)
        # Not flushed yet: the answer must still come from this transaction's link.
        assert await linked_account(session, channel="telegram", user_key="7") == "T-EN"
        await redeem_token(session, token=other, channel="telegram", user_key="7", now=NOW)
        assert await linked_account(session, channel="telegram", user_key="7") == "T-HANS"
    async with sessions() as session, session.begin():
        # Added through the ORM and not flushed: still this transaction's link.
        session.add(
            ChannelLinkRow(
                channel="other",
                user_key="7",
                account_id="T-HANT",
                linked_via="token",
                linked_at=NOW,
            )
        )
        assert await linked_account(session, channel="other", user_key="7") == "T-HANT"
    async with sessions() as session:
        assert await linked_account(session, channel="telegram", user_key="7") == "T-HANS"
        assert await linked_account(session, channel="other", user_key="7") == "T-HANT"
        assert await linked_account(session, channel="other", user_key="8") is None
