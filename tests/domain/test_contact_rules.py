"""The contact rules as plain functions: each limit at and either side of its edge."""

from __future__ import annotations

import time as clock
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.cadence import ContactRules, RemindersPolicy
from bot.domain.contact_hours import (
    allowed_intervals,
    fraction,
    hours_allow,
    local_day,
    quiet_now,
    spread,
    zones_for,
)
from bot.domain.contact_rules import (
    ARRANGEMENT,
    NOTHING_OWED,
    PERSON,
    R1,
    R2,
    R3,
    R4,
    R8,
    R12,
    R16,
    SUPERSEDED,
    UNREACHABLE,
    Contact,
    blocking_rule,
    due_stage,
    follow_up_check,
    hold,
    next_moment,
    plan,
    r2_allows,
    r2_earliest,
    send_check,
)
from bot.domain.quiet_windows import WEEKDAYS, QuietWindow

RULES = ContactRules()
POLICY = RemindersPolicy()
LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
SHANGHAI = ZoneInfo("Asia/Shanghai")


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def contact(**changes: object) -> Contact:
    values: dict[str, object] = {
        "account_id": "A-1",
        "timezone": "Europe/London",
        "due_date": date(2026, 12, 1),
    }
    values.update(changes)
    return Contact(**values)  # type: ignore[arg-type]


# ---- R1: hours in the borrower's zone ----


@pytest.mark.rule("R1")
@pytest.mark.parametrize(
    ("zone", "opens", "closes"),
    [
        # Winter (December): New York UTC-5, London UTC+0, Shanghai UTC+8, Hong Kong UTC+8.
        ("America/New_York", utc(2026, 12, 2, 13), utc(2026, 12, 3, 2)),
        ("Europe/London", utc(2026, 12, 2, 8), utc(2026, 12, 2, 21)),
        ("Asia/Shanghai", utc(2026, 12, 2, 0), utc(2026, 12, 2, 13)),
        ("Asia/Hong_Kong", utc(2026, 12, 2, 0), utc(2026, 12, 2, 13)),
        ("Asia/Taipei", utc(2026, 12, 2, 0), utc(2026, 12, 2, 13)),
        ("Australia/Sydney", utc(2026, 12, 1, 21), utc(2026, 12, 2, 10)),
    ],
)
def test_r1_hours_per_zone_open_at_eight_and_close_at_nine(
    zone: str, opens: datetime, closes: datetime
) -> None:
    zones = zones_for(zone, "")
    second = timedelta(seconds=1)
    assert not hours_allow(zones, opens - second, RULES)
    assert hours_allow(zones, opens, RULES)
    assert hours_allow(zones, closes - second, RULES)
    assert not hours_allow(zones, closes, RULES)


@pytest.mark.rule("R1")
def test_r1_london_spring_forward_moves_the_hours_an_hour_earlier_in_utc() -> None:
    zones = (LONDON,)
    # 28 March 2026 is GMT (08:00 = 08:00 UTC); 29 March is BST (08:00 = 07:00 UTC).
    assert not hours_allow(zones, utc(2026, 3, 28, 7, 30), RULES)
    assert hours_allow(zones, utc(2026, 3, 29, 7, 0), RULES)
    assert not hours_allow(zones, utc(2026, 3, 29, 6, 59, 59), RULES)
    assert not hours_allow(zones, utc(2026, 3, 29, 20, 0), RULES)  # 21:00 BST
    assert allowed_intervals(zones, (), RULES, utc(2026, 3, 29, 0), days=1) == [
        (utc(2026, 3, 29, 7), utc(2026, 3, 29, 20))
    ]


@pytest.mark.rule("R1")
def test_r1_london_fall_back_moves_the_hours_an_hour_later_in_utc() -> None:
    zones = (LONDON,)
    # 24 October 2026 is BST; 25 October is GMT again.
    assert hours_allow(zones, utc(2026, 10, 24, 7, 0), RULES)
    assert not hours_allow(zones, utc(2026, 10, 25, 7, 30), RULES)
    assert hours_allow(zones, utc(2026, 10, 25, 8, 0), RULES)
    assert hours_allow(zones, utc(2026, 10, 25, 20, 59), RULES)
    assert not hours_allow(zones, utc(2026, 10, 25, 21, 0), RULES)


