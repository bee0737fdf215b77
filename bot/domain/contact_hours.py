"""Where in time a message to a borrower may go: their zones, R1's hours and R4's
quiet windows, as plain functions over aware datetimes in UTC.

The decisions built on these (holds, R2's counts, the planner's choice) are in
bot/domain/contact_rules.py; this module knows nothing of an account but its zone,
its phone and its quiet windows. Intervals are half-open [start, end).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.domain.cadence import ContactRules
from bot.domain.quiet_windows import QuietWindow, is_quiet
from bot.domain.regions import region_of, zones_of_country

# Zone names that say nothing about where the borrower is.
_PLACELESS = frozenset({"", "UTC", "Etc/UTC", "GMT", "Etc/GMT", "Z"})
Interval = tuple[datetime, datetime]
_HORIZON_DAYS = 9  # R2's week plus the quiet days' edge: a slot is always found within


def _zone_or_none(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


zone_named = lru_cache(maxsize=512)(_zone_or_none)


def zones_for(timezone: str, phone: str) -> tuple[ZoneInfo, ...]:
    """R1: the zones whose hours the account must respect. Its own zone when known;
    otherwise every zone of its country (from the phone); none when neither says.

    Not cached on (zone, phone) itself: a portfolio has as many phones as accounts,
    so such a cache would miss on nearly every account; the zone by name and the
    zones of a country are cached instead."""
    name = timezone.strip()
    own = zone_named(name) if name not in _PLACELESS else None
    if own is not None:
        return (own,)
    country = region_of(name, phone)
    if country is not None:
        found = _country_zones(country)
        if found:
            return found
    if name in _PLACELESS and name:
        return (ZoneInfo("UTC"),)  # written as UTC and nothing says otherwise
    return ()


def _zones_of(country: str) -> tuple[ZoneInfo, ...]:
    return tuple(z for z in map(zone_named, zones_of_country(country)) if z is not None)


_country_zones = lru_cache(maxsize=256)(_zones_of)


def local_day(zones: Sequence[ZoneInfo], moment: datetime) -> date:
    """The borrower's calendar day (the first zone's, when the zone is the country's)."""
    return moment.astimezone(zones[0]).date()


def hours_allow(zones: Sequence[ZoneInfo], moment: datetime, rules: ContactRules) -> bool:
    """R1: the moment is within the policy's hours in every zone that counts."""
    if not zones:
        return False
    for zone in zones:
        wall = moment.astimezone(zone).time()
        if not rules.start <= wall < rules.end:
            return False
    return True


def quiet_now(windows: Sequence[QuietWindow], zones: Sequence[ZoneInfo], moment: datetime) -> bool:
    """R4: the borrower asked not to hear from us at this moment (in their own time)."""
    return bool(windows) and bool(zones) and is_quiet(windows, moment.astimezone(zones[0]))


def _day_hours(zone: ZoneInfo, day: date, start: time, end: time) -> Interval:
    """One local day's allowed hours in UTC (DST moves them, never stretches them)."""
    return (
        datetime.combine(day, start, tzinfo=zone).astimezone(UTC),
        datetime.combine(day, end, tzinfo=zone).astimezone(UTC),
    )


day_hours = lru_cache(maxsize=65536)(_day_hours)


def _intersect(first: Sequence[Interval], second: Sequence[Interval]) -> list[Interval]:
    out: list[Interval] = []
    for a_start, a_end in first:
        for b_start, b_end in second:
            start, end = max(a_start, b_start), min(a_end, b_end)
            if start < end:
                out.append((start, end))
    return sorted(out)


def _subtract(allowed: Sequence[Interval], taken: Sequence[Interval]) -> list[Interval]:
    out = list(allowed)
    for t_start, t_end in taken:
        kept: list[Interval] = []
        for start, end in out:
            if t_end <= start or end <= t_start:
                kept.append((start, end))
                continue
            if start < t_start:
                kept.append((start, t_start))
            if t_end < end:
                kept.append((t_end, end))
        out = kept
    return sorted(out)


def _quiet_intervals(
    windows: Iterable[QuietWindow], zone: ZoneInfo, first: date, last: date
) -> list[Interval]:
    out: list[Interval] = []
    day = first - timedelta(days=1)
    while day <= last:
        for window in windows:
            if day.weekday() not in window.days:
                continue
            ends_on = day if window.start < window.end else day + timedelta(days=1)
            out.append(
                (
                    datetime.combine(day, window.start, tzinfo=zone).astimezone(UTC),
                    datetime.combine(ends_on, window.end, tzinfo=zone).astimezone(UTC),
                )
            )
        day += timedelta(days=1)
    return out


def allowed_intervals(
    zones: Sequence[ZoneInfo],
    windows: Sequence[QuietWindow],
    rules: ContactRules,
    begin: datetime,
    days: int = _HORIZON_DAYS,
) -> list[Interval]:
    """Where R1 and R4 allow a message, from `begin` on for about `days` days (UTC)."""
    if not zones:
        return []
    combined: list[Interval] | None = None
    for zone in zones:
        first = begin.astimezone(zone).date()
        hours = [
            day_hours(zone, first + timedelta(days=n), rules.start, rules.end) for n in range(days)
        ]
        combined = hours if combined is None else _intersect(combined, hours)
    assert combined is not None  # noqa: S101 - zones is not empty
    if windows:
        first = begin.astimezone(zones[0]).date()
        combined = _subtract(
            combined, _quiet_intervals(windows, zones[0], first, first + timedelta(days=days))
        )
    return [(max(start, begin), end) for start, end in combined if end > begin]


def fraction(key: str) -> float:
    """A stable place in [0, 1) for a reminder: the same on every process and run."""
    return zlib.crc32(key.encode()) / 2**32


def spread(intervals: Sequence[Interval], share: float) -> datetime | None:
    """A moment `share` of the way through the first allowed stretch: a day's
    reminders land across the allowed hours, not in a burst at their start."""
    if not intervals:
        return None
    start, end = intervals[0]
    return start + (end - start) * share
