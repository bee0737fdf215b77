"""The planner queues a due reminder once; the sender sends it once, at its moment,
through the runtime and the outbox, and checks the rules again as it goes."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update
from sqlmodel import col

from bot.domain.cadence import RemindersPolicy
from bot.engine.loader import load_script
from bot.service.events import Trigger
from bot.service.periodic import jobs, run_due
from bot.service.reminders import PlanReport, plan_reminders, send_due
from bot.service.reminders.sender import trigger_key
from bot.service.scripts import ScriptSet
from bot.service.versions import content_hash
from bot.store.db import create_engine, session_factory
from bot.store.tables import AccountRow, ChargeRow, ConversationRow, DisputeRow, ReminderRow
from tests.reminders.conftest import START, Portfolio


def _rules(portfolio: Portfolio) -> RemindersPolicy:
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


async def _queued(portfolio: Portfolio, account_id: str = "T-EN") -> ReminderRow:
    rows = [r for r in await portfolio.reminders() if r.account_id == account_id]
    return rows[-1]


def _aware(moment: datetime | None) -> datetime:
    assert moment is not None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


async def _set(portfolio: Portfolio, account_id: str = "T-EN", **values: object) -> None:
    async with portfolio.app.sessions() as session, session.begin():
        await session.execute(
            update(AccountRow).where(col(AccountRow.account_id) == account_id).values(**values)
        )


async def _queue_and_reach(portfolio: Portfolio) -> datetime:
    """T-EN linked, its late_3 reminder queued, the clock at its moment."""
    await portfolio.link("T-EN", "c1")
    await plan_reminders(portfolio.app.sessions, _rules(portfolio), START)
    send_at = _aware((await _queued(portfolio)).send_at)
    portfolio.clock.now = send_at
    return send_at


@pytest.mark.rule("R3")
async def test_r3_an_opt_out_after_queueing_holds_it_and_opting_in_again_requeues_it(
    portfolio: Portfolio,
) -> None:
    send_at = await _queue_and_reach(portfolio)
    await _set(portfolio, opted_out=True)
    assert await send_due(portfolio.app.runtime, send_at) == 0
    row = await _queued(portfolio)
    assert (row.status, row.reason) == ("held", "R3")
    assert not [m for m in await portfolio.delivered("c1") if "outstanding" in m.text]
    again = await plan_reminders(portfolio.app.sessions, _rules(portfolio), send_at)
    assert again.held["R3"] == 1 and again.queued == 0
    await _set(portfolio, opted_out=False)
    back = await plan_reminders(portfolio.app.sessions, _rules(portfolio), send_at)
    assert back.queued == 1
    row = await _queued(portfolio)
    assert row.status == "queued"
    portfolio.clock.now = _aware(row.send_at)
    assert await send_due(portfolio.app.runtime, portfolio.clock.now) == 1


@pytest.mark.rule("R12")
async def test_r12_a_crisis_after_queueing_holds_the_reminder(portfolio: Portfolio) -> None:
    send_at = await _queue_and_reach(portfolio)
    await _set(portfolio, collection_paused=True)
    assert await send_due(portfolio.app.runtime, send_at) == 0
    assert ((await _queued(portfolio)).status, (await _queued(portfolio)).reason) == ("held", "R12")


@pytest.mark.rule("R16")
async def test_r16_a_breathing_space_after_queueing_holds_the_reminder(
    portfolio: Portfolio,
) -> None:
    send_at = await _queue_and_reach(portfolio)
    await _set(portfolio, breathing_space=True, breathing_space_until=date(2026, 12, 31))
    assert await send_due(portfolio.app.runtime, send_at) == 0
    assert (await _queued(portfolio)).reason == "R16"


@pytest.mark.rule("R8")
async def test_r8_a_reminder_is_not_planned_when_every_charge_is_disputed(
    portfolio: Portfolio,
) -> None:
    await portfolio.link("T-EN", "c1")
    async with portfolio.app.sessions() as session, session.begin():
        session.add(
            DisputeRow(
                id="D-1", account_id="T-EN", charge_ids=[], amount=Decimal(1), currency="USD",
                reason="not mine", answer_due_on=date(2026, 12, 22), created_at=START,
            )
        )  # fmt: skip
        await session.flush()
        await session.execute(
            update(ChargeRow).where(col(ChargeRow.account_id) == "T-EN").values(dispute_id="D-1")
        )
    report = await plan_reminders(portfolio.app.sessions, _rules(portfolio), START)
    assert (report.queued, report.held["R8"]) == (0, 1)


@pytest.mark.rule("R1")
async def test_r1_a_zone_changed_after_queueing_moves_the_reminder_to_its_hours(
    portfolio: Portfolio,
) -> None:
    await portfolio.link("T-EN", "c1")
    await plan_reminders(portfolio.app.sessions, _rules(portfolio), START)
    row = await _queued(portfolio)
    # The lender's new file says Shanghai: 15:00 UTC is 23:00 there.
    await _set(portfolio, timezone="Asia/Shanghai")
    at = START + timedelta(hours=1)
    await _move_to(portfolio, row.id, at)
    assert await send_due(portfolio.app.runtime, at) == 0
    moved = await _queued(portfolio)
    assert (moved.status, moved.reason) == ("queued", "R1")
    local = _aware(moved.send_at).astimezone(ZoneInfo("Asia/Shanghai"))
    assert time(8) <= local.time() < time(21)


async def test_a_person_taking_the_chat_holds_the_reminder(portfolio: Portfolio) -> None:
    send_at = await _queue_and_reach(portfolio)
    async with portfolio.app.sessions() as session, session.begin():
        await session.execute(
            update(ConversationRow)
            .where(col(ConversationRow.chat_key) == "c1")
            .values(owner="agent:mei")
        )
    assert await send_due(portfolio.app.runtime, send_at) == 0
    assert (await _queued(portfolio)).reason == "person"


async def test_a_borrower_waiting_for_a_person_gets_no_reminder_meanwhile(
    portfolio: Portfolio,
) -> None:
    """Asked for a person, still in the queue (the bot owns the chat until someone takes
    it): the reminder waits as it would for a person already there."""
    send_at = await _queue_and_reach(portfolio)
    await portfolio.say("c1", "I want to talk to a person")
    assert await send_due(portfolio.app.runtime, send_at) == 0
    assert (await _queued(portfolio)).reason == "person"


async def test_a_later_stage_supersedes_one_not_yet_sent(portfolio: Portfolio) -> None:
    await portfolio.link("T-EN", "c1")
    await plan_reminders(portfolio.app.sessions, _rules(portfolio), START)
    row = await _queued(portfolio)
    later = START + timedelta(days=4)  # day +8 in New York: late_7
    await _move_to(portfolio, row.id, later)
    assert await send_due(portfolio.app.runtime, later) == 0
    assert (await _queued(portfolio)).status == "superseded"
    report = await plan_reminders(portfolio.app.sessions, _rules(portfolio), later)
    assert report.queued == 1
    assert (await _queued(portfolio)).stage == "late_7"


async def test_a_crash_after_sending_never_sends_twice(portfolio: Portfolio) -> None:
    send_at = await _queue_and_reach(portfolio)
    row = await _queued(portfolio)
    conversation = row.conversation_id
    assert conversation is not None
    # The first process sent it, then stopped before marking the row.
    await portfolio.app.runtime.on_trigger(
        Trigger("reminder_late_3", conversation, trigger_key(row.id or 0))
    )
    async with portfolio.app.sessions() as session, session.begin():
        await session.execute(
            update(ReminderRow)
            .where(col(ReminderRow.id) == row.id)
            .values(status="sending", updated_at=send_at)
        )
    assert (
        await send_due(portfolio.app.runtime, send_at + timedelta(minutes=5)) == 0
    )  # still claimed
    retaken = send_at + timedelta(minutes=11)
    assert await send_due(portfolio.app.runtime, retaken) == 1  # taken back: the runtime says sent
    sent = [m for m in await portfolio.delivered("c1") if "still outstanding" in m.text]
    assert len(sent) == 1
    assert (await _queued(portfolio)).status == "sent"


async def test_three_planners_at_once_queue_each_reminder_once(
    portfolio: Portfolio, database_url: str
) -> None:
    for n, account in enumerate(("T-EN", "T-HANT", "T-HANS")):
        await portfolio.link(account, f"c{n}")
    engines = [create_engine(database_url) for _ in range(3)]
    try:
        reports = await asyncio.gather(
            *(plan_reminders(session_factory(e), _rules(portfolio), START, size=1) for e in engines)
        )
    finally:
        for engine in engines:
            await engine.dispose()
    rows = await portfolio.reminders()
    keys = [(r.account_id, r.stage, r.cycle) for r in rows]
    assert len(keys) == len(set(keys)) >= 2
    assert sum(r.queued + r.person for r in reports) == len(rows)


async def _move_to(portfolio: Portfolio, reminder_id: int | None, at: datetime) -> None:
    """The reminder's moment is `at`, and the clock with it."""
    async with portfolio.app.sessions() as session, session.begin():
        await session.execute(
            update(ReminderRow).where(col(ReminderRow.id) == reminder_id).values(send_at=at)
        )
    portfolio.clock.now = at


