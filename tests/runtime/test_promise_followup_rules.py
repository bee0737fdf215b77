"""Issue 31 point 2: a promise's follow-up obeys the contact rules the reminders obey
(bot.domain.contact_rules), on a controllable clock: R1's hours in the borrower's own
zone across a DST change, or in every zone of their country when the zone is
unknown; R2's daily and rolling-week counts and its quiet week after a completed
conversation; and a sent follow-up counts toward R2 for the reminders after it. A
kept promise's thank-you asks for nothing: R2 neither holds nor counts it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, update
from sqlmodel import col

from bot.service.reminders import plan_reminders
from bot.store.db import as_utc
from bot.store.tables import ArrangementRow, ConversationRow, ReminderRow
from tests.runtime.test_promise_followup import (
    FOLLOW_UP,
    THANKS,
    Lender,
    _deliver,
    _linked,
    lender,
)

__all__ = ["lender"]  # the fixture, shared with the follow-up's other tests

DUE = date(2026, 11, 20)  # a promise to pay by then, broken: judged from the 22nd
CHAT = "borrower"  # T-EN's borrower, in a chat of their own


async def _broken_promise(lender: Lender, due: date = DUE) -> None:
    await lender.arrangement("T-EN", "promise_to_pay", [(due, "500")], due - timedelta(days=5))


@pytest.fixture
async def linked(lender: Lender) -> None:
    """Every test's start: T-EN's borrower linked through CHAT."""
    await _linked(lender, CHAT, "T-EN")


@pytest.fixture
async def broken(lender: Lender, linked: None) -> None:
    """The linked borrower's promise to pay 500 by DUE, not kept."""
    await _broken_promise(lender)


async def _sent_reminders(lender: Lender, *moments: datetime) -> None:
    """Reminders the cadence sent the account before (what R2 counts)."""
    async with lender.web.app.sessions() as session, session.begin():
        for number, moment in enumerate(moments):
            session.add(
                ReminderRow(
                    account_id="T-EN",
                    stage=f"late_{number}",
                    cycle=date(2026, 11, 18),
                    status="sent",
                    send_at=moment,
                    sent_at=moment,
                    created_at=moment,
                    updated_at=moment,
                )
            )


async def _waits(lender: Lender, at: datetime) -> None:
    lender.clock.now = at
    assert await lender.run() == 0
    (outcome,) = await lender.outcomes()
    assert outcome.followed_up_at is None  # deferred, not dropped


async def _goes(lender: Lender, at: datetime, chat: str) -> None:
    lender.clock.now = at
    assert await lender.run() == 1
    (outcome,) = await lender.outcomes()
    assert outcome.followed_up_at is not None
    assert (outcome.follow_up, as_utc(outcome.followed_up_at)) == ("sent", at)
    await _deliver(lender, chat)
    assert sum(FOLLOW_UP["T-EN"] in text for text in lender.said(chat)) == 1


@pytest.mark.rule("R1")
@pytest.mark.usefixtures("broken")
async def test_r1_a_follow_up_due_at_2230_goes_at_0800_the_next_morning(lender: Lender) -> None:
    await _waits(lender, datetime(2026, 11, 23, 3, 30, tzinfo=UTC))  # 22:30 in New York
    await _waits(lender, datetime(2026, 11, 23, 12, 59, tzinfo=UTC))  # 07:59
    await _goes(lender, datetime(2026, 11, 23, 13, 0, tzinfo=UTC), CHAT)  # 08:00


@pytest.mark.rule("R1")
@pytest.mark.usefixtures("linked")
async def test_r1_a_follow_up_waits_across_midnight_and_a_dst_change(lender: Lender) -> None:
    """New York leaves daylight time at 02:00 on 1 November 2026: the night is an
    hour longer, and 08:00 that morning is 13:00 UTC, not 12:00."""
    lender.clock.now = datetime(2026, 10, 31, 14, 0, tzinfo=UTC)
    await _broken_promise(lender, date(2026, 10, 29))
    await _waits(lender, datetime(2026, 11, 1, 2, 30, tzinfo=UTC))  # 22:30 EDT on the 31st
    await _waits(lender, datetime(2026, 11, 1, 12, 30, tzinfo=UTC))  # 07:30 EST (08:30 EDT)
    await _goes(lender, datetime(2026, 11, 1, 13, 0, tzinfo=UTC), CHAT)  # 08:00 EST


@pytest.mark.rule("R1")
@pytest.mark.usefixtures("broken")
async def test_r1_an_unknown_zone_waits_for_hours_valid_in_every_zone_of_the_country(
    lender: Lender,
) -> None:
    """No zone, a US phone: from New York to Honolulu. 10:00 in New York is 05:00 in
    Honolulu; 08:00 in Honolulu (18:00 UTC) is the first hour valid everywhere."""
    await lender.set_account("T-EN", timezone="UTC")
    await _waits(lender, datetime(2026, 11, 22, 15, 0, tzinfo=UTC))
    await _waits(lender, datetime(2026, 11, 22, 17, 59, tzinfo=UTC))
    await _goes(lender, datetime(2026, 11, 22, 18, 0, tzinfo=UTC), CHAT)


