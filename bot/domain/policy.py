"""The negotiation policy: what the bot may agree to without a person.

Managers edit it as data in dialogs/policy.yaml; this model is its schema.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bot.domain.accounts import CATALOG_LOCALES, LOCALES
from bot.domain.cadence import RemindersPolicy
from bot.domain.desk_policy import DeskPolicy
from bot.domain.records import RecordsPolicy
from bot.domain.sending import SendingPolicy


def check_terms(terms_months: tuple[int, ...], max_term_months: int) -> None:
    """Every term offered lies in 1..max_term_months.

    The validators below only call plain functions like this one, so that
    mutation testing reaches the rules (mutmut leaves decorated code alone).
    """
    for term in terms_months:
        if term < 1 or term > max_term_months:
            raise ValueError(f"term {term} is outside 1..max_term_months")


def currency_amounts(value: dict[str, Decimal]) -> dict[str, Decimal]:
    """Amounts keyed by upper-case ISO 4217 code; a negative amount is a typo."""
    for code, amount in value.items():
        if amount < 0:
            raise ValueError(f"the amount for {code} is negative")
    return {code.upper(): amount for code, amount in value.items()}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


DEFAULT_COUNTRY = "default"
_COUNTRY = re.compile(r"[A-Z]{2}")


def check_line_names(names: dict[str, str]) -> dict[str, str]:
    """A support line is named in every language the bot speaks, none left blank."""
    missing = [locale for locale in LOCALES if not names.get(locale, "").strip()]
    if missing:
        raise ValueError(f"the line needs a name in {', '.join(missing)}")
    unknown = sorted(set(names) - set(LOCALES))
    if unknown:
        raise ValueError(f"unknown locale {', '.join(unknown)} (use {', '.join(LOCALES)})")
    return names


def check_countries(
    lines: dict[str, tuple[SupportLine, ...]],
) -> dict[str, tuple[SupportLine, ...]]:
    """Keys are ISO 3166 alpha-2 countries, plus the default every other country gets."""
    lines = {
        (key if key == DEFAULT_COUNTRY else key.upper()): value for key, value in lines.items()
    }
    for key, value in lines.items():
        if key != DEFAULT_COUNTRY and not _COUNTRY.fullmatch(key):
            raise ValueError(f"{key!r} is not an ISO 3166 country code (like GB) or 'default'")
        if not value:
            raise ValueError(f"{key}: give at least one line")
    if DEFAULT_COUNTRY not in lines:
        raise ValueError("give the 'default' lines, for countries not listed")
    return lines


def check_emergency_numbers(numbers: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """Each emergency number is keyed by an ISO 3166 country and said in every language."""
    numbers = {key.upper(): value for key, value in numbers.items()}
    for key, said in numbers.items():
        if not _COUNTRY.fullmatch(key):
            raise ValueError(f"{key!r} is not an ISO 3166 country code (like GB)")
        try:
            check_line_names(said)
        except ValueError as error:
            raise ValueError(f"{key}: {error}") from None
    return numbers


def check_emergency_for_lines(
    numbers: dict[str, dict[str, str]], lines: dict[str, tuple[SupportLine, ...]]
) -> None:
    """Every country given its own support lines has its emergency number too: a
    borrower whose country we know is never told only "your local emergency number"."""
    missing = sorted(set(lines) - {DEFAULT_COUNTRY} - set(numbers))
    if missing:
        raise ValueError(f"emergency_numbers: give the number for {', '.join(missing)}")


class SupportLine(_Strict):
    """One crisis support line (R12): its number, and its name in each language."""

    number: str = Field(min_length=1)
    name: dict[str, str]

    @field_validator("name")
    @classmethod
    def _named_in_every_locale(cls, value: dict[str, str]) -> dict[str, str]:
        return check_line_names(value)

    def text(self, locale: str) -> str:
        """The line as the borrower's language writes it, e.g. "Samaritans: 116 123"."""
        name = self.name.get(locale) or self.name["en"]
        return f"{name}{'：' if locale.startswith('zh') else ': '}{self.number}"


