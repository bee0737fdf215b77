"""Workers and leases (issue 33): every process is a worker of its own, whatever its node
name, and a lease is taken back only from a worker that is gone, by a stopped
heartbeat or a clean sign-off.

Two outboxes share one database and one node name here, as two processes on one
host would; a clock the test moves stands in for the time a heartbeat goes stale.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from pydantic import ValidationError
from sqlalchemy import delete, select
from sqlmodel import col

from bot.bootstrap import App, build_app
from bot.config import Settings
from bot.service.accounts_import import import_accounts
from bot.service.events import Inbound
from bot.service.outbox import DEAD_AFTER, FORGET_AFTER, Outbox, WorkerIdentity
from bot.store.tables import OutboxRow, WorkerRow
from tests.runtime.conftest import CHANNEL, FIXTURES, NOW, WebChatSender


@dataclass
class MovingClock:
    now: datetime = NOW

    def __call__(self) -> datetime:
        return self.now


@dataclass
class TwoWorkers:
    app: App
    clock: MovingClock
    sibling: Outbox
    sibling_sent: WebChatSender

    async def claim_a_reply(self, chat: str) -> int:
        """A reply the app's worker has claimed and is sending (on the wire)."""
        handled = await self.app.runtime.on_inbound(
            Inbound(CHANNEL, chat, chat, f"{chat}-1", text="/help"), claim_for=self.app.outbox
        )
        assert handled.head is not None and handled.head.claimed is not None
        return handled.head.claimed.row_id

    async def row(self, row_id: int) -> OutboxRow:
        async with self.app.sessions() as session:
            row = await session.get(OutboxRow, row_id)
            assert row is not None
            return row

    async def workers(self) -> set[str]:
        async with self.app.sessions() as session:
            return set((await session.execute(select(col(WorkerRow.worker_id)))).scalars())


@pytest.fixture
async def two(database_url: str) -> AsyncIterator[TwoWorkers]:
    clock = MovingClock()
    settings = Settings(database_url=database_url, node_name="one-host")
    app = await build_app(settings, clock=clock)
    await import_accounts(app.sessions, FIXTURES / "accounts.csv")
    app.outbox.register(WebChatSender())
    sibling = Outbox(sessions=app.sessions, clock=clock, worker=WorkerIdentity(node="one-host"))
    sent = WebChatSender()
    sibling.register(sent)
    try:
        yield TwoWorkers(app, clock, sibling, sent)
    finally:
        await sibling.stop()
        await app.close()


async def test_a_sibling_starting_on_the_same_node_takes_nothing_from_a_live_worker(
    two: TwoWorkers,
) -> None:
    row_id = await two.claim_a_reply("w1")
    await two.sibling.start()  # a second process on the same host, same node name
    await two.sibling.deliver_due()
    row = await two.row(row_id)
    assert (row.status, row.lease_owner) == ("sending", two.app.outbox.worker.worker_id)
    assert two.sibling_sent.sent["w1"] == []

    # Still inside DEAD_AFTER since its last beat: the worker is alive.
    two.clock.now += DEAD_AFTER - timedelta(seconds=1)
    await two.sibling.heartbeat()
    assert await two.sibling.take_back_leases() == 0


async def test_a_worker_whose_heartbeat_stopped_loses_its_leases_to_a_sibling(
    two: TwoWorkers,
) -> None:
    row_id = await two.claim_a_reply("w2")
    await two.sibling.start()
    two.clock.now += DEAD_AFTER + timedelta(seconds=1)  # killed: no beat since
    await two.sibling.heartbeat()
    assert await two.sibling.take_back_leases() == 1
    await two.sibling.deliver_due()
    assert len(two.sibling_sent.sent["w2"]) == 1
    row = await two.row(row_id)
    assert (row.status, row.lease_owner) == ("sent", None)


async def test_a_worker_that_stops_cleanly_frees_its_leases_at_once(two: TwoWorkers) -> None:
    row_id = await two.claim_a_reply("w3")
    await two.sibling.start()
    await two.app.outbox.stop()  # no waiting for DEAD_AFTER
    assert two.app.outbox.worker.worker_id not in await two.workers()
    assert (await two.row(row_id)).status == "pending"
    await two.sibling.deliver_due()
    assert len(two.sibling_sent.sent["w3"]) == 1


async def test_a_heartbeat_announces_a_worker_again_and_the_long_gone_are_forgotten(
    two: TwoWorkers,
) -> None:
    await two.sibling.start()
    mine = two.app.outbox.worker.worker_id
    async with two.app.sessions() as session, session.begin():
        await session.execute(delete(WorkerRow).where(col(WorkerRow.worker_id) == mine))
    await two.app.outbox.heartbeat()  # its row was lost (a restored database)
    assert mine in await two.workers()

    two.clock.now += FORGET_AFTER + timedelta(minutes=1)
    await two.sibling.heartbeat()
    await two.sibling.take_back_leases()
    assert await two.workers() == {two.sibling.worker.worker_id}


def test_a_worker_is_not_taken_for_gone_after_a_single_late_beat() -> None:
    with pytest.raises(ValidationError, match="at least twice"):
        Settings(outbox_heartbeat_seconds=5, outbox_dead_after_seconds=8)
