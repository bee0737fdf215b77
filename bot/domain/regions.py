"""Which country an account is in, from what the lender already sends us.

Dates typed as numbers ("01/02/1995") mean different days in different
countries, so the bot reads them in the account's order. No column holds the
country: the time zone says where the borrower lives, and the phone's
country code says it when the zone does not (a zone such as "UTC").
"""

from __future__ import annotations

# Zones of the markets we serve. A zone not listed here is left to the phone.
_ZONES = {
    "America/New_York": "US",
    "America/Chicago": "US",
    "America/Denver": "US",
    "America/Phoenix": "US",
    "America/Los_Angeles": "US",
    "America/Anchorage": "US",
    "America/Detroit": "US",
    "America/Boise": "US",
    "Pacific/Honolulu": "US",
    "Europe/London": "GB",
    "Europe/Belfast": "GB",
    "Asia/Hong_Kong": "HK",
    "Asia/Macau": "MO",
    "Asia/Shanghai": "CN",
    "Asia/Chongqing": "CN",
    "Asia/Urumqi": "CN",
    "PRC": "CN",
    "Asia/Taipei": "TW",
    "ROC": "TW",
    "Asia/Singapore": "SG",
    "Asia/Kuala_Lumpur": "MY",
    "Australia/Sydney": "AU",
    "Australia/Melbourne": "AU",
    "Europe/Dublin": "IE",
}
# E.164 country codes, longest first where one is a prefix of another.
_CALLING_CODES = (
    ("+852", "HK"),
    ("+853", "MO"),
    ("+886", "TW"),
    ("+86", "CN"),
    ("+44", "GB"),
    ("+65", "SG"),
    ("+60", "MY"),
    ("+61", "AU"),
    ("+353", "IE"),
    ("+1", "US"),
)


def region_of(timezone: str, phone: str) -> str | None:
    """The account's country (ISO 3166 alpha-2), or None when neither says it."""
    if region := _ZONES.get(timezone.strip()):
        return region
    number = phone.strip().replace(" ", "")
    for prefix, region in _CALLING_CODES:
        if number.startswith(prefix):
            return region
    return None


def zones_of_country(country: str) -> tuple[str, ...]:
    """R1: the time zones of a country we serve, for an account whose own zone is unknown."""
    return tuple(name for name, region in _ZONES.items() if region == country and "/" in name)