class InstallmentPolicy(_Strict):
    terms_months: tuple[int, ...] = Field(min_length=1)
    max_term_months: int = Field(ge=1, le=120)
    # Smallest installment the lender accepts, per ISO 4217 currency.
    min_installment: dict[str, Decimal]
    # Currencies not listed fall back to this, in major units.
    default_min_installment: Decimal = Field(default=Decimal(1), ge=0)
    # No longer used: installments fall on the same day of each calendar month.
    # Still accepted so that existing policy files load.
    interval_days: int = Field(default=30, ge=7, le=31)
    # The first installment falls due this many days after agreement...
    first_due_in_days: int = Field(default=7, ge=1, le=31)
    # ...plus a payment holiday with nothing due (hardship, R11).
    payment_holiday_days: int = Field(default=0, ge=0, le=90)

    @model_validator(mode="after")
    def _terms_within_max(self) -> InstallmentPolicy:
        check_terms(self.terms_months, self.max_term_months)
        return self

    @field_validator("min_installment")
    @classmethod
    def _upper_codes(cls, value: dict[str, Decimal]) -> dict[str, Decimal]:
        return currency_amounts(value)

    def minimum_for(self, currency: str) -> Decimal:
        """The smallest installment the lender accepts in `currency` (any case)."""
        return self.min_installment.get(currency.upper(), self.default_min_installment)


class HardshipPolicy(_Strict):
    """R11: what a borrower in difficulty is offered first: longer, smaller, later.

    Every field left out is derived from the usual installment policy (see
    hardship_terms): terms twice as long, half the minimum.
    """

    terms_months: tuple[int, ...] | None = Field(default=None, min_length=1)
    max_term_months: int | None = Field(default=None, ge=1, le=120)
    # Per ISO 4217 currency; a currency not listed gets the usual minimum times the share.
    min_installment: dict[str, Decimal] = Field(default_factory=dict)
    min_installment_share: Decimal = Field(default=Decimal("0.5"), gt=0, le=1)
    # Days with nothing due before the usual wait for the first installment.
    payment_holiday_days: int = Field(default=0, ge=0, le=90)

    @field_validator("min_installment")
    @classmethod
    def _upper_codes(cls, value: dict[str, Decimal]) -> dict[str, Decimal]:
        return currency_amounts(value)


def hardship_terms(usual: InstallmentPolicy, relief: HardshipPolicy) -> InstallmentPolicy:
    """The installment policy for a borrower in difficulty, filled in from the usual one.

    Left out, the longest term is twice the usual (at most 120 months), the
    terms are the usual ones doubled, and every minimum is the usual one
    times min_installment_share.
    """
    longest = relief.max_term_months or min(120, usual.max_term_months * 2)
    terms = relief.terms_months or tuple(
        sorted({min(longest, term * 2) for term in usual.terms_months})
    )
    try:
        check_terms(terms, longest)
    except ValueError as error:  # say which section of policy.yaml is wrong
        raise ValueError(f"hardship: {error}") from None
    share = relief.min_installment_share
    minimums = {code: amount * share for code, amount in usual.min_installment.items()}
    return InstallmentPolicy(
        terms_months=terms,
        max_term_months=longest,
        min_installment=minimums | relief.min_installment,
        default_min_installment=usual.default_min_installment * share,
        first_due_in_days=usual.first_due_in_days,
        payment_holiday_days=relief.payment_holiday_days,
    )


def check_forbearance(usual: InstallmentPolicy, relief: InstallmentPolicy) -> None:
    """Hardship terms are never stricter than the usual ones: no shorter, no larger minimum."""
    if relief.max_term_months < usual.max_term_months:
        raise ValueError("hardship.max_term_months is shorter than the usual longest term")
    for code, amount in relief.min_installment.items():
        if amount > usual.minimum_for(code):
            raise ValueError(f"the hardship minimum for {code} is above the usual minimum")
    if relief.default_min_installment > usual.default_min_installment:
        raise ValueError("the hardship default minimum is above the usual one")


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


class StagePolicy(_Strict):
    late_after_days: int = Field(default=30, ge=1)


class CasePolicy(_Strict):
    dispute_answer_days: int = Field(default=30, ge=1)
    complaint_answer_days: int = Field(default=15, ge=1, le=15)  # R15
    # R12: a possible crisis whose "are you safe?" has no answer after this many
    # minutes goes to urgent (bot/service/safety_checks.py).
    safety_check_minutes: int = Field(default=30, ge=1, le=240)


# Why a borrower was handed to a person (bot.engine.types.EscalationReason's values;
# the domain does not import the engine, a test keeps the two the same).
ESCALATION_REASONS = frozenset(
    {
        "requested",
        "crisis",
        "hardship",
        "verification_locked",
        "review_decision",
        "complaint",
        "repeated_failure",
        "outside_policy",
        "script_failure",
        "reminder_stage",
    }
)