@pytest.mark.rule("R2")
@pytest.mark.usefixtures("broken")
async def test_r2_a_follow_up_on_a_day_a_reminder_was_sent_waits_for_the_next_day(
    lender: Lender,
) -> None:
    await _sent_reminders(lender, datetime(2026, 11, 22, 14, 0, tzinfo=UTC))  # 09:00 there
    await _waits(lender, datetime(2026, 11, 22, 15, 0, tzinfo=UTC))
    await _waits(lender, datetime(2026, 11, 23, 4, 59, tzinfo=UTC))  # 23:59 there
    await _goes(lender, datetime(2026, 11, 23, 13, 0, tzinfo=UTC), CHAT)


@pytest.mark.rule("R2")
@pytest.mark.usefixtures("broken")
async def test_r2_a_follow_up_after_seven_reminders_in_a_week_waits_for_the_oldest_to_age(
    lender: Lender,
) -> None:
    week = [datetime(2026, 11, 15, 16, 0, tzinfo=UTC) + timedelta(days=n) for n in range(7)]
    await _sent_reminders(lender, *week)
    await _waits(lender, datetime(2026, 11, 22, 15, 0, tzinfo=UTC))  # none today, 7 this week
    await _goes(lender, datetime(2026, 11, 22, 16, 0, tzinfo=UTC), CHAT)  # the 15th's ages out


@pytest.mark.rule("R2")
@pytest.mark.usefixtures("broken")
async def test_r2_no_follow_up_within_7_days_after_a_completed_conversation(
    lender: Lender,
) -> None:
    talked = datetime(2026, 11, 21, 15, 0, tzinfo=UTC)
    async with lender.web.app.sessions() as session, session.begin():
        await session.execute(update(ConversationRow).values(ended=True, updated_at=talked))
    await _waits(lender, datetime(2026, 11, 22, 15, 0, tzinfo=UTC))
    await _waits(lender, talked + timedelta(days=7) - timedelta(minutes=1))
    await _goes(lender, talked + timedelta(days=7), CHAT)


@pytest.mark.rule("R2")
@pytest.mark.usefixtures("broken")
async def test_r2_a_sent_follow_up_counts_toward_the_reminders_after_it(lender: Lender) -> None:
    now = datetime(2026, 11, 22, 15, 0, tzinfo=UTC)
    await _goes(lender, now, CHAT)
    async with lender.web.app.sessions() as session, session.begin():
        await session.execute(update(ArrangementRow).values(status="broken"))
    rules = lender.web.app.runtime.registry.newest_policy().reminders
    report = await plan_reminders(lender.web.app.sessions, rules, now)
    assert report.queued == 1
    async with lender.web.app.sessions() as session:
        (queued,) = (
            await session.execute(select(ReminderRow).where(col(ReminderRow.status) == "queued"))
        ).scalars()
    assert queued.stage == "late_3"
    assert queued.reason == "R2"  # one a day: the follow-up was today's
    assert queued.send_at is not None
    assert as_utc(queued.send_at) >= datetime(2026, 11, 23, 13, 0, tzinfo=UTC)


@pytest.mark.rule("R2")
@pytest.mark.usefixtures("linked")
async def test_r2_a_thank_you_is_no_reminder_it_neither_waits_for_nor_counts(
    lender: Lender,
) -> None:
    now = datetime(2026, 11, 22, 15, 0, tzinfo=UTC)
    await _sent_reminders(lender, now - timedelta(hours=1))
    await lender.arrangement("T-EN", "promise_to_pay", [(date(2026, 11, 25), "500")], DUE)
    await lender.paid("T-EN", "500", date(2026, 11, 21), "P-T")
    lender.clock.now = now
    assert await lender.run() == 1  # a reminder went an hour ago: the thanks goes all the same
    await _deliver(lender, CHAT)
    assert sum(THANKS["T-EN"] in text for text in lender.said(CHAT)) == 1
    async with lender.web.app.sessions() as session:
        counted = (await session.execute(select(ReminderRow))).scalars().all()
    assert len(counted) == 1  # only the reminder: the thanks is not counted


@pytest.mark.rule("R1")
@pytest.mark.usefixtures("linked")
async def test_r1_a_thank_you_still_waits_for_the_borrowers_hours(lender: Lender) -> None:
    await lender.arrangement("T-EN", "promise_to_pay", [(date(2026, 11, 25), "500")], DUE)
    await lender.paid("T-EN", "500", date(2026, 11, 21), "P-N")
    lender.clock.now = datetime(2026, 11, 23, 3, 30, tzinfo=UTC)  # 22:30 there
    assert await lender.run() == 0
    lender.clock.now = datetime(2026, 11, 23, 13, 0, tzinfo=UTC)
    assert await lender.run() == 1
