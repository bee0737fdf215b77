"""The account's country, from its time zone or else its phone number."""

from __future__ import annotations

import pytest

from bot.domain.regions import region_of


@pytest.mark.parametrize(
    ("timezone", "phone", "region"),
    [
        (" Asia/Hong_Kong ", "+15550100001", "HK"),
        ("", "+ 44 20 7946 0000", "GB"),
        ("", " +852 1234 5678", "HK"),
        ("", "+853 2888 0000", "MO"),
        ("", "+8613800138000", "CN"),
        ("Europe/Paris", "+33 1 23 45 67 89", None),
    ],
)
def test_region_from_time_zone_then_calling_code(
    timezone: str, phone: str, region: str | None
) -> None:
    assert region_of(timezone, phone) == region