class ResponseTimes(_Strict):
    """How soon a person must first answer an escalation, and resolve it (minutes)."""

    first_response_minutes: int = Field(ge=1, le=60 * 24 * 30)
    resolution_minutes: int = Field(ge=1, le=60 * 24 * 60)

    @model_validator(mode="after")
    def _resolved_after_answered(self) -> ResponseTimes:
        check_response_order(self.first_response_minutes, self.resolution_minutes)
        return self


def check_response_order(first_response: int, resolution: int) -> None:
    if resolution < first_response:
        raise ValueError("resolution_minutes is shorter than first_response_minutes")


def check_sla_reasons(value: dict[str, ResponseTimes]) -> dict[str, ResponseTimes]:
    """Keys are escalation reasons, and "default" (required) covers the rest."""
    unknown = set(value) - ESCALATION_REASONS - {DEFAULT_COUNTRY}
    if unknown:
        raise ValueError(f"unknown escalation reason(s) {sorted(unknown)}")
    if DEFAULT_COUNTRY not in value:
        raise ValueError('escalation_sla needs a "default" entry')
    return value


_DEFAULT_SLA = {DEFAULT_COUNTRY: ResponseTimes(first_response_minutes=60, resolution_minutes=1440)}


TEMPLATE_NAMES = frozenset({"account_id", "amount"})
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def check_template(template: str) -> str:
    """A payment template may only name {account_id} and {amount}."""
    unknown = set(_PLACEHOLDER.findall(template)) - TEMPLATE_NAMES
    if unknown:
        raise ValueError(f"unknown placeholder(s) {sorted(unknown)} in {template!r}")
    return template


def fill_template(template: str, account_id: str, amount: Decimal) -> str:
    """The template with the account and amount; no format spec can reach other data.
    One pass: a value that looks like a placeholder is not filled in again."""
    values = {"account_id": account_id, "amount": str(amount)}
    # Literal text at even places, placeholder names at odd ones.
    return "".join([values[piece] if odd else piece for odd, piece in _pieces(template)])


def _pieces_of(template: str) -> tuple[tuple[bool, str], ...]:
    return tuple(
        (index % 2 == 1, piece) for index, piece in enumerate(_PLACEHOLDER.split(template))
    )


# Split once per template (mutmut reaches a body only when it is not decorated).
_pieces = lru_cache(maxsize=256)(_pieces_of)


class PaymentInstructions(_Strict):
    """How a borrower pays in one currency: a payment link, or bank details (issue 7 point 7)."""

    link: str | None = None  # template, e.g. https://pay.example/{account_id}?amount={amount}
    bank_name: str | None = None
    account_name: str | None = None
    account_number: str | None = None
    bank_code: str | None = None  # routing number, SWIFT or bank code, as the market uses
    reference: str = "{account_id}"  # what the borrower writes so the payment is matched

    @field_validator("link", "reference")
    @classmethod
    def _known_placeholders(cls, value: str | None) -> str | None:
        return None if value is None else check_template(value)

    @model_validator(mode="after")
    def _one_way_to_pay(self) -> PaymentInstructions:
        check_one_way(self.link, self.account_number, self.account_name)
        return self


def check_one_way(link: str | None, account_number: str | None, account_name: str | None) -> None:
    """Either a link or a bank account with its holder's name: a borrower needs one way."""
    if link is None and account_number is None:
        raise ValueError("give either a link or bank details (account_number)")
    if account_number is not None and not account_name:
        raise ValueError("bank details need the account_name payments go to")