@pytest.mark.rule("R1")
def test_r1_new_york_spring_forward_and_fall_back() -> None:
    zones = (NEW_YORK,)
    # 7 March EST: 08:00 = 13:00 UTC; 8 March EDT: 08:00 = 12:00 UTC.
    assert not hours_allow(zones, utc(2026, 3, 7, 12, 30), RULES)
    assert hours_allow(zones, utc(2026, 3, 8, 12, 0), RULES)
    assert not hours_allow(zones, utc(2026, 3, 8, 11, 59), RULES)
    assert not hours_allow(zones, utc(2026, 3, 9, 1, 0), RULES)  # 21:00 EDT
    # 31 October EDT: 08:00 = 12:00 UTC; 1 November EST: 08:00 = 13:00 UTC.
    assert hours_allow(zones, utc(2026, 10, 31, 12, 0), RULES)
    assert not hours_allow(zones, utc(2026, 11, 1, 12, 30), RULES)
    assert hours_allow(zones, utc(2026, 11, 1, 13, 0), RULES)
    assert hours_allow(zones, utc(2026, 11, 2, 1, 59), RULES)  # 20:59 EST
    assert not hours_allow(zones, utc(2026, 11, 2, 2, 0), RULES)


@pytest.mark.rule("R1")
def test_r1_the_day_and_the_hours_follow_the_zone_across_midnight() -> None:
    # 23:30 UTC on 22 November: 18:30 on the 22nd in New York, 07:30 on the 23rd in Shanghai.
    moment = utc(2026, 11, 22, 23, 30)
    assert local_day((NEW_YORK,), moment) == date(2026, 11, 22)
    assert local_day((SHANGHAI,), moment) == date(2026, 11, 23)
    due = date(2026, 11, 24)  # due_soon (-3) opens on the 21st, late_1 (+1) on the 25th
    stages = POLICY.stages
    assert due_stage(stages, date(2026, 11, 26), local_day((NEW_YORK,), moment)) is None
    assert due_stage(stages, date(2026, 11, 26), local_day((SHANGHAI,), moment)) == stages[0]
    assert due_stage(stages, due, date(2026, 11, 24)) == stages[0]
    # The account moves from New York to Shanghai: a reminder due at 18:30 New York
    # time is, at the same moment, 07:30 the next morning there: held until 08:00.
    moved = contact(timezone="Asia/Shanghai", due_date=date(2026, 11, 23))
    assert send_check(moved, stages, "due_soon", moved.due_date, moment, RULES) == R1
    key = "A-1:due_soon:2026-11-23"
    later, why = next_moment(moved, zones_for("Asia/Shanghai", ""), moment, RULES, key)
    assert why == R1
    assert later is not None and utc(2026, 11, 23, 0) <= later < utc(2026, 11, 23, 13)


@pytest.mark.rule("R1")
def test_r1_an_unknown_zone_gets_only_hours_valid_across_the_country() -> None:
    zones = zones_for("Mars/Olympus", "+15550100001")  # a US phone: every US zone
    assert len(zones) > 3
    # 14:00 UTC is 09:00 in New York but 04:00 in Honolulu.
    assert not hours_allow(zones, utc(2026, 12, 2, 14), RULES)
    # 19:00 UTC: 14:00 New York, 11:00 Los Angeles, 10:00 Anchorage, 09:00 Honolulu.
    assert hours_allow(zones, utc(2026, 12, 2, 19), RULES)
    # 01:59 UTC: 20:59 in New York; 02:00 is 21:00 there.
    assert hours_allow(zones, utc(2026, 12, 3, 1, 59), RULES)
    assert not hours_allow(zones, utc(2026, 12, 3, 2, 0), RULES)
    assert allowed_intervals(zones, (), RULES, utc(2026, 12, 2, 12), days=1) == [
        (utc(2026, 12, 2, 18), utc(2026, 12, 3, 2))
    ]