async def test_the_periodic_jobs_plan_then_send(portfolio: Portfolio) -> None:
    await portfolio.link("T-EN", "c1")
    chosen = tuple(job for job in jobs() if job.name.startswith("reminders-"))
    assert [job.name for job in chosen] == ["reminders-plan", "reminders-send"]
    assert await run_due(portfolio.app.runtime, chosen, START) == 1  # queued, not yet due
    send_at = _aware((await _queued(portfolio)).send_at)
    portfolio.clock.now = send_at
    assert await run_due(portfolio.app.runtime, chosen, send_at) == 1  # nothing new; sent
    assert (await _queued(portfolio)).status == "sent"


def test_a_days_load_beyond_the_sending_rate_is_said() -> None:
    window = (datetime(2026, 12, 2, 8, tzinfo=UTC), datetime(2026, 12, 2, 21, tzinfo=UTC))
    report = PlanReport()
    report.load[window] = 30 * 13 * 3600  # exactly what 30 a second carries in 13 hours
    assert report.warnings(RemindersPolicy()) == []
    report.load[window] += 1
    (said,) = report.warnings(RemindersPolicy())
    assert "above the 30 a second the policy allows" in said
    assert "from 2026-12-02 08:00 UTC" in said


async def test_a_conversation_on_a_script_from_before_the_cadence_gets_the_plain_reminder(
    portfolio: Portfolio,
) -> None:
    await portfolio.link("T-EN", "c1")
    loaded = portfolio.app.scripts
    source = loaded.sources["repayment"]
    start = source.index("triggers: {")
    end = source.index("}}\n", start) + 3
    older = source[:start] + "triggers: {reminder: {to: reminder}}\n" + source[end:]
    script, _ = load_script(older, "repayment.yaml")
    await portfolio.app.runtime.registry.publish(
        ScriptSet({"repayment": script}, loaded.policy, {"repayment": older}, loaded.policy_source),
        now=START,
    )
    async with portfolio.app.sessions() as session, session.begin():
        await session.execute(
            update(ConversationRow)
            .where(col(ConversationRow.chat_key) == "c1")
            .values(script_version=content_hash(older))
        )
    await plan_reminders(portfolio.app.sessions, _rules(portfolio), START)
    send_at = _aware((await _queued(portfolio)).send_at)
    portfolio.clock.now = send_at
    assert await send_due(portfolio.app.runtime, send_at) == 1
    said = [m.text for m in await portfolio.delivered("c1") if "Reply STOP" in m.text]
    assert len(said) == 1 and "with a reminder about your account" in said[0]
    assert (await _queued(portfolio)).status == "sent"
