"""R12: a possible crisis whose "are you safe?" nobody answered goes to urgent.

A possible crisis (a farewell, giving up) opens a crisis case at high priority
and asks the borrower whether they are safe (dialogs/repayment.yaml,
`crisis_check`). "I'm safe" lowers it to normal, any other answer raises it to
urgent; this job is the third way out: silence. A case still at high priority
`safety_check_minutes` (policy.yaml, `cases`) after it opened goes to urgent,
with a note saying why. One conditional update per run: running it twice, or
on several processes at once, raises each case once.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.engine.types import EscalationReason
from bot.service import escalations

if TYPE_CHECKING:
    from bot.service.runtime import Runtime

SILENCE_NOTE = "No answer to 'are you safe?' in time: urgent."


async def raise_unanswered_safety_checks(runtime: Runtime, now: datetime) -> int:
    """Raise every possible-crisis case left unanswered past the policy's minutes;
    returns how many were raised."""
    minutes = runtime.registry.newest_policy().cases.safety_check_minutes
    async with runtime.sessions() as session, session.begin():
        return await escalations.raise_unanswered(
            session,
            reason=EscalationReason.CRISIS,
            opened_before=now - timedelta(minutes=minutes),
            note=SILENCE_NOTE,
        )