@pytest.mark.rule("R1")
def test_r1_a_zone_written_as_utc_is_read_from_the_phone_and_no_clue_holds() -> None:
    assert {z.key for z in zones_for("UTC", "+447700900001")} == {"Europe/London", "Europe/Belfast"}
    assert zones_for("UTC", "") == (ZoneInfo("UTC"),)
    assert zones_for("Nowhere/Town", "") == ()
    assert (
        plan(contact(timezone="Nowhere/Town"), POLICY.stages, utc(2026, 12, 2, 9), RULES).reason
        == R1
    )
    assert not hours_allow((), utc(2026, 12, 2, 12), RULES)


# ---- R2: counts per day and per rolling 7 days, quiet after a conversation ----


@pytest.mark.rule("R2")
def test_r2_one_a_day_in_the_borrowers_own_day() -> None:
    sent = contact(sent=(utc(2026, 12, 2, 10),))
    zones = (LONDON,)
    assert not r2_allows(sent, zones, utc(2026, 12, 2, 20, 59), RULES)
    assert r2_earliest(sent, zones, utc(2026, 12, 2, 11), RULES) == utc(2026, 12, 3, 0)
    assert r2_allows(sent, zones, utc(2026, 12, 3, 0), RULES)
    assert r2_allows(contact(), zones, utc(2026, 12, 2, 11), RULES)


@pytest.mark.rule("R2")
def test_r2_rolling_seven_days_at_the_policys_count() -> None:
    two = ContactRules(max_per_7_days=2)
    sent = contact(sent=(utc(2026, 12, 3, 10), utc(2026, 12, 1, 10)))
    zones = (LONDON,)
    assert not r2_allows(sent, zones, utc(2026, 12, 8, 9, 59, 59), two)
    assert r2_earliest(sent, zones, utc(2026, 12, 6, 12), two) == utc(2026, 12, 8, 10)
    assert r2_allows(sent, zones, utc(2026, 12, 8, 10), two)
    # Below the count, a week's reminders do not hold the next one.
    assert r2_allows(contact(sent=(utc(2026, 12, 1, 10),)), zones, utc(2026, 12, 6, 12), two)
    # Past the seven days, the older one no longer counts: nothing moves the moment back.
    assert r2_allows(sent, zones, utc(2026, 12, 8, 12), two)
    assert r2_earliest(sent, zones, utc(2026, 12, 8, 12), two) == utc(2026, 12, 8, 12)


@pytest.mark.rule("R2")
def test_r2_seven_in_seven_days_is_the_ceiling() -> None:
    week = tuple(utc(2026, 12, 1 + n, 10) for n in range(7))
    sent = contact(sent=week)
    zones = (LONDON,)
    assert not r2_allows(sent, zones, utc(2026, 12, 8, 9, 59), RULES)
    assert r2_allows(sent, zones, utc(2026, 12, 8, 10, 0), RULES)
    assert r2_allows(contact(sent=week[1:]), zones, utc(2026, 12, 8, 9, 0), RULES)


@pytest.mark.rule("R2")
def test_r2_none_within_seven_days_after_a_completed_conversation() -> None:
    ended = utc(2026, 12, 2, 15)
    talked = contact(completed_at=ended)
    zones = (LONDON,)
    assert not r2_allows(talked, zones, ended + timedelta(days=7, seconds=-1), RULES)
    assert r2_allows(talked, zones, ended + timedelta(days=7), RULES)
    assert r2_earliest(talked, zones, ended, RULES) == ended + timedelta(days=7)
    longer = ContactRules(quiet_days_after_conversation=10)
    assert not r2_allows(talked, zones, ended + timedelta(days=9), longer)


@pytest.mark.rule("R2")
def test_r2_the_planner_defers_rather_than_drops() -> None:
    now = utc(2026, 12, 2, 9)  # day +1: late_1 is due
    talked = contact(completed_at=utc(2026, 12, 1, 9))
    decision = plan(talked, POLICY.stages, now, RULES)
    assert decision.stage is not None and decision.stage.name == "late_1"
    assert decision.reason == R2
    assert decision.send_at is not None and decision.send_at >= utc(2026, 12, 8, 9)
    assert hours_allow((LONDON,), decision.send_at, RULES)


