"""R4: the borrower's own words about when not to message them, read into quiet windows."""

from __future__ import annotations

from datetime import datetime, time

import pytest

from bot.domain.quiet_windows import EVERY_DAY, WEEKDAYS, QuietWindow, is_quiet
from bot.understanding.quiet_hours import WEEKEND, read_quiet_windows
from bot.understanding.text import prepare

pytestmark = [pytest.mark.rule("R4")]

WORK = QuietWindow(WEEKDAYS, time(9), time(18))
WEEKENDS = QuietWindow(WEEKEND, time(0), time(0))
WEEKDAY_DAYTIME = QuietWindow(WEEKDAYS, time(0), time(18))


def read(text: str) -> tuple[QuietWindow, ...]:
    return read_quiet_windows(prepare(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("not during work hours", (WORK,)),
        ("Please don't text me during office hours", (WORK,)),
        ("别在上班时间发", (WORK,)),
        ("上班時間唔好搵我", (WORK,)),
        ("not on weekends", (WEEKENDS,)),
        ("週末不要打擾我", (WEEKENDS,)),
        ("周末别找我", (WEEKENDS,)),
        ("don't message me before 10am", (QuietWindow(EVERY_DAY, time(0), time(10)),)),
        ("十点前别发", (QuietWindow(EVERY_DAY, time(0), time(10)),)),
        ("朝早唔好搵我", (QuietWindow(EVERY_DAY, time(0), time(12)),)),
        ("晚上八点以后不要找我", (QuietWindow(EVERY_DAY, time(20), time(0)),)),
        ("not between 10pm and 7am", (QuietWindow(EVERY_DAY, time(22), time(7)),)),
        ("星期一到星期五 9點至18點唔好搵我", (WORK,)),
        ("not between 9 and 5", (QuietWindow(EVERY_DAY, time(9), time(17)),)),
    ],
)
def test_r4_words_become_quiet_windows(text: str, expected: tuple[QuietWindow, ...]) -> None:
    assert read(text) == expected


@pytest.mark.parametrize(
    "text", ["only evenings on weekdays", "平日晚上才找我", "平日淨係夜晚先好搵我"]
)
def test_r4_only_means_quiet_at_every_other_time(text: str) -> None:
    """ "Only X" is quiet outside X: weekday days before 18:00 and all weekend."""
    assert read(text) == (WEEKDAY_DAYTIME, WEEKENDS)


def test_r4_only_weekends_is_quiet_all_week() -> None:
    assert read("只在周末找我") == (QuietWindow(WEEKDAYS, time(0), time(0)),)


def test_r4_two_requests_in_one_message_are_both_kept() -> None:
    assert read("not after 8pm and not on weekends") == (
        QuietWindow(EVERY_DAY, time(20), time(0)),
        WEEKENDS,
    )


@pytest.mark.parametrize(
    "text", ["hello", "I can pay 200 on the 5th", "我下个月15号还", "yes", "2", "agent"]
)
def test_r4_words_without_a_time_read_nothing(text: str) -> None:
    assert read(text) == ()


def test_r4_a_read_window_keeps_the_borrower_quiet_when_asked() -> None:
    windows = read("平日晚上才找我")
    tuesday = datetime(2026, 12, 8)
    assert is_quiet(windows, tuesday.replace(hour=10))
    assert not is_quiet(windows, tuesday.replace(hour=19))
    assert is_quiet(windows, datetime(2026, 12, 12, 19))  # Saturday evening


@pytest.mark.parametrize("text", ["call me after 6pm", "you can message me after 6pm", "晚上找我"])
def test_r4_times_to_be_contacted_leave_every_other_time_quiet(text: str) -> None:
    """Said without "not", a time to be reached at is the only time: quiet before 18:00."""
    assert read(text) == (QuietWindow(EVERY_DAY, time(0), time(18)),)


@pytest.mark.parametrize("text", ["I'm busy during work hours", "上班时间不方便"])
def test_r4_busy_at_a_time_is_quiet_then(text: str) -> None:
    assert read(text) == (WORK,)
