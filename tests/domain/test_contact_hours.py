"""R1's hours and R4's quiet windows at, and one unit either side of, each limit, as
the product checks them (bot/domain/contact_hours.py): a moment in UTC against the
wall clock of the borrower's zone. The hours themselves come from the policy,
which keeps them inside 08:00-21:00 and refuses an empty window or one across
midnight (bot/domain/cadence.py); a borrower's quiet window may cross midnight."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from bot.domain.cadence import ContactRules, check_hours
from bot.domain.contact_hours import hours_allow, quiet_now
from bot.domain.quiet_windows import QuietWindow

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