# ---- R3, R8, R12, R16, a person: holds no hour lifts ----


@pytest.mark.rule("R3")
def test_r3_an_opted_out_account_is_held() -> None:
    today = date(2026, 12, 2)
    assert hold(contact(opted_out=True), today) == R3
    assert hold(contact(), today) is None
    decision = plan(contact(opted_out=True), POLICY.stages, utc(2026, 12, 2, 12), RULES)
    assert (decision.send_at, decision.reason) == (None, R3)


@pytest.mark.rule("R8")
def test_r8_nothing_undisputed_means_nothing_to_remind_about() -> None:
    today = date(2026, 12, 2)
    assert hold(contact(charges=2, undisputed=0), today) == R8
    assert hold(contact(charges=2, undisputed=1), today) is None
    assert hold(contact(charges=0, undisputed=0), today) == NOTHING_OWED


@pytest.mark.rule("R12")
def test_r12_collection_paused_after_a_crisis_holds_every_reminder() -> None:
    assert hold(contact(collection_paused=True, opted_out=True), date(2026, 12, 2)) == R12


@pytest.mark.rule("R16")
def test_r16_a_breathing_space_holds_on_its_days_only() -> None:
    space = contact(
        breathing_space=True,
        breathing_space_from=date(2026, 12, 3),
        breathing_space_until=date(2026, 12, 10),
    )
    assert hold(space, date(2026, 12, 2)) is None
    assert hold(space, date(2026, 12, 3)) == R16
    assert hold(space, date(2026, 12, 10)) == R16
    assert hold(space, date(2026, 12, 11)) is None


def test_a_person_an_arrangement_and_an_unreachable_chat_hold_in_that_order() -> None:
    today = date(2026, 12, 2)
    assert hold(contact(person_owns=True, unreachable=True), today) == PERSON
    assert hold(contact(unreachable=True, arrangement=True), today) == UNREACHABLE
    assert hold(contact(arrangement=True), today) == ARRANGEMENT


def test_a_stage_for_a_person_is_not_sent_by_the_bot() -> None:
    decision = plan(contact(), POLICY.stages, utc(2026, 12, 31, 12), RULES)  # day +30
    assert decision.stage is not None and decision.stage.person
    assert (decision.send_at, decision.reason) == (None, PERSON)


# ---- R4: the borrower's quiet windows ----


@pytest.mark.rule("R4")
def test_r4_quiet_windows_leave_only_the_rest_of_the_hours() -> None:
    work = (QuietWindow(WEEKDAYS, time(9), time(18)),)
    monday = utc(2026, 12, 7, 0)
    assert allowed_intervals((LONDON,), work, RULES, monday, days=1) == [
        (utc(2026, 12, 7, 8), utc(2026, 12, 7, 9)),
        (utc(2026, 12, 7, 18), utc(2026, 12, 7, 21)),
    ]
    assert quiet_now(work, (LONDON,), utc(2026, 12, 7, 9))
    assert not quiet_now(work, (LONDON,), utc(2026, 12, 7, 8, 59))
    assert not quiet_now(work, (LONDON,), utc(2026, 12, 7, 18))
    busy = contact(quiet_windows=work)
    assert blocking_rule(busy, (LONDON,), utc(2026, 12, 7, 12), RULES) == R4
    later, why = next_moment(busy, (LONDON,), utc(2026, 12, 7, 12), RULES, "A-1:late_3:x")
    assert why == R4
    assert later is not None and utc(2026, 12, 7, 18) <= later < utc(2026, 12, 7, 21)


@pytest.mark.rule("R4")
def test_r4_a_window_past_midnight_in_the_borrowers_time() -> None:
    nights = (QuietWindow(frozenset(range(7)), time(20), time(9)),)
    # Shanghai: allowed 09:00-20:00 local = 01:00-12:00 UTC.
    assert allowed_intervals((SHANGHAI,), nights, RULES, utc(2026, 12, 7, 0), days=1) == [
        (utc(2026, 12, 7, 1), utc(2026, 12, 7, 12))
    ]


