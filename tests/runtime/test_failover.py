"""Every way into the runtime, and the inbox, survives every PostgreSQL connection
being dropped just before it (issue 33 point 1): each is then the first to meet the
dead connections, reruns its transaction on a fresh one, and acts exactly once."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlmodel import col

from bot.service.events import AgentAction, AgentActionKind, Reachability, Trigger
from bot.service.inbox import Inbox
from bot.store.retry import is_transient
from bot.store.tables import AccountRow, ConversationRow
from tests.faults import drop_every_connection
from tests.runtime.conftest import CHANNEL, NOW, WebChat

# A failover is PostgreSQL's: SQLite has no server to lose, so these run on PostgreSQL only.
on_postgresql = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)


@pytest.fixture
async def pg_web(web: WebChat, database_url: str) -> WebChat:
    await web.say("f1", f"/start {await web.link('T-EN')}")
    await web.say("f1", "1990-05-17")
    return web


@on_postgresql
async def test_the_inbox_writes_and_replays_after_a_failover(
    pg_web: WebChat, database_url: str
) -> None:
    inbox = Inbox(pg_web.app.sessions, lambda: NOW)
    await drop_every_connection(database_url)
    await inbox.record("telegram", [("9001", {"update_id": 9001})])
    await drop_every_connection(database_url)
    assert await inbox.unhandled("telegram") == [{"update_id": 9001}]


@on_postgresql
async def test_a_message_a_trigger_and_a_person_each_act_once_after_a_failover(
    pg_web: WebChat, database_url: str
) -> None:
    runtime = pg_web.app.runtime
    await drop_every_connection(database_url)
    (menu,) = await pg_web.press("f1", "Pay in installments")
    assert "monthly payments" in str(menu.buttons)
    async with pg_web.app.sessions() as session:
        conversation = (
            await session.execute(
                select(ConversationRow).where(col(ConversationRow.chat_key) == "f1")
            )
        ).scalar_one()
    assert conversation.id is not None
    await drop_every_connection(database_url)
    reminder = Trigger("reminder", conversation.id, "reminder:T-EN:2026-11-23")
    assert not (await runtime.on_trigger(reminder)).duplicate
    assert (await runtime.on_trigger(reminder)).duplicate
    await pg_web.app.outbox.deliver_chat(CHANNEL, "f1")
    assert sum("reminder" in m.text for m in pg_web.sender.sent["f1"]) == 1
    await drop_every_connection(database_url)
    take_over = AgentAction(AgentActionKind.TAKE_OVER, "mei", conversation.id, action_key="a1")
    assert not (await runtime.on_agent(take_over)).duplicate
    await drop_every_connection(database_url)
    blocked = Reachability(CHANNEL, "f1", "r1", reachable=False)
    assert not (await runtime.on_reachability(blocked)).duplicate
    async with pg_web.app.sessions() as session:
        account = await session.get(AccountRow, "T-EN")
        assert account is not None and account.unreachable


def test_only_connection_trouble_counts_as_transient() -> None:
    assert is_transient(ConnectionRefusedError(111, "refused"))
    assert is_transient(TimeoutError())
    assert not is_transient(ValueError("a bug"))
    assert not is_transient(TypeError("comparing strings with non-ASCII characters"))
