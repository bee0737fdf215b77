"""Identity verification state, which belongs to the account (R5).

Failed birth-date attempts count on the account, so a second chat, a relink
or another Telegram user never gets fresh guesses. A lock lasts the policy's
time, or until a person unlocks it (the default); a re-import never unlocks.
The engine counts attempts in its `verify_failures` variable; the runtime
seeds it from the account before a step and writes it back after.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.domain.policy import Policy
from bot.store.db import as_utc

VAR = "verify_failures"


@dataclass(frozen=True)
class VerificationState:
    """The account's failed attempts before a step; `expired`: a timed lock had run
    out, so the account starts again from none."""

    failures: int
    expired: bool = False

    @classmethod
    def of(cls, failures: int, locked_until: datetime | None, now: datetime) -> VerificationState:
        if locked_until is not None and as_utc(locked_until) <= now:
            return cls(0, expired=True)
        return cls(failures)

    def engine_vars(self) -> dict[str, Any]:
        return {VAR: self.failures}

    def changes(self, engine_vars: dict[str, Any], policy: Policy, now: datetime) -> dict[str, Any]:
        """The account's columns to write after the step (none when nothing changed)."""
        changed: dict[str, Any] = (
            {"verify_failures": 0, "verify_locked_until": None} if self.expired else {}
        )
        failures = int(engine_vars.get(VAR, self.failures) or 0)
        if failures == self.failures:
            return changed
        changed["verify_failures"] = failures
        minutes = policy.verification.lock_minutes
        if failures >= policy.verification.max_attempts and minutes:
            changed["verify_locked_until"] = now + timedelta(minutes=minutes)
        return changed
