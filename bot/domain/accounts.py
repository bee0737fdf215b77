"""A borrower's account as the lender exported it: who, where, and each charge line."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo

from bot.domain.quiet_windows import QuietWindow

LOCALES = ("en", "zh_Hans", "zh_Hant")  # the one list of the languages the bot speaks
TRANSLATED_LOCALES = LOCALES[1:]  # the ones with a translated catalog
# A language as one region writes it: Traditional Chinese is Taiwan usage by default,
# Hong Kong usage (私隱, 戶口, 甚麼) for accounts in Hong Kong or Macau. Chosen from the
# account's country, never offered as a language of its own; an entry the regional
# catalog leaves out is taken from its base catalog. English is US usage by default,
# British usage (instalment, in arrears, working day) for accounts in the UK.
REGIONAL_LOCALES = {"zh_Hant_HK": "zh_Hant", "en_GB": "en"}
_REGIONAL_BY_COUNTRY: dict[tuple[str, str | None], str] = {
    ("en", "GB"): "en_GB",
    ("zh_Hant", "HK"): "zh_Hant_HK",
    ("zh_Hant", "MO"): "zh_Hant_HK",
}
CATALOG_LOCALES = (*LOCALES, *REGIONAL_LOCALES)  # every catalog on disk


def catalog_locale(locale: str, region: str | None) -> str:
    """The catalog for a conversation's language in the account's country."""
    return _REGIONAL_BY_COUNTRY.get((locale, region), locale)


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


def charges_total(charges: Iterable[Charge]) -> Decimal:
    """The sum of the charges' amounts; zero for none.

    A plain function rather than inside the properties below, so mutation
    testing reaches it (mutmut leaves decorated functions alone).
    """
    return sum((c.amount for c in charges), Decimal(0))


def breathing_space_on(
    flag: bool, until: date | None, today: date | None, since: date | None = None
) -> bool:
    """A breathing space set with an end date is over once that day has passed; one
    with a start date (from the lender's file) pauses nothing before that day."""
    if not flag:
        return False
    if today is None:
        return True
    return (since is None or since <= today) and (until is None or today <= until)


def effective_due_date(lender_due: date, agreement: Agreement | None) -> date:
    """The due date the borrower is held to: an agreed extension moves the lender's
    date later, never earlier (a later date in a new file wins)."""
    if agreement is None or agreement.new_due_date is None:
        return lender_due
    return max(lender_due, agreement.new_due_date)


@dataclass(frozen=True)
class Agreement:
    """The account's one active arrangement, as the statement shows it (issue 7 point 1)."""

    reference: str
    kind: str  # installment_plan, extension or promise_to_pay
    amount: Decimal
    installments: tuple[tuple[date, Decimal], ...] = ()
    new_due_date: date | None = None
    paid: Decimal = Decimal(0)  # R7: paid since it was agreed, from the lender's payments file

    def schedule(self) -> tuple[tuple[date, Decimal], ...]:
        """The installments still to pay once what was paid is applied (R7)."""
        return unpaid_installments(self.installments, self.paid)

    def next_due(self, today: date) -> tuple[date, Decimal] | None:
        """The next unpaid installment on or after `today`; the last unpaid one once all are
        past; None when everything is paid."""
        schedule = self.schedule()
        upcoming = [i for i in schedule if i[0] >= today]
        if upcoming:
            return upcoming[0]
        return schedule[-1] if schedule else None

    def left(self, today: date) -> Decimal:
        """What the agreement still asks for from `today`, less what was paid (R7)."""
        schedule = self.schedule()
        upcoming = [amount for due, amount in schedule if due >= today]
        if upcoming:
            # Not mutated: the list is never empty here, so the start only sets the type.
            return sum(upcoming, start=Decimal(0))  # pragma: no mutate
        if schedule:
            return schedule[-1][1]
        return Decimal(0) if self.installments else max(Decimal(0), self.amount - self.paid)


def unpaid_installments(
    installments: tuple[tuple[date, Decimal], ...], paid: Decimal
) -> tuple[tuple[date, Decimal], ...]:
    """The schedule after `paid` is applied to the installments in date order: those
    covered are gone, one partly covered is reduced by what was paid towards it."""
    left: list[tuple[date, Decimal]] = []
    for due, amount in installments:
        covered = min(amount, paid)
        paid -= covered
        if amount > covered:
            left.append((due, amount - covered))
    return tuple(left)


def dispute_suspends(agreement: Agreement | None, undisputed_total: Decimal) -> bool:
    """R8: an agreement that asks for more than the charges not under dispute asks for
    disputed money, so a dispute on a charge inside it puts it on hold until reviewed."""
    return agreement is not None and agreement.amount > undisputed_total


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
    agreement: Agreement | None = None  # the active arrangement, if any
    lender_due_date: date | None = None  # as the lender's file has it, when it differs
    breathing_space_until: date | None = None  # last day of the breathing space, if known
    in_review: str | None = None  # reference of an arrangement the new figures contradict
    opted_out: bool = False  # R3: said STOP, and has not asked for reminders again
    quiet_windows: tuple[QuietWindow, ...] = ()  # R4: when the borrower asked for quiet
    # R8: reference of an arrangement on hold while a dispute on a charge in it is reviewed.
    suspended: str | None = None
    # R7: payments from the lender's payments file the charges do not reflect yet.
    paid: Decimal = Decimal(0)

    def __hash__(self) -> int:
        """The account id's hash: equal accounts share an id, so they hash alike, and
        the engine keys its caches by the account, which the service loads afresh for
        every message. Hashing every charge line each time cost more than the lookups
        saved; versions of one account (a dispute, a new file) are told apart by
        equality, and a cache holds few of them."""
        return hash(self.account_id)

    @property
    def total(self) -> Decimal:
        return charges_total(self.charges)

    @property
    def disputed_total(self) -> Decimal:
        return charges_total(self.disputed_charges())

    @property
    def collectible_total(self) -> Decimal:
        """What may be asked for: the total less every disputed charge (R8) and less
        what was paid since the lender's figures (R7); never below zero."""
        return collectable_amount(self)

    def disputed_charges(self) -> tuple[Charge, ...]:
        """Charges on hold while a dispute is reviewed (R8)."""
        return tuple(c for c in self.charges if c.charge_id in self.disputed_charge_ids)

    def undisputed_charges(self) -> tuple[Charge, ...]:
        """Charges that may be asked for: every one not under dispute (R8)."""
        return tuple(c for c in self.charges if c.charge_id not in self.disputed_charge_ids)

    def local_date(self, now: datetime) -> date:
        """Today's date where the borrower lives: at 03:30 UTC it is still yesterday in New York."""
        return local_date_in(self.timezone, now)

    def days_past_due(self, today: date) -> int:
        """Whole days since the due date on the borrower's `today`; 0 until then."""
        return max(0, (today - self.due_date).days)

    def days_past_due_at(self, now: datetime) -> int:
        """Days past due at the instant `now`, counted in the account's time zone."""
        return self.days_past_due(self.local_date(now))

    def stage(self, today: date, late_after_days: int) -> Stage:
        days = self.days_past_due(today)
        if days == 0:
            return Stage.CURRENT
        return Stage.LATE if days >= late_after_days else Stage.EARLY

    def stage_at(self, now: datetime, late_after_days: int) -> Stage:
        """The delinquency stage at the instant `now`, in the account's time zone."""
        return self.stage(self.local_date(now), late_after_days)


def collectable_amount(account: Account, held: frozenset[str] = frozenset()) -> Decimal:
    """What may be asked of the account: its charges less every one under dispute (R8),
    those in `held` too (disputed in this very step), less what was paid since the
    lender's figures (R7); never below zero. The one sum every offer, promise, link,
    statement total and reminder uses."""
    held = held | account.disputed_charge_ids
    undisputed = charges_total(c for c in account.charges if c.charge_id not in held)
    return max(Decimal(0), undisputed - account.paid)


def may_ask_for_money(account: Account, held: frozenset[str] = frozenset()) -> bool:
    """The one predicate for anything that asks for money (a plan, a promise, an
    extension, a payment link, a reminder): not while collection is paused (R12 crisis,
    R16 breathing space, read with `breathing_space_on` for the day), and never for
    disputed money or for nothing (R8)."""
    if account.collection_paused or account.breathing_space:
        return False
    return collectable_amount(account, held) > 0


def _local_date_in_of(timezone: str, now: datetime) -> date:
    if now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(ZoneInfo(timezone)).date()


# Kept per zone and instant: a step asks several times for the same one (mutmut
# reaches a body only when it is not decorated). A naive instant is never equal to
# an aware one, so it cannot be answered from the cache: it raises each time.
local_date_in = lru_cache(maxsize=1024)(_local_date_in_of)
