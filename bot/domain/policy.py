"""The negotiation policy: what the bot may agree to without a person.

Managers edit it as data in dialogs/policy.yaml; this model is its schema.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class InstallmentPolicy(_Strict):
    terms_months: tuple[int, ...] = Field(min_length=1)
    max_term_months: int = Field(ge=1, le=120)
    # Smallest installment the lender accepts, per ISO 4217 currency.
    min_installment: dict[str, Decimal]
    # Currencies not listed fall back to this, in major units.
    default_min_installment: Decimal = Decimal(1)
    # Days between installments; the first falls due first_due_in_days after agreement.
    interval_days: int = Field(default=30, ge=7, le=31)
    first_due_in_days: int = Field(default=7, ge=1, le=31)

    @model_validator(mode="after")
    def _terms_within_max(self) -> InstallmentPolicy:
        for term in self.terms_months:
            if term < 1 or term > self.max_term_months:
                raise ValueError(f"term {term} is outside 1..max_term_months")
        return self

    @field_validator("min_installment")
    @classmethod
    def _upper_codes(cls, value: dict[str, Decimal]) -> dict[str, Decimal]:
        return {code.upper(): amount for code, amount in value.items()}

    def minimum_for(self, currency: str) -> Decimal:
        return self.min_installment.get(currency.upper(), self.default_min_installment)


class ExtensionPolicy(_Strict):
    options_days: tuple[int, ...] = Field(min_length=1)
    max_per_account: int = Field(ge=0)


class PromisePolicy(_Strict):
    # R10: no unreasonably short deadlines, and no promise so far out it is meaningless.
    max_days_ahead: int = Field(default=30, ge=1, le=365)


class VerificationPolicy(_Strict):
    max_attempts: int = Field(default=3, ge=1, le=10)
    # How long a lock lasts; None (the default) keeps it until a person unlocks it.
    lock_minutes: int | None = Field(default=None, ge=1)


class EscalationPolicy(_Strict):
    # R13: after this many failed inputs in a row the bot offers a person.
    failed_inputs_before_offer: int = Field(default=2, ge=1, le=5)
    # Plans for more than this (in major units per currency) need a person to approve.
    approval_above: dict[str, Decimal] = Field(default_factory=dict)


class StagePolicy(_Strict):
    late_after_days: int = Field(default=30, ge=1)


class CasePolicy(_Strict):
    dispute_answer_days: int = Field(default=30, ge=1)
    complaint_answer_days: int = Field(default=15, ge=1, le=15)  # R15


class Policy(_Strict):
    version: str
    lender_name: str
    support_contacts: tuple[str, ...] = Field(min_length=1)  # R12
    installments: InstallmentPolicy
    extensions: ExtensionPolicy
    promise: PromisePolicy = PromisePolicy()
    verification: VerificationPolicy = VerificationPolicy()
    escalation: EscalationPolicy = EscalationPolicy()
    stages: StagePolicy = StagePolicy()
    cases: CasePolicy = CasePolicy()
