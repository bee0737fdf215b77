"""The bot reaches out: the reminder planner, the sender and their periodic jobs (issue 31)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.service.reminders.planner import PlanReport, plan_reminders
from bot.service.reminders.sender import send_due

if TYPE_CHECKING:
    from bot.service.runtime import Runtime

PLAN_EVERY = timedelta(minutes=5)
SEND_EVERY = timedelta(seconds=30)


async def plan_job(runtime: Runtime, now: datetime) -> int:
    """Periodic: queue what became due (a new day, a lifted hold, a new import)."""
    rules = runtime.registry.newest_policy().reminders
    report = await plan_reminders(runtime.sessions, rules, now)
    return report.queued


async def send_job(runtime: Runtime, now: datetime) -> int:
    """Periodic: send the reminders whose moment has come."""
    return await send_due(runtime, now)


__all__ = [
    "PLAN_EVERY",
    "SEND_EVERY",
    "PlanReport",
    "plan_job",
    "plan_reminders",
    "send_due",
    "send_job",
]
