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
from bot.store.tables import AccountRow

VAR = "verify_failures"


@dataclass(frozen=True)
class VerificationState:
    failures: int

    @classmethod
    def of(cls, account: AccountRow, policy: Policy, now: datetime) -> VerificationState:
        locked_until = account.verify_locked_until
        if locked_until is not None and as_utc(locked_until) <= now:
            # A timed lock ran out: a clean slate.
            account.verify_failures = 0
            account.verify_locked_until = None
        return cls(account.verify_failures)

    def engine_vars(self) -> dict[str, Any]:
        return {VAR: self.failures}

    def record(
        self, account: AccountRow, engine_vars: dict[str, Any], policy: Policy, now: datetime
    ) -> None:
        failures = int(engine_vars.get(VAR, self.failures) or 0)
        if failures == self.failures:
            return
        account.verify_failures = failures
        minutes = policy.verification.lock_minutes
        if failures >= policy.verification.max_attempts and minutes:
            account.verify_locked_until = now + timedelta(minutes=minutes)