# ---- the cadence, the send-time check, the spread ----


def test_the_stage_of_each_day_around_the_due_date() -> None:
    due = date(2026, 12, 1)
    names = {
        -4: None,
        -3: "due_soon",
        0: "due_soon",
        1: "late_1",
        2: "late_1",
        3: "late_3",
        7: "late_7",
        14: "late_7",
        15: "late_15",
        29: "late_15",
        30: "late_30",
        90: "late_30",
    }
    for offset, name in names.items():
        stage = due_stage(POLICY.stages, due, due + timedelta(days=offset))
        assert (stage.name if stage else None) == name, offset


def test_a_queued_stage_is_not_planned_again() -> None:
    queued = contact(stages_queued=frozenset({"late_1"}))
    assert plan(queued, POLICY.stages, utc(2026, 12, 2, 12), RULES).stage is None


def test_at_send_time_a_later_stage_or_a_new_due_date_supersedes() -> None:
    stages = POLICY.stages
    now = utc(2026, 12, 4, 12)  # day +3: late_3
    assert send_check(contact(), stages, "late_1", date(2026, 12, 1), now, RULES) == SUPERSEDED
    assert send_check(contact(), stages, "late_3", date(2026, 11, 1), now, RULES) == SUPERSEDED
    assert send_check(contact(), stages, "late_3", date(2026, 12, 1), now, RULES) is None
    assert (
        send_check(contact(opted_out=True), stages, "late_3", date(2026, 12, 1), now, RULES) == R3
    )
    late = utc(2026, 12, 4, 21)
    assert send_check(contact(), stages, "late_3", date(2026, 12, 1), late, RULES) == R1
    assert (
        send_check(contact(timezone="x/y"), stages, "late_3", date(2026, 12, 1), now, RULES) == R1
    )


def test_a_days_reminders_are_spread_over_the_hours_not_bunched() -> None:
    window = [(utc(2026, 12, 2, 8), utc(2026, 12, 2, 21))]
    moments = [spread(window, fraction(f"A-{n}:late_1:2026-12-01")) for n in range(2000)]
    hours = [m.hour for m in moments if m is not None]
    assert min(hours) == 8 and max(hours) == 20
    per_hour = [hours.count(h) for h in range(8, 21)]
    assert max(per_hour) < 2 * (2000 / 13)  # no hour carries twice its share
    assert spread([], 0.5) is None
    assert fraction("same") == fraction("same") and 0 <= fraction("x") < 1


def test_planning_during_the_hours_spreads_over_what_is_left_of_them() -> None:
    now = utc(2026, 12, 2, 19)  # 19:00 in London on day +1
    decision = plan(contact(), POLICY.stages, now, RULES)
    assert decision.reason is None
    assert decision.send_at is not None and now <= decision.send_at < utc(2026, 12, 2, 21)
    night = plan(contact(), POLICY.stages, utc(2026, 12, 2, 22), RULES)
    assert night.reason == R1
    assert night.send_at is not None and utc(2026, 12, 3, 8) <= night.send_at < utc(2026, 12, 3, 21)


# ---- follow-up of a promise or an installment, checked as it goes out ----


@pytest.mark.rule("R1", "R2", "R4")
def test_a_follow_up_waits_for_the_hours_the_quiet_windows_and_r2_if_a_reminder() -> None:
    wednesday_noon = utc(2026, 12, 2, 12)
    assert follow_up_check(contact(), wednesday_noon, RULES, reminder=True) is None
    assert follow_up_check(contact(), utc(2026, 12, 2, 7, 59), RULES, reminder=False) == R1
    assert follow_up_check(contact(), utc(2026, 12, 2, 8), RULES, reminder=False) is None
    # No zone and no country: no hour is safe.
    nowhere = contact(timezone="Nowhere/Town")
    assert follow_up_check(nowhere, wednesday_noon, RULES, reminder=False) == R1
    work = (QuietWindow(WEEKDAYS, time(9), time(18)),)
    quiet = contact(quiet_windows=work)
    assert follow_up_check(quiet, wednesday_noon, RULES, reminder=False) == R4
    assert follow_up_check(quiet, utc(2026, 12, 2, 18), RULES, reminder=False) is None
    # R2 binds a broken promise's follow-up (a reminder), never a thank-you.
    sent_today = contact(sent=(utc(2026, 12, 2, 9),))
    assert follow_up_check(sent_today, wednesday_noon, RULES, reminder=True) == R2
    assert follow_up_check(sent_today, wednesday_noon, RULES, reminder=False) is None


