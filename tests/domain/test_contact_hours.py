"""R1's hours and R4's quiet windows at, and one unit either side of, each limit, as
the product checks them (bot/domain/contact_hours.py): a moment in UTC against the
wall clock of the borrower's zone. The hours themselves come from the policy,
which keeps them inside 08:00-21:00 and refuses an empty window or one across
midnight (bot/domain/cadence.py); a borrower's quiet window may cross midnight."""

from __future__ import annotations

import time as clock
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from bot.domain.cadence import ContactRules, check_hours
from bot.domain.contact_hours import allowed_intervals, day_hours, hours_allow, quiet_now
from bot.domain.quiet_windows import WEEKDAYS, QuietWindow

HONG_KONG = (ZoneInfo("Asia/Hong_Kong"),)
DAY = date(2026, 12, 2)  # a Wednesday


def _at(wall: time) -> datetime:
    """The moment in UTC at which Hong Kong's clock shows `wall` on DAY (a `wall`
    that carries its own zone is that zone's)."""
    zone = wall.tzinfo or HONG_KONG[0]
    return datetime.combine(DAY, wall.replace(tzinfo=None), tzinfo=zone).astimezone(UTC)


@pytest.mark.rule("R1")
def test_reasonable_hours_R1() -> None:
    rules = ContactRules()
    assert hours_allow(HONG_KONG, _at(time(8, 0)), rules)
    assert hours_allow(HONG_KONG, _at(time(20, 59)), rules)
    assert not hours_allow(HONG_KONG, _at(time(21, 0)), rules)
    assert not hours_allow(HONG_KONG, _at(time(7, 59)), rules)


@pytest.mark.rule("R1")
@pytest.mark.parametrize(
    ("moment", "allowed"),
    [
        (time(0, 0), False),
        (time(7, 59, 59), False),
        (time(8, 0), True),
        (time(12, 0), True),
        (time(20, 59, 59), True),
        (time(21, 0), False),
        (time(23, 59), False),
        (time(9, 0, tzinfo=UTC), True),  # 17:00 in Hong Kong
    ],
)
def test_reasonable_hours_boundaries_R1(moment: time, allowed: bool) -> None:
    assert hours_allow(HONG_KONG, _at(moment), ContactRules()) is allowed


@pytest.mark.rule("R1")
def test_stricter_hours_from_policy_R1() -> None:
    """R1: a market may narrow the window; one across midnight is refused, so no
    message can go out at 23:00 or at 12:00 under it."""
    narrow = ContactRules(start=time(9), end=time(20))
    assert not hours_allow(HONG_KONG, _at(time(8, 30)), narrow)
    assert hours_allow(HONG_KONG, _at(time(9)), narrow)
    assert not hours_allow(HONG_KONG, _at(time(20)), narrow)
    with pytest.raises(ValidationError, match="not after the start"):
        ContactRules(start=time(22), end=time(6))


@pytest.mark.rule("R1")
def test_a_window_that_starts_where_it_ends_allows_no_hour_R1() -> None:
    with pytest.raises(ValueError, match="not after the start"):
        check_hours(time(8), time(8))
    with pytest.raises(ValidationError, match="not after the start"):
        ContactRules(start=time(8), end=time(8))


@pytest.mark.rule("R4")
@pytest.mark.parametrize(
    ("moment", "allowed"),
    [
        (time(21, 59, 59), False),
        (time(22), True),
        (time(22, 0, 1), True),
        (time(5, 59, 59), True),
        (time(6), False),
        (time(6, 0, 1), False),
    ],
)
def test_a_window_across_midnight_includes_its_start_and_excludes_its_end_R4(
    moment: time, allowed: bool
) -> None:
    """A borrower's quiet night, 22:00-06:00 every day: `allowed` is "quiet" here."""
    night = (QuietWindow(frozenset(range(7)), time(22), time(6)),)
    assert quiet_now(night, HONG_KONG, _at(moment)) is allowed


# ---- allowed_intervals: R1's hours less R4's windows, as stretches of UTC ----

LONDON = (ZoneInfo("Europe/London"),)
MONDAY = datetime(2026, 12, 7, tzinfo=UTC)  # midnight in London (GMT in December)


def _utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=UTC)


@pytest.mark.rule("R4")
def test_windows_flush_with_the_hours_leave_no_empty_stretch_R4() -> None:
    """A quiet window that starts as the hours open or ends as they close takes that
    edge whole: no stretch of no length is left at 08:00 or 21:00, where a reminder
    spread over "the first stretch" would land inside the window."""
    edges = (
        QuietWindow(WEEKDAYS, time(8), time(10)),
        QuietWindow(WEEKDAYS, time(19), time(21)),
    )
    assert allowed_intervals(LONDON, edges, ContactRules(), MONDAY, days=1) == [
        (_utc(7, 10), _utc(7, 19))
    ]


@pytest.mark.rule("R4")
def test_a_window_of_other_days_does_not_hide_the_next_window_R4() -> None:
    """Windows are each read for each day: a weekend window listed first does not
    stop a weekday one from counting on a Monday."""
    windows = (
        QuietWindow(frozenset({5, 6}), time(9), time(18)),
        QuietWindow(WEEKDAYS, time(9), time(18)),
    )
    assert allowed_intervals(LONDON, windows, ContactRules(), MONDAY, days=1) == [
        (_utc(7, 8), _utc(7, 9)),
        (_utc(7, 18), _utc(7, 21)),
    ]


