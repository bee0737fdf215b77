"""STAND-IN for h5's contact rules (bot/domain/contact_rules.py, not yet on main):
whether the bot may start a follow-up with an account now, and if not, which rule
holds it and whether it can wait.

The lead swaps `follow_up_hold` for the contact rules' own check at merge; until
then it checks what issue 31 asks of every bot-started message that exists here:
R1 hours (08:00-21:00 in the borrower's zone), R4 the borrower's quiet windows,
and `triggers.silenced` (R3 opted out, R12 crisis pause, R16 breathing space,
unreachable). R1 and R4 defer (the next run tries again); the others hold the
follow-up for good: it would be stale by the time they lift.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from bot.domain.accounts import breathing_space_on
from bot.domain.compliance import hour_allowed
from bot.domain.quiet_windows import from_data, is_quiet
from bot.service.triggers import zone
from bot.store.tables import AccountRow

# R1 (RULEBOOK): no bot-initiated message before 08:00 or after 21:00, local time.
EARLIEST = time(8, 0)
LATEST = time(21, 0)


@dataclass(frozen=True)
class Hold:
    rule: str  # "R1", "R3", "R4", "R12", "R16", "unreachable"
    wait: bool  # True: try again later; False: never send this one


def follow_up_hold(account: AccountRow, now: datetime) -> Hold | None:
    """None when a follow-up may go to this account now; else what holds it."""
    local = now.astimezone(zone(account.timezone))
    if account.opted_out:
        return Hold("R3", wait=False)
    if account.collection_paused:
        return Hold("R12", wait=False)
    today = local.date()
    if breathing_space_on(
        account.breathing_space,
        account.breathing_space_until,
        today,
        account.breathing_space_from,
    ):
        return Hold("R16", wait=False)
    if account.unreachable:
        return Hold("unreachable", wait=False)
    if not hour_allowed(local.time(), EARLIEST, LATEST):
        return Hold("R1", wait=True)
    if is_quiet(from_data(account.quiet_windows), local.replace(tzinfo=None)):
        return Hold("R4", wait=True)
    return None