@pytest.mark.rule("R3", "R8", "R12")
def test_a_thank_you_goes_to_an_account_paid_off_or_disputed_but_no_hold_is_lifted() -> None:
    noon = utc(2026, 12, 2, 12)
    paid_off = contact(charges=0, undisputed=0)
    disputed = contact(charges=2, undisputed=0)
    for account in (paid_off, disputed):
        assert follow_up_check(account, noon, RULES, reminder=False) is None
    assert follow_up_check(paid_off, noon, RULES, reminder=True) == NOTHING_OWED
    assert follow_up_check(disputed, noon, RULES, reminder=True) == R8
    for held, rule in ((contact(opted_out=True), R3), (contact(collection_paused=True), R12)):
        assert follow_up_check(held, noon, RULES, reminder=False) == rule
        assert follow_up_check(held, noon, RULES, reminder=True) == rule
    # The arrangement spoken of does not hold its own follow-up.
    running = contact(arrangement=True)
    assert follow_up_check(running, noon, RULES, reminder=True) is None
    assert hold(running, date(2026, 12, 2)) == ARRANGEMENT


# ---- the borrower's own day, in a zone where it is not UTC's ----


@pytest.mark.rule("R2")
def test_r2_the_day_ends_at_the_borrowers_midnight_not_utcs() -> None:
    """One a day in New York's day: the next is allowed at midnight there, 05:00 UTC."""
    sent = contact(timezone="America/New_York", sent=(utc(2026, 12, 2, 15),))
    assert r2_earliest(sent, (NEW_YORK,), utc(2026, 12, 2, 20), RULES) == utc(2026, 12, 3, 5)
    assert not r2_allows(sent, (NEW_YORK,), utc(2026, 12, 3, 4, 59), RULES)


@pytest.mark.rule("R2")
def test_r2_last_evenings_reminder_is_yesterdays_though_utc_has_turned_the_day() -> None:
    """20:00 in New York on the 2nd is 01:00 UTC on the 3rd: the next morning it was
    still yesterday's reminder there, so it neither holds nor moves today's, for the
    planner and for a broken promise's follow-up alike."""
    evening = utc(2026, 12, 3, 1)  # 20:00 EST on 2 December
    morning = utc(2026, 12, 3, 14)  # 09:00 EST on 3 December
    sent = contact(timezone="America/New_York", sent=(evening,))
    fresh = contact(timezone="America/New_York")
    key = "A-1:late_1:2026-12-01"  # lands early in the day's hours (fraction below 0.1)
    assert r2_allows(sent, (NEW_YORK,), morning, RULES)
    assert next_moment(sent, (NEW_YORK,), morning, RULES, key) == next_moment(
        fresh, (NEW_YORK,), morning, RULES, key
    )
    slot, why = next_moment(sent, (NEW_YORK,), morning, RULES, key)
    assert why is None and slot is not None and morning <= slot < utc(2026, 12, 3, 16)
    assert follow_up_check(sent, morning, RULES, reminder=True) is None


@pytest.mark.rule("R2")
def test_r2_a_moment_the_week_moves_onto_a_day_with_a_reminder_moves_again() -> None:
    """R2's earliest moment satisfies both counts at once: the week's count moves it to
    the 5th, which already has a reminder (one recorded ahead of now), so it moves on
    to midnight, where the week's count moves it once more."""
    two = ContactRules(max_per_7_days=2)
    sent = contact(sent=(utc(2026, 11, 28, 10), utc(2026, 12, 1, 10), utc(2026, 12, 5, 9)))
    assert r2_earliest(sent, (LONDON,), utc(2026, 12, 2, 12), two) == utc(2026, 12, 8, 10)


