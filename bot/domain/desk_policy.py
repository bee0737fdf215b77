"""What a person at the console may agree to alone, and the desk's timers (issue 29).

Managers set it in dialogs/policy.yaml under `desk`. An arrangement a person
records outside the bot's policy is checked against their role's limits here; above
them it waits for someone whose limits cover it (a supervisor or higher).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, field_validator

ROLES = ("agent", "supervisor", "manager", "admin")


class RoleLimits(BaseModel):
    """The most a role may grant without anyone's approval."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # Share of what is owed that may be written off, in percent (0: none).
    max_discount_percent: Decimal = Field(default=Decimal(0), ge=0, le=100)
    max_term_months: int = Field(default=12, ge=1, le=120)
    # The lowest instalment, as a share of the policy's minimum for the currency.
    min_installment_share: Decimal = Field(default=Decimal(1), ge=0, le=1)
    max_extension_days: int = Field(default=30, ge=0, le=365)
    max_promise_days: int = Field(default=30, ge=1, le=365)


def check_roles(value: dict[str, RoleLimits]) -> dict[str, RoleLimits]:
    unknown = sorted(set(value) - set(ROLES))
    if unknown:
        raise ValueError(f"unknown role(s) {unknown} (use {', '.join(ROLES)})")
    return value


class DeskPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # A role not listed may grant nothing outside the bot's policy alone; a
    # manager or admin not listed may grant anything.
    limits: dict[str, RoleLimits] = Field(default_factory=dict)
    # A handoff nobody has taken after this long goes back to the bot with an
    # apology (the escalation stays open in the queue); None: never.
    return_to_bot_minutes: int | None = Field(default=240, ge=5)

    @field_validator("limits")
    @classmethod
    def _known_roles(cls, value: dict[str, RoleLimits]) -> dict[str, RoleLimits]:
        return check_roles(value)

    def limits_for(self, role: str) -> RoleLimits | None:
        """The role's limits; None means no limit (a manager or admin left out)."""
        if role in self.limits:
            return self.limits[role]
        return None if role in ("manager", "admin") else NOTHING_ALONE


NOTHING_ALONE = RoleLimits(
    max_discount_percent=Decimal(0),
    max_term_months=1,
    min_installment_share=Decimal(1),
    max_extension_days=0,
    max_promise_days=1,
)


@dataclass(frozen=True)
class Terms:
    """What an arrangement asks of the borrower, measured the way limits are."""

    discount_percent: Decimal = Decimal(0)
    term_months: int = 0
    installment_share: Decimal = Decimal(1)  # lowest instalment / the policy minimum
    extension_days: int = 0
    promise_days: int = 0


def beyond(terms: Terms, limits: RoleLimits | None) -> tuple[str, ...]:
    """The limits these terms go past (empty: the role may grant them alone)."""
    if limits is None:
        return ()
    over: list[str] = []
    if terms.discount_percent > limits.max_discount_percent:
        over.append("max_discount_percent")
    if terms.term_months > limits.max_term_months:
        over.append("max_term_months")
    if terms.installment_share < limits.min_installment_share:
        over.append("min_installment_share")
    if terms.extension_days > limits.max_extension_days:
        over.append("max_extension_days")
    if terms.promise_days > limits.max_promise_days:
        over.append("max_promise_days")
    return tuple(over)