class Policy(_Strict):
    version: str
    lender_name: str
    # The lender's name as each language writes it (zh_Hans: 海港消费金融), so a
    # Chinese text never names the payee in English; a language left out gets lender_name.
    lender_names: dict[str, str] = Field(default_factory=dict)
    # R12: crisis lines by the account's country (ISO 3166), "default" for the rest.
    support_lines: dict[str, tuple[SupportLine, ...]]
    # R12: the emergency number by the account's country, as each language says it
    # ("911", "110（报警）或 120（急救）"). A country not listed gets the script's
    # "your local emergency number"; a country with support lines must be listed.
    emergency_numbers: dict[str, dict[str, str]] = Field(default_factory=dict)
    installments: InstallmentPolicy
    extensions: ExtensionPolicy
    promise: PromisePolicy = PromisePolicy()
    verification: VerificationPolicy = VerificationPolicy()
    escalation: EscalationPolicy = EscalationPolicy()
    stages: StagePolicy = StagePolicy()
    cases: CasePolicy = CasePolicy()
    hardship: HardshipPolicy = HardshipPolicy()
    # Keyed by ISO 4217 currency; a currency left out gets "contact the lender".
    payment: dict[str, PaymentInstructions] = Field(default_factory=dict)
    # The agents' queue: how soon a person answers and resolves, per escalation reason.
    escalation_sla: dict[str, ResponseTimes] = Field(default_factory=lambda: dict(_DEFAULT_SLA))
    # What a person at the console may agree to alone, and the desk's timers.
    desk: DeskPolicy = DeskPolicy()
    # Issue 31: the reminder cadence per stage and the contact rules' numbers (R1, R2).
    reminders: RemindersPolicy = RemindersPolicy()
    # Telegram's rate for the whole bot and per chat; paid broadcasts (bot.domain.sending).
    sending: SendingPolicy = SendingPolicy()
    # R17/R18: how long records are kept before they are let go (bot.domain.records).
    records: RecordsPolicy = RecordsPolicy()

    @field_validator("lender_names")
    @classmethod
    def _lender_name_languages(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - set(CATALOG_LOCALES))
        if unknown:
            raise ValueError(f"lender_names: unknown language(s) {', '.join(unknown)}")
        if any(not name.strip() for name in value.values()):
            raise ValueError("lender_names: a name is empty")
        return value

    @field_validator("escalation_sla")
    @classmethod
    def _sla_reasons(cls, value: dict[str, ResponseTimes]) -> dict[str, ResponseTimes]:
        return check_sla_reasons(value)

    def response_times(self, reason: str) -> ResponseTimes:
        """The SLA for an escalation of this reason (the default one when not named)."""
        return self.escalation_sla.get(reason) or self.escalation_sla[DEFAULT_COUNTRY]

    @field_validator("payment")
    @classmethod
    def _upper_currencies(
        cls, value: dict[str, PaymentInstructions]
    ) -> dict[str, PaymentInstructions]:
        return {code.upper(): how for code, how in value.items()}

    @field_validator("support_lines")
    @classmethod
    def _lines_by_country(
        cls, value: dict[str, tuple[SupportLine, ...]]
    ) -> dict[str, tuple[SupportLine, ...]]:
        return check_countries(value)

    @field_validator("emergency_numbers")
    @classmethod
    def _emergency_by_country(cls, value: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
        return check_emergency_numbers(value)

    @model_validator(mode="after")
    def _emergency_for_every_country_with_lines(self) -> Policy:
        check_emergency_for_lines(self.emergency_numbers, self.support_lines)
        return self

    def lender_name_in(self, locale: str) -> str:
        """The lender's name in the borrower's language (zh_Hant_HK reads zh_Hant's)."""
        base = locale.split("_")[0] if locale.startswith("en") else locale
        for key in (locale, locale.rsplit("_", 1)[0], base):
            if key in self.lender_names:
                return self.lender_names[key]
        return self.lender_name

    def emergency_number(self, region: str | None, locale: str) -> str:
        """The emergency number of the account's country in the borrower's language,
        or "" when the country is unknown or not listed (the script then says "your
        local emergency number")."""
        said = self.emergency_numbers.get(region or "")
        if said is None:
            return ""
        return said.get(locale) or said["en"]

    def support_contacts(self, region: str | None, locale: str) -> tuple[str, ...]:
        """The crisis lines for the account's country, in the borrower's language."""
        country = region if region is not None and region in self.support_lines else None
        lines = self.support_lines[country or DEFAULT_COUNTRY]
        return tuple(line.text(locale) for line in lines)

    def payment_for(self, currency: str) -> PaymentInstructions | None:
        """The lender's payment instructions for `currency`, if the policy has them."""
        return self.payment.get(currency.upper())

    @model_validator(mode="after")
    def _hardship_is_forbearance(self) -> Policy:
        check_forbearance(self.installments, self.hardship_installments())
        return self

    def hardship_installments(self) -> InstallmentPolicy:
        """The installment policy for a borrower in difficulty (R11)."""
        return hardship_terms(self.installments, self.hardship)
