"""A borrower's account as the lender exported it: who, where, and each charge line."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

LOCALES = ("en", "zh_Hans", "zh_Hant")


class ChargeKind(StrEnum):
    PRINCIPAL = "principal"
    INTEREST = "interest"
    LATE_FEE = "late_fee"
    ANNUAL_FEE = "annual_fee"
    OTHER = "other"


class Stage(StrEnum):
    """Delinquency stage: lenders soften or firm the tone by how late an account is."""

    CURRENT = "current"  # not yet past due
    EARLY = "early"  # a few days late
    LATE = "late"  # a month or more


@dataclass(frozen=True)
class Charge:
    charge_id: str
    kind: ChargeKind
    description: str
    amount: Decimal
    posted_on: date


@dataclass(frozen=True)
class Account:
    """Read-only view of an account; the engine gets this, never a database row."""

    account_id: str
    borrower_name: str
    phone: str
    birth_date: date
    locale: str
    timezone: str
    currency: str
    due_date: date
    charges: tuple[Charge, ...]
    disputed_charge_ids: frozenset[str] = field(default_factory=frozenset)
    extensions_used: int = 0
    collection_paused: bool = False  # R12 crisis or R16 breathing space
    breathing_space: bool = False

    @property
    def total(self) -> Decimal:
        return sum((c.amount for c in self.charges), Decimal(0))

    @property
    def disputed_total(self) -> Decimal:
        return sum(
            (c.amount for c in self.charges if c.charge_id in self.disputed_charge_ids),
            Decimal(0),
        )

    @property
    def collectible_total(self) -> Decimal:
        """What may be asked for: the total less every disputed charge (R8)."""
        return self.total - self.disputed_total

    def undisputed_charges(self) -> tuple[Charge, ...]:
        return tuple(c for c in self.charges if c.charge_id not in self.disputed_charge_ids)

    def days_past_due(self, today: date) -> int:
        return max(0, (today - self.due_date).days)

    def stage(self, today: date, late_after_days: int) -> Stage:
        days = self.days_past_due(today)
        if days == 0:
            return Stage.CURRENT
        return Stage.LATE if days >= late_after_days else Stage.EARLY
