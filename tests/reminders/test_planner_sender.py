"""The planner queues a due reminder once; the sender sends it once, at its moment,
through the runtime and the outbox, and checks the rules again as it goes."""

from __future__ import annotations

from datetime import timedelta

from bot.service.reminders import plan_reminders, send_due
from tests.reminders.conftest import START, Portfolio


def _rules(portfolio: Portfolio):  # type: ignore[no-untyped-def]
    return portfolio.app.runtime.registry.newest_policy().reminders


async def test_a_due_reminder_is_queued_once_and_sent_once(portfolio: Portfolio) -> None:
    await portfolio.link("T-EN", "c1")  # due 2026-11-18 in New York: day +4, stage late_3
    first = await plan_reminders(portfolio.app.sessions, _rules(portfolio), START)
    again = await plan_reminders(portfolio.app.sessions, _rules(portfolio), START)
    assert (first.queued, again.queued) == (1, 0)
    (row,) = [r for r in await portfolio.reminders() if r.account_id == "T-EN"]
    assert (row.stage, row.status, row.cycle.isoformat()) == ("late_3", "queued", "2026-11-18")
    assert row.send_at is not None
    send_at = (
        row.send_at.replace(tzinfo=START.tzinfo) if row.send_at.tzinfo is None else row.send_at
    )
    assert START <= send_at < START + timedelta(hours=11)  # before 21:00 in New York
    assert await send_due(portfolio.app.runtime, send_at - timedelta(seconds=1)) == 0
    portfolio.clock.now = send_at
    assert await send_due(portfolio.app.runtime, send_at) == 1
    assert await send_due(portfolio.app.runtime, send_at + timedelta(minutes=1)) == 0
    sent = [m for m in await portfolio.delivered("c1") if "still outstanding" in m.text]
    assert len(sent) == 1
    assert "Reply STOP" in sent[0].text and "Harbor Consumer Finance" in sent[0].text
