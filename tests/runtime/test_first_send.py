"""A borrower's event claims its first reply for delivery in its own transaction.

The channel then sends it without a transaction of its own to claim it. The claim
is the outbox's usual one, so order per chat and leases hold exactly as they do
when the outbox claims: these tests check that they do.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import event, select, update
from sqlmodel import col

from bot.service.events import Inbound
from bot.store.tables import OutboxRow
from tests.runtime.conftest import CHANNEL, NOW, WebChat


async def _verified(web: WebChat, user: str) -> None:
    await web.say(user, f"/start {await web.link('T-EN')}")
    (statement,) = await web.say(user, "1990-05-17")
    assert "Total due" in statement.text


async def _rows(web: WebChat, chat: str) -> list[OutboxRow]:
    async with web.app.sessions() as session:
        query = select(OutboxRow).where(col(OutboxRow.chat_key) == chat).order_by(col(OutboxRow.id))
        return list((await session.execute(query)).scalars())


async def test_the_first_reply_is_claimed_with_the_event_and_sent_without_another_claim(
    web: WebChat,
) -> None:
    await _verified(web, "f1")
    sent_before = len(web.sender.sent["f1"])
    outbox = web.app.outbox
    handled = await web.app.runtime.on_inbound(
        Inbound(CHANNEL, "f1", "f1", "f1-help", text="/help"), claim_for=outbox
    )
    assert handled.head is not None and handled.head.claimed is not None
    newest = (await _rows(web, "f1"))[-1]
    assert newest.id == handled.head.claimed.row_id
    assert (newest.status, newest.lease_owner) == ("sending", outbox.worker.worker_id)
    assert newest.attempts == 1

    await outbox.deliver_chat(CHANNEL, "f1", head=handled.head)
    assert len(web.sender.sent["f1"]) == sent_before + 1
    assert "help" in web.sender.sent["f1"][-1].text.lower()
    assert [row.status for row in await _rows(web, "f1")] == ["sent"] * (sent_before + 1)


async def test_a_reply_behind_an_older_message_waiting_to_be_retried_keeps_its_place(
    web: WebChat,
) -> None:
    await _verified(web, "f2")
    older = (await _rows(web, "f2"))[-1]
    async with web.app.sessions() as session, session.begin():
        # The statement was refused for now (a retry-after): it goes again in an hour.
        await session.execute(
            update(OutboxRow)
            .where(col(OutboxRow.id) == older.id)
            .values(status="pending", next_attempt_at=NOW + timedelta(hours=1))
        )
    sent_before = len(web.sender.sent["f2"])
    outbox = web.app.outbox
    handled = await web.app.runtime.on_inbound(
        Inbound(CHANNEL, "f2", "f2", "f2-help", text="/help"), claim_for=outbox
    )
    assert handled.head is not None and handled.head.claimed is None  # nothing due goes first
    await outbox.deliver_chat(CHANNEL, "f2", head=handled.head)
    assert len(web.sender.sent["f2"]) == sent_before
    assert [row.status for row in await _rows(web, "f2")][-2:] == ["pending", "pending"]

    async with web.app.sessions() as session, session.begin():
        await session.execute(
            update(OutboxRow).where(col(OutboxRow.id) == older.id).values(next_attempt_at=NOW)
        )
    await outbox.deliver_due()
    again, help_text = web.sender.sent["f2"][-2:]
    assert "Total due" in again.text  # the older message first, then the answer
    assert "help" in help_text.text.lower()


async def test_without_an_outbox_to_claim_for_the_replies_wait_for_any_sender(
    web: WebChat,
) -> None:
    await _verified(web, "f3")
    handled = await web.app.runtime.on_inbound(
        Inbound(CHANNEL, "f3", "f3", "f3-help", text="/help")
    )
    assert handled.head is None
    assert (await _rows(web, "f3"))[-1].status == "pending"
    await web.app.outbox.deliver_due()
    assert (await _rows(web, "f3"))[-1].status == "sent"


async def test_the_same_update_twice_claims_nothing_the_second_time(web: WebChat) -> None:
    await _verified(web, "f4")
    outbox = web.app.outbox
    inbound = Inbound(CHANNEL, "f4", "f4", "f4-help", text="/help")
    first = await web.app.runtime.on_inbound(inbound, claim_for=outbox)
    await outbox.deliver_chat(CHANNEL, "f4", head=first.head)
    rows = len(await _rows(web, "f4"))
    second = await web.app.runtime.on_inbound(inbound, claim_for=outbox)
    assert second.duplicate and second.head is None
    assert len(await _rows(web, "f4")) == rows
    assert {row.status for row in await _rows(web, "f4")} == {"sent"}


async def test_the_claim_names_every_earlier_message_still_showing_buttons(web: WebChat) -> None:
    await _verified(web, "f5")
    sent = [row for row in await _rows(web, "f5") if row.external_message_id]
    assert len(sent) >= 2
    async with web.app.sessions() as session, session.begin():
        # As if an earlier keyboard had not been taken away (its channel was down).
        await session.execute(
            update(OutboxRow)
            .where(col(OutboxRow.id).in_([row.id for row in sent]))
            .values(keyboard_open=True)
        )
    outbox = web.app.outbox
    handled = await web.app.runtime.on_inbound(
        Inbound(CHANNEL, "f5", "f5", "f5-help", text="/help"), claim_for=outbox
    )
    assert handled.head is not None and handled.head.claimed is not None
    assert sorted(handled.head.claimed.close) == sorted(str(r.external_message_id) for r in sent)
    await outbox.deliver_chat(CHANNEL, "f5", head=handled.head)
    assert not any(row.keyboard_open for row in (await _rows(web, "f5"))[:-1])


async def test_a_reply_queued_while_the_head_is_being_sent_follows_it_at_once(
    web: WebChat,
) -> None:
    """The sent mark says whether another message waits; the one queued meanwhile
    (its own claim found the head leased) is sent right after, not left for the
    background pass."""
    await _verified(web, "f7")
    outbox = web.app.outbox
    first = await web.app.runtime.on_inbound(
        Inbound(CHANNEL, "f7", "f7", "f7-help", text="/help"), claim_for=outbox
    )
    second = await web.app.runtime.on_inbound(
        Inbound(CHANNEL, "f7", "f7", "f7-menu", text="/menu"), claim_for=outbox
    )
    assert second.head is not None and second.head.claimed is None  # the head is leased
    sent_before = len(web.sender.sent["f7"])
    await outbox.deliver_chat(CHANNEL, "f7", head=first.head)
    assert len(web.sender.sent["f7"]) == sent_before + 2
    assert {row.status for row in await _rows(web, "f7")} == {"sent"}


async def test_a_single_reply_is_marked_sent_without_a_claim_for_more(web: WebChat) -> None:
    await _verified(web, "f8")
    statements: list[str] = []

    def executed(*args: object) -> None:
        statements.append(str(args[2]))

    engine = web.app.engine.sync_engine
    event.listen(engine, "before_cursor_execute", executed)
    try:
        handled = await web.app.runtime.on_inbound(
            Inbound(CHANNEL, "f8", "f8", "f8-help", text="/help"), claim_for=web.app.outbox
        )
        statements.clear()
        await web.app.outbox.deliver_chat(CHANNEL, "f8", head=handled.head)
    finally:
        event.remove(engine, "before_cursor_execute", executed)
    # The sent mark (and the menu's earlier buttons taken away), but no claim: a
    # claim is the only statement that counts an attempt.
    assert any("sent_at=" in s for s in statements), statements
    assert not any("attempts=" in s for s in statements), statements
    assert {row.status for row in await _rows(web, "f8")} == {"sent"}
