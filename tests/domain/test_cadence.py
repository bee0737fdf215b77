"""The reminder cadence and the contact rules' numbers: what a policy may say."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from pydantic import ValidationError

from bot.domain.cadence import ContactRules, RemindersPolicy, ReminderStage, check_counts
from bot.domain.send_load import Peak, fits, peak_rate


def stage(name: str, offset: int, state: str | None = "s", person: bool = False) -> ReminderStage:
    return ReminderStage(name=name, offset_days=offset, state=state, person=person)


def test_the_default_cadence_is_the_banks_stages() -> None:
    policy = RemindersPolicy()
    assert [s.offset_days for s in policy.stages] == [-3, 1, 3, 7, 15, 30]
    assert [s.person for s in policy.stages] == [False] * 5 + [True]
    assert policy.stage("late_7") == policy.stages[3]
    assert policy.stage("nope") is None


def test_stages_must_be_in_order_and_named_once() -> None:
    with pytest.raises(ValidationError, match="must come after stage a"):
        RemindersPolicy(stages=(stage("a", 3), stage("b", 1)))
    with pytest.raises(ValidationError, match="must come after stage a"):
        RemindersPolicy(stages=(stage("a", 3), stage("b", 3)))
    with pytest.raises(ValidationError) as raised:
        RemindersPolicy(stages=(stage("a", 1), stage("b", 3), stage("c", 2)))
    assert "stage c (day 2) must come after stage b (day 3): list stages in order" in str(
        raised.value
    )
    with pytest.raises(ValidationError, match="listed twice"):
        RemindersPolicy(stages=(stage("a", 1), stage("a", 3)))
    assert len(RemindersPolicy(stages=(stage("a", 1), stage("b", 2))).stages) == 2
    with pytest.raises(ValidationError):
        RemindersPolicy(stages=())


def test_a_stage_opens_a_state_or_goes_to_a_person_never_both() -> None:
    with pytest.raises(ValidationError, match="opens no script state"):
        stage("a", 1, state="s", person=True)
    with pytest.raises(ValidationError, match="give the script state"):
        stage("a", 1, state=None)
    with pytest.raises(ValidationError, match="lower-case"):
        stage("Late", 1)
    assert stage("a", 1, state=None, person=True).person


@pytest.mark.rule("R1")
def test_r1_the_policys_hours_stay_inside_eight_to_nine() -> None:
    with pytest.raises(ValidationError, match="before 08:00"):
        ContactRules(start=time(7, 59))
    with pytest.raises(ValidationError, match="after 21:00"):
        ContactRules(end=time(21, 1))
    with pytest.raises(ValidationError, match="not after the start"):
        ContactRules(start=time(12), end=time(12))
    assert ContactRules(start=time(8), end=time(21)).end == time(21)
    assert ContactRules(start=time(9), end=time(20)).start == time(9)


@pytest.mark.rule("R2")
def test_r2_the_policy_may_lower_the_counts_never_raise_them() -> None:
    with pytest.raises(ValidationError):
        ContactRules(max_per_day=2)
    with pytest.raises(ValidationError):
        ContactRules(max_per_7_days=8)
    with pytest.raises(ValidationError):
        ContactRules(quiet_days_after_conversation=6)
    with pytest.raises(ValidationError):
        ContactRules(max_per_day=0)
    assert ContactRules(max_per_7_days=1, quiet_days_after_conversation=14).max_per_7_days == 1
    assert ContactRules().max_per_7_days == 7 and ContactRules().max_per_day == 1
    # The model's bounds keep a day's count within the week's; the check says so by itself.
    with pytest.raises(ValueError) as raised:
        check_counts(2, 1)
    assert str(raised.value) == "max_per_day (2) is above max_per_7_days (1)"


def test_the_load_of_overlapping_windows_is_summed_at_its_busiest() -> None:
    day = (datetime(2026, 12, 2, 8, tzinfo=UTC), datetime(2026, 12, 2, 21, tzinfo=UTC))
    later = (datetime(2026, 12, 2, 13, tzinfo=UTC), datetime(2026, 12, 3, 2, tzinfo=UTC))
    seconds = 13 * 3600
    peak = peak_rate({day: 30 * seconds, later: 15 * seconds})
    assert peak == Peak(45.0, later[0])
    assert not fits(peak, 30)
    assert fits(peak_rate({day: 30 * seconds}), 30)
    assert not fits(peak_rate({day: 30 * seconds + 1}), 30)
    assert peak_rate({}) is None and fits(None, 30)
    # Back to back: one window's end frees its rate before the next one starts.
    after = (day[1], datetime(2026, 12, 2, 23, tzinfo=UTC))
    assert peak_rate({day: 10 * seconds, after: 20 * 7200}) == Peak(20.0, day[1])


def test_a_window_of_no_length_or_no_reminders_carries_no_load() -> None:
    """Skipped, and only skipped: a window after one still counts, and one reminder
    over one second is a load of one a second."""
    start = datetime(2026, 12, 2, 8, tzinfo=UTC)
    second = timedelta(seconds=1)
    hour = (start, start + 3600 * second)
    assert peak_rate({(start, start): 5}) is None
    assert peak_rate({hour: 0}) is None
    loads = {(start, start): 5, hour: 0, (start, start + second): 1}
    assert peak_rate(loads) == Peak(1.0, start)


def test_the_first_of_equal_peaks_is_reported_and_any_rise_counts() -> None:
    """The same rate again later is no new peak; a rise of half a message a second is."""
    at = datetime(2026, 12, 2, 8, tzinfo=UTC)
    hour = timedelta(hours=1)
    first, again = (at, at + hour), (at + 2 * hour, at + 3 * hour)
    assert peak_rate({first: 3600, again: 3600}) == Peak(1.0, at)
    half_hour_on = (at + hour / 2, at + hour)
    assert peak_rate({first: 3600, half_hour_on: 900}) == Peak(1.5, at + hour / 2)
