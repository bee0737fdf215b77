"""R4: the borrower's quiet windows, at and either side of each edge."""

from __future__ import annotations

from datetime import datetime, time

from bot.domain.quiet_windows import (
    EVERY_DAY,
    WEEKDAYS,
    QuietWindow,
    from_data,
    is_quiet,
    to_data,
)

WORK_HOURS = QuietWindow(WEEKDAYS, time(9, 0), time(18, 0))
NIGHTS_FRIDAY = QuietWindow(frozenset({4}), time(22, 0), time(7, 0))


def at(day: int, hour: int, minute: int = 0) -> datetime:
    # 2026-12-07 is a Monday: day 0.
    return datetime(2026, 12, 7 + day, hour, minute)


def test_r4_a_daytime_window_covers_its_start_not_its_end() -> None:
    assert not WORK_HOURS.covers(at(0, 8, 59))
    assert WORK_HOURS.covers(at(0, 9, 0))
    assert WORK_HOURS.covers(at(4, 17, 59))
    assert not WORK_HOURS.covers(at(0, 18, 0))


def test_r4_a_weekday_window_leaves_the_weekend_alone() -> None:
    assert not WORK_HOURS.covers(at(5, 12))
    assert not WORK_HOURS.covers(at(6, 12))


def test_r4_a_window_past_midnight_covers_the_next_morning() -> None:
    assert not NIGHTS_FRIDAY.covers(at(4, 21, 59))
    assert NIGHTS_FRIDAY.covers(at(4, 22, 0))
    assert NIGHTS_FRIDAY.covers(at(5, 6, 59))
    assert not NIGHTS_FRIDAY.covers(at(5, 7, 0))
    assert not NIGHTS_FRIDAY.covers(at(5, 22, 30))  # Saturday night is not Friday's
    assert not NIGHTS_FRIDAY.covers(at(4, 6, 0))  # Friday morning belongs to Thursday


def test_r4_is_quiet_over_several_windows_and_none() -> None:
    assert is_quiet([WORK_HOURS, NIGHTS_FRIDAY], at(5, 1))
    assert is_quiet([WORK_HOURS, NIGHTS_FRIDAY], at(2, 10))
    assert not is_quiet([WORK_HOURS, NIGHTS_FRIDAY], at(2, 19))
    assert not is_quiet([], at(2, 10))


def test_r4_windows_survive_the_account_row() -> None:
    windows = (WORK_HOURS, NIGHTS_FRIDAY, QuietWindow(EVERY_DAY, time(21, 30), time(8, 15)))
    assert from_data(to_data(windows)) == windows
    assert to_data([WORK_HOURS]) == [{"days": [0, 1, 2, 3, 4], "start": "09:00", "end": "18:00"}]
    assert from_data(None) == ()
    assert from_data([{"days": "bad", "start": "09:00", "end": "10:00"}]) == (
        QuietWindow(frozenset(), time(9), time(10)),
    )