@pytest.mark.rule("R4")
def test_a_window_whose_end_is_its_start_lasts_a_whole_day_R4() -> None:
    """09:00-09:00 runs past midnight (quiet_windows.py): Monday 09:00 to Tuesday 09:00.
    The stretches allowed agree with `quiet_now` on both days."""
    whole_day = (QuietWindow(frozenset({0}), time(9), time(9)),)
    assert allowed_intervals(LONDON, whole_day, ContactRules(), MONDAY, days=2) == [
        (_utc(7, 8), _utc(7, 9)),
        (_utc(8, 9), _utc(8, 21)),
    ]
    assert quiet_now(whole_day, LONDON, _utc(7, 20))
    assert quiet_now(whole_day, LONDON, _utc(8, 8, 30))
    assert not quiet_now(whole_day, LONDON, _utc(8, 9))


ZONES = [("Europe/London",), ("Asia/Shanghai",), ("America/New_York", "America/Los_Angeles")]
WINDOW_SETS = [
    (QuietWindow(WEEKDAYS, time(9), time(18)),),
    (QuietWindow(frozenset(range(7)), time(20), time(9)),),
    (QuietWindow(frozenset({0, 2}), time(12), time(12)),),
    (
        QuietWindow(frozenset({6}), time(8), time(10)),
        QuietWindow(frozenset({0}), time(19), time(21)),
    ),
]


@pytest.mark.rule("R1", "R4")
@pytest.mark.parametrize("names", ZONES)
@pytest.mark.parametrize("windows", WINDOW_SETS)
def test_the_stretches_allowed_are_the_moments_r1_and_r4_allow(
    names: tuple[str, ...], windows: tuple[QuietWindow, ...]
) -> None:
    """Every quarter hour of two days from a Sunday noon: inside a stretch exactly when
    R1's hours allow it and R4's windows do not forbid it; stretches are in order,
    never empty, and end after `begin`."""
    zones = tuple(ZoneInfo(name) for name in names)
    rules = ContactRules()
    begin = _utc(6, 12)
    stretches = allowed_intervals(zones, windows, rules, begin, days=2)
    assert stretches == sorted(stretches)
    assert all(begin <= start < end for start, end in stretches)
    horizon = allowed_intervals(zones, (), rules, begin, days=2)[-1][1]
    moment = begin
    while moment < horizon:
        inside = any(start <= moment < end for start, end in stretches)
        assert inside == (
            hours_allow(zones, moment, rules) and not quiet_now(windows, zones, moment)
        )
        moment += timedelta(minutes=15)


@pytest.fixture
def machine_clock_in_shanghai(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The host's own zone set to UTC+8, as on a server kept in local time (the day's
    hours worked out afresh: they are cached across tests)."""
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    clock.tzset()
    day_hours.cache_clear()
    yield
    monkeypatch.undo()
    clock.tzset()
    day_hours.cache_clear()


@pytest.mark.usefixtures("machine_clock_in_shanghai")
def test_stretches_are_in_utc_whatever_the_hosts_own_zone() -> None:
    """The module's moments are UTC (what the planner stores and the simulator prints),
    the edges that quiet windows cut included, on a host whose own zone is not UTC."""
    windows = (QuietWindow(frozenset(range(7)), time(19), time(9)),)
    stretches = allowed_intervals(LONDON, windows, ContactRules(), MONDAY, days=2)
    assert [(s.isoformat(), e.isoformat()) for s, e in stretches] == [
        ("2026-12-07T09:00:00+00:00", "2026-12-07T19:00:00+00:00"),
        ("2026-12-08T09:00:00+00:00", "2026-12-08T19:00:00+00:00"),
    ]
    stretches = allowed_intervals(LONDON, (), ContactRules(), MONDAY, days=1)
    assert [(s.isoformat(), e.isoformat()) for s, e in stretches] == [
        ("2026-12-07T08:00:00+00:00", "2026-12-07T21:00:00+00:00")
    ]


@pytest.mark.rule("R1")
def test_the_days_looked_at_are_the_borrowers_from_begin_on_R1() -> None:
    """17:00 UTC on the 2nd is already the 3rd in Shanghai: two days are the 3rd and
    the 4th there; 03:00 UTC on the 3rd is still the 2nd in New York."""
    shanghai = (ZoneInfo("Asia/Shanghai"),)
    assert allowed_intervals(shanghai, (), ContactRules(), _utc(2, 17), days=2) == [
        (_utc(3, 0), _utc(3, 13)),
        (_utc(4, 0), _utc(4, 13)),
    ]
    new_york = (ZoneInfo("America/New_York"),)
    assert allowed_intervals(new_york, (), ContactRules(), _utc(3, 1), days=2) == [
        (_utc(3, 1), _utc(3, 2)),
        (_utc(3, 13), _utc(4, 2)),
    ]


@pytest.mark.rule("R1")
def test_nothing_is_allowed_where_every_zone_has_the_hours_only_touching_R1() -> None:
    """Under 09:00-17:00, London opens (09:00 UTC) as Shanghai closes (17:00 there):
    together they leave no moment, not a stretch of no length at 09:00 UTC."""
    zones = (ZoneInfo("Asia/Shanghai"), ZoneInfo("Europe/London"))
    office = ContactRules(start=time(9), end=time(17))
    assert allowed_intervals(zones, (), office, _utc(2, 0), days=2) == []


@pytest.mark.rule("R1")
def test_from_the_closing_moment_the_next_stretch_is_the_next_days_R1() -> None:
    """At 21:00 sharp the day's hours are over: no stretch of no length is left there."""
    assert allowed_intervals(LONDON, (), ContactRules(), _utc(2, 21), days=2) == [
        (_utc(3, 8), _utc(3, 21))
    ]
