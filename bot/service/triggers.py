"""Whether the bot may start something itself with an account now (a reminder, a
timeout): never while collection is paused (R12, R16), after an opt-out (R3), when
the borrower cannot be reached, or when nothing may be asked for (R8)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.accounts import breathing_space_on, may_ask_for_money
from bot.store.repositories import get_account
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


def asks_for_money(trigger_name: str) -> bool:
    """Reminders and a broken promise's follow-up ask for money; a kept promise's
    thanks and the console's timers do not, so a dispute never silences them."""
    return trigger_name.startswith("reminder") or trigger_name == "promise_broken"


async def nothing_to_ask(session: AsyncSession, account_id: str, now: datetime) -> bool:
    """R8: every charge under dispute (or all paid): a reminder would ask for disputed
    money or for nothing, so none is sent (the predicate the reminders use too)."""
    account = await get_account(session, account_id=account_id, now=now)
    return account is None or not may_ask_for_money(account)


def zone(name: str) -> ZoneInfo:
    """The account's time zone; UTC for a name this machine does not know."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")