@pytest.mark.rule("R2")
def test_r2_with_no_zone_given_counts_utcs_days() -> None:
    """The callers give R2 the account's zones; asked with none, it reads UTC's day."""
    sent = contact(timezone="America/New_York", sent=(utc(2026, 12, 3, 1),))
    assert r2_earliest(sent, (), utc(2026, 12, 3, 14), RULES) == utc(2026, 12, 4, 0)
    assert r2_earliest(sent, (NEW_YORK,), utc(2026, 12, 3, 14), RULES) == utc(2026, 12, 3, 14)


@pytest.fixture
def machine_clock_in_shanghai(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The host's own zone set to UTC+8, as on a server kept in local time."""
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    clock.tzset()
    yield
    monkeypatch.undo()
    clock.tzset()


@pytest.mark.rule("R2")
@pytest.mark.usefixtures("machine_clock_in_shanghai")
def test_r2s_next_moment_is_in_utc_whatever_the_hosts_own_zone() -> None:
    sent = contact(sent=(utc(2026, 12, 2, 10),))
    assert r2_earliest(sent, (LONDON,), utc(2026, 12, 2, 11), RULES).isoformat() == (
        "2026-12-03T00:00:00+00:00"
    )


# ---- a breathing space on its days only, at every point that checks holds ----


@pytest.mark.rule("R16")
def test_r16_a_breathing_space_holds_on_its_days_only_for_every_check() -> None:
    """The planner, the send-time check and a follow-up read the breathing space on the
    borrower's own day: in Shanghai it begins at 16:00 UTC the day before."""
    space = contact(
        timezone="Asia/Shanghai",
        breathing_space=True,
        breathing_space_from=date(2026, 12, 3),
        breathing_space_until=date(2026, 12, 10),
    )
    stages = POLICY.stages
    before = utc(2026, 12, 2, 3)  # 11:00 on the 2nd in Shanghai: day +1, late_1
    begun = utc(2026, 12, 2, 17)  # 01:00 on the 3rd in Shanghai
    assert plan(space, stages, before, RULES).reason is None
    assert send_check(space, stages, "late_1", date(2026, 12, 1), before, RULES) is None
    assert follow_up_check(space, before, RULES, reminder=True) is None
    assert follow_up_check(space, before, RULES, reminder=False) is None
    assert plan(space, stages, begun, RULES).reason == R16
    assert send_check(space, stages, "late_1", date(2026, 12, 1), begun, RULES) == R16
    assert follow_up_check(space, begun, RULES, reminder=False) == R16


# ---- when the next two days have no allowed hour ----


@pytest.mark.rule("R4")
def test_r4_quiet_all_weekday_hours_puts_the_reminder_on_saturday() -> None:
    """Two days are looked at first; when quiet windows fill them, the week is."""
    all_day = contact(quiet_windows=(QuietWindow(WEEKDAYS, time(8), time(21)),))
    monday = utc(2026, 12, 7, 10)
    slot, why = next_moment(all_day, (LONDON,), monday, RULES, "A-1:late_7:2026-12-01")
    assert why == R4
    assert slot is not None and utc(2026, 12, 12, 8) <= slot < utc(2026, 12, 12, 21)
    decision = plan(all_day, POLICY.stages, monday, RULES)  # day +6: late_3
    assert decision.reason == R4
    assert decision.send_at is not None and decision.send_at.date() == date(2026, 12, 12)


@pytest.mark.rule("R2")
def test_r2_a_slot_on_a_day_that_already_had_its_reminder_moves_to_the_next_day() -> None:
    """R2 is asked again of the moment chosen: a reminder recorded for the next
    morning (a sender whose clock runs ahead) moves tonight's planning a day on."""
    ahead = contact(sent=(utc(2026, 12, 3, 8, 5),))
    night = utc(2026, 12, 2, 22)  # past the hours: the first stretch is the 3rd's
    slot, why = next_moment(ahead, (LONDON,), night, RULES, "A-1:late_1:2026-12-01")
    assert why == R1
    assert slot is not None and utc(2026, 12, 4, 8) <= slot < utc(2026, 12, 4, 21)
