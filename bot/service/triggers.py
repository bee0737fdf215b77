"""Whether the bot may start something itself with an account now (a reminder, a
timeout): never while collection is paused (R12, R16), after an opt-out (R3), or
when the borrower cannot be reached."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.domain.accounts import breathing_space_on
from bot.store.tables import AccountRow


def silenced(account: AccountRow, now: datetime) -> bool:
    """True when nothing the bot starts may reach this account today (its own day)."""
    today = now.astimezone(zone(account.timezone)).date()
    return (
        account.collection_paused
        or breathing_space_on(
            account.breathing_space,
            account.breathing_space_until,
            today,
            account.breathing_space_from,
        )
        or account.opted_out
        or account.unreachable
    )


def zone(name: str) -> ZoneInfo:
    """The account's time zone; UTC for a name this machine does not know."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")
