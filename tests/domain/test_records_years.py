"""R17, R18: the years records are kept run from a moment to the same day and time
(bot/domain/records.py); 29 February becomes 28 February in a common year."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.domain.records import years_after, years_before


@pytest.mark.rule("R17")
def test_years_after_keep_the_day_and_the_time() -> None:
    moment = datetime(2026, 12, 7, 21, 30, 15, tzinfo=UTC)
    assert years_after(moment, 3) == datetime(2029, 12, 7, 21, 30, 15, tzinfo=UTC)
    assert years_before(moment, 3) == datetime(2023, 12, 7, 21, 30, 15, tzinfo=UTC)


@pytest.mark.rule("R17")
def test_29_february_becomes_28_february_in_a_common_year_only() -> None:
    leap_day = datetime(2024, 2, 29, 9, 5, tzinfo=UTC)
    assert years_after(leap_day, 3) == datetime(2027, 2, 28, 9, 5, tzinfo=UTC)
    assert years_after(leap_day, 4) == datetime(2028, 2, 29, 9, 5, tzinfo=UTC)
    assert years_before(leap_day, 1) == datetime(2023, 2, 28, 9, 5, tzinfo=UTC)
    assert years_before(leap_day, 4) == datetime(2020, 2, 29, 9, 5, tzinfo=UTC)
