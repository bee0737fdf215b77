"""Each update is handled once: claimed in the inbox when it was kept there, else
in processed_updates (issue 11: one statement per message instead of two)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlmodel import col

from bot.service.events import Inbound
from bot.service.inbox import Claim, Inbox, claim_kept
from bot.store.tables import InboxRow, ProcessedUpdateRow, TranscriptRow
from tests.runtime.conftest import WebChat

NOW = datetime(2026, 11, 22, 15, 0, tzinfo=UTC)


async def _count(web: WebChat, model: type, **where: object) -> int:
    query = select(func.count()).select_from(model)
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    async with web.app.sessions() as session:
        return int((await session.execute(query)).scalar_one())


async def test_a_kept_update_is_claimed_once_and_a_stranger_is_not_claimed(web: WebChat) -> None:
    inbox = Inbox(web.app.sessions, lambda: NOW)
    await inbox.record("telegram", [("u-1", {"update_id": 1})])
    async with web.app.sessions() as session, session.begin():
        assert await claim_kept(session, "telegram", "u-1", NOW) is Claim.FIRST
    async with web.app.sessions() as session, session.begin():
        assert await claim_kept(session, "telegram", "u-1", NOW) is Claim.HANDLED
        assert await claim_kept(session, "telegram", "u-2", NOW) is Claim.NOT_KEPT
        assert await claim_kept(session, "other", "u-1", NOW) is Claim.NOT_KEPT
    assert await inbox.unhandled("telegram") == []
    async with web.app.sessions() as session:
        stamped = await session.execute(select(col(InboxRow.handled_at)))
        assert [when is not None for (when,) in stamped] == [True]


async def test_a_claim_rolled_back_leaves_the_update_to_be_handled(web: WebChat) -> None:
    inbox = Inbox(web.app.sessions, lambda: NOW)
    await inbox.record("telegram", [("u-9", {"update_id": 9})])
    async with web.app.sessions() as session, session.begin():
        assert await claim_kept(session, "telegram", "u-9", NOW) is Claim.FIRST
        await session.rollback()
    assert await inbox.unhandled("telegram") == [{"update_id": 9}]


async def _telegram_text(web: WebChat, key: str, text: str) -> bool:
    """A Telegram update handed to the runtime directly; True when it was handled."""
    inbound = Inbound("telegram", "tg-5", "tg-5", key, text=text)
    handled = await web.app.runtime.on_inbound(inbound)
    return not handled.duplicate


async def test_a_kept_update_handed_over_twice_is_handled_once(web: WebChat) -> None:
    inbox = Inbox(web.app.sessions, lambda: NOW)
    await inbox.record("telegram", [("k-1", {"update_id": 1})])
    assert await _telegram_text(web, "k-1", "hello")
    assert not await _telegram_text(web, "k-1", "hello")
    assert await _count(web, TranscriptRow, direction="in") == 1
    # The inbox's stamp was the claim: nothing else was written for it.
    assert await _count(web, ProcessedUpdateRow) == 0


async def test_an_update_that_was_never_kept_is_still_handled_once(web: WebChat) -> None:
    assert await _telegram_text(web, "k-2", "hello")
    assert not await _telegram_text(web, "k-2", "hello")
    assert await _count(web, TranscriptRow, direction="in") == 1
    assert await _count(web, ProcessedUpdateRow, update_key="k-2") == 1
