"""What scripts can see: names available to guards and message placeholders.

Before identity verification only public names exist, so a script cannot leak
an amount or a name to an unverified chat (R5): the validator checks public
states use public names only, and the engine builds account names only after
verification.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal
from functools import lru_cache
from typing import Any

from bot.domain.accounts import Account, ChargeKind, Stage, dispute_suspends
from bot.domain.policy import InstallmentPolicy, PaymentInstructions, Policy, fill_template
from bot.domain.regions import region_of
from bot.engine.memo import Same
from bot.engine.types import Context, ConversationState, MessageRef, MoneyValue

PUBLIC_NAMES = frozenset(
    {
        "lender",
        "verified",
        "locked",
        "lock_minutes",
        "failed_inputs",
        "attempts_left",
        "max_attempts",
        "support_contacts",
        "emergency_number",
        "locale",
        "case_number",
        "ticket",
        "complaint_answer_days",
        "today",
    }
)

ACCOUNT_NAMES = frozenset(
    {
        "borrower_name",
        "account_id",
        "currency",
        "total",
        "collectible_total",
        "collectible_amount",
        "disputed_total",
        "has_balance",
        "has_disputes",
        "due_date",
        "days_past_due",
        "stage",
        "charges",
        "undisputed_charges",
        "computed_on",
        "extensions_left",
        "collection_paused",
        "breathing_space",
        "breathing_space_until",
        "min_installment",
        "max_term_months",
        "hardship_max_term_months",
        "promise_max_days",
        "promise_example_date",
        "monthly_example",
        "dispute_answer_days",
        "selected_charges",
        "has_arrangement",
        "arrangement_kind",
        "arrangement_reference",
        "arrangement_amount",
        "arrangement_next_date",
        "arrangement_next_amount",
        "arrangement_left",
        "arrangement_in_review",
        "arrangement_on_hold",
        "paid_since_statement",
        "has_payments",
        "has_payment_instructions",
        "pay_link",
        "pay_bank_name",
        "pay_account_name",
        "pay_account_number",
        "pay_bank_code",
        "pay_reference",
    }
)


# Each kind's name in the catalog and each stage's name, made once (an enum's value
# is slow to read).
_KIND_NAMES = {kind: MessageRef(f"charge_kind.{kind.value}") for kind in ChargeKind}
# The words for the date a line is computed to, per kind: "through {date}" for interest,
# "charged {date}" for a fee, "as of {date}" for the balance (bot/i18n/messages.py).
_DATE_IDS = {kind: f"charge_date.{kind.value}" for kind in ChargeKind}
_STAGE_NAMES = {stage: stage.value for stage in Stage}


def build_scope(state: ConversationState, ctx: Context) -> dict[str, Any]:
    """Names for guards and placeholders; account names only once verified."""
    return scope_of(state.vars, state.verified, state.locale, state.failed_inputs, ctx)


# The only variables the computed names are worked out from. `computed_names` gets
# these values, never the variables themselves, so a step whose actions change other
# variables can lay them over the computed names it already has.
COMPUTED_FROM = (
    "verify_failures",
    "disputed_now",
    "dispute_selection",
    "arrangement_id",
    "pay_amount",
)


def computed_from(variables: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(map(variables.get, COMPUTED_FROM))


def scope_of(
    variables: dict[str, Any], verified: bool, locale: str, failed_inputs: int, ctx: Context
) -> dict[str, Any]:
    """`build_scope` from the only parts of the state it reads, for a step in progress."""
    computed = computed_names(computed_from(variables), verified, locale, failed_inputs, ctx)
    # The script's own variables win over every computed name.
    return {**computed, **variables}


def computed_names(
    inputs: tuple[Any, ...], verified: bool, locale: str, failed_inputs: int, ctx: Context
) -> dict[str, Any]:
    """Every name but the variables: the public ones, and the account's once verified.
    `inputs` are the values of COMPUTED_FROM (`computed_from`).

    Kept across steps while all they are worked out from is the same: a conversation's
    next message usually finds them made. Callers only read what this returns."""
    failures, disputed_now, dispute_selection, made_now, pay_amount = inputs
    account = ctx.account
    same_policy = Same(ctx.policy)
    today = ctx.today
    failures = int(failures or 0)
    if not verified:  # nothing of the account but its country is shown (R5)
        return _public_names(
            same_policy,
            account.timezone,
            account.phone,
            locale,
            today,
            failures,
            failed_inputs,
            False,
        )
    return _computed_for(
        account,
        same_policy,
        today,
        account.local_date(ctx.now),
        locale,
        failed_inputs,
        failures,
        # Nothing disputed or selected in this conversation is the common case: no new
        # set or tuple for it.
        frozenset(disputed_now) if disputed_now else _NOTHING_HELD,
        tuple(dispute_selection) if dispute_selection else (),
        made_now,
        None if pay_amount is None else str(pay_amount),
    )


_NOTHING_HELD: frozenset[str] = frozenset()


def _computed_for_of(
    account: Account,
    same_policy: Same,
    today: date,
    local_day: date,
    locale: str,
    failed_inputs: int,
    failures: int,
    disputed_now: frozenset[str],
    dispute_selection: tuple[str, ...],
    made_now: str | None,
    pay_amount: str | None,
) -> dict[str, Any]:
    """The names of a verified borrower: the public ones and the account's."""
    policy: Policy = same_policy.item
    public = _public_names(
        same_policy, account.timezone, account.phone, locale, today, failures, failed_inputs, True
    )
    # Charges disputed earlier in this very step are held too, before the
    # service has stored the dispute (R8).
    held = disputed_now | account.disputed_charge_ids
    names = _account_names_on(account, same_policy, today, local_day, held, dispute_selection)
    collectible: Decimal = names["collectible_amount"]
    on_hold: str = names["arrangement_on_hold"]
    payment = _payment_names(account, policy, today, collectible, made_now, pay_amount, on_hold)
    return {**public, **names, **payment}


# Kept per arguments (mutmut reaches a body only when it is not decorated).
_computed_for = lru_cache(maxsize=4096)(_computed_for_of)


def _public_names_of(
    same_policy: Same,
    timezone: str,
    phone: str,
    locale: str,
    today: date,
    failures: int,
    failed_inputs: int,
    verified: bool,
) -> dict[str, Any]:
    """Callers only read what this returns."""
    policy: Policy = same_policy.item
    max_attempts = policy.verification.max_attempts
    return {
        **_fixed_public_names(same_policy, timezone, phone, locale),
        "verified": verified,
        "locked": failures >= max_attempts,
        "failed_inputs": failed_inputs,
        "attempts_left": max(0, max_attempts - failures),
        "today": today,
    }


# Kept per arguments (mutmut reaches a body only when it is not decorated).
_public_names = lru_cache(maxsize=4096)(_public_names_of)


def _fixed_public_names_of(
    same_policy: Same, timezone: str, phone: str, locale: str
) -> dict[str, Any]:
    """The public names no step changes: the same for every step of the same lender,
    country and language. Callers only read what this returns."""
    policy: Policy = same_policy.item
    region = region_of(timezone, phone)
    return {
        "lender": policy.lender_name_in(locale),
        # 0: the lock lasts until a person unlocks it.
        "lock_minutes": policy.verification.lock_minutes or 0,
        "max_attempts": policy.verification.max_attempts,
        "support_contacts": policy.support_contacts(region, locale),
        # "" when the country is not known: the script says "your local emergency number".
        "emergency_number": policy.emergency_number(region, locale),
        "locale": locale,
        "complaint_answer_days": policy.cases.complaint_answer_days,
    }


# Kept per arguments (mutmut reaches a body only when it is not decorated).
_fixed_public_names = lru_cache(maxsize=1024)(_fixed_public_names_of)


def _account_names_on_of(
    account: Account,
    same_policy: Same,
    today: date,
    local_day: date,
    held: frozenset[str],
    selection: tuple[str, ...],
) -> dict[str, Any]:
    """Callers only read what this returns: the same dict serves many steps."""
    policy: Policy = same_policy.item
    currency = account.currency
    # One pass over the charge lines: every line, the open ones, and the totals (sums
    # in the lines' order, as charges_total adds). Each line carries its tick for the
    # dispute buttons: a multi-select shows each charge ticked (☑) or not (☐).
    charges: list[dict[str, Any]] = []
    open_charges: list[dict[str, Any]] = []
    total = disputed_total = Decimal(0)
    for charge in account.charges:
        disputed = charge.charge_id in held
        item = {
            "charge_id": charge.charge_id,
            "kind": _KIND_NAMES[charge.kind],
            "description": charge.description,
            "amount": MoneyValue(charge.amount, currency),
            "posted_on": charge.posted_on,
            # The date this line's figure is computed to, in words fit for its kind: a
            # statement line is never dated by the day the borrower asks.
            "dated": MessageRef(_DATE_IDS[charge.kind], (("date", charge.posted_on),)),
            "disputed": disputed,
            "mark": "☑" if charge.charge_id in selection else "☐",
        }
        charges.append(item)
        total += charge.amount
        if disputed:
            disputed_total += charge.amount
        else:
            open_charges.append(item)
    # R7: what the lender's payments file says was paid since its figures; R8: never
    # below nothing, so nothing is ever offered or asked for 0 or less.
    collectible = max(Decimal(0), total - disputed_total - account.paid)
    return {
        "borrower_name": account.borrower_name,
        "account_id": account.account_id,
        "currency": currency,
        "total": MoneyValue(total, currency),
        "collectible_total": MoneyValue(collectible, currency),
        "collectible_amount": collectible,
        "disputed_total": MoneyValue(disputed_total, currency),
        "has_balance": collectible > 0,
        "has_disputes": bool(held),
        "paid_since_statement": MoneyValue(account.paid, currency),
        "has_payments": account.paid > 0,
        "due_date": account.due_date,
        "days_past_due": account.days_past_due(local_day),
        "stage": _STAGE_NAMES[account.stage(local_day, policy.stages.late_after_days)],
        "charges": charges,
        "undisputed_charges": open_charges,
        "computed_on": today,
        "extensions_left": max(0, policy.extensions.max_per_account - account.extensions_used),
        "collection_paused": account.collection_paused or account.breathing_space,
        "breathing_space": account.breathing_space,
        "breathing_space_until": account.breathing_space_until or "",
        **_policy_names(same_policy, currency),
        **_examples(policy, currency, local_day, collectible),
        "selected_charges": [item for item in open_charges if item["charge_id"] in selection],
        **_agreement_names(account, today, total - disputed_total),
    }


# Kept per arguments (mutmut reaches a body only when it is not decorated).
_account_names_on = lru_cache(maxsize=4096)(_account_names_on_of)


def _policy_names_of(same_policy: Same, currency: str) -> dict[str, Any]:
    """The lender's terms a statement and its offers name: the same for every account
    in one currency. Callers only read what this returns."""
    policy: Policy = same_policy.item
    return {
        "min_installment": MoneyValue(policy.installments.minimum_for(currency), currency),
        "max_term_months": policy.installments.max_term_months,
        "hardship_max_term_months": policy.hardship_installments().max_term_months,
        "promise_max_days": policy.promise.max_days_ahead,
        "dispute_answer_days": policy.cases.dispute_answer_days,
    }


# Kept per arguments (mutmut reaches a body only when it is not decorated).
_policy_names = lru_cache(maxsize=256)(_policy_names_of)


def _examples(
    policy: Policy, currency: str, local_day: date, collectible: Decimal
) -> dict[str, Any]:
    """Examples a text gives, worked out from today and the account, never written into
    a text: a date the borrower could choose, and a monthly amount the bot would accept."""
    ahead = min(7, policy.promise.max_days_ahead)
    return {
        "promise_example_date": local_day + timedelta(days=max(ahead, 1)),
        "monthly_example": example_monthly(
            collectible, policy.installments.minimum_for(currency), policy.installments
        ),
    }


def example_monthly(collectible: Decimal, minimum: Decimal, terms: InstallmentPolicy) -> int:
    """A round monthly amount to show as an example: what spreads the balance over the
    longest plan, never below the minimum, rounded up to two significant figures."""
    longest = max(1, int(terms.max_term_months))
    wanted = max(collectible / longest, minimum, Decimal(1))
    whole = int(wanted.to_integral_value(rounding=ROUND_CEILING))
    step = 10 ** max(0, len(str(whole)) - 2)
    return int(-(-whole // step) * step)


def _agreement_names(account: Account, today: date, undisputed: Decimal) -> dict[str, Any]:
    """What the statement shows of the active arrangement before offering anything.

    An arrangement a dispute reaches is on hold (R8), shown as such and never asked
    for, from the very step the dispute is made (the service stores it after)."""
    agreement = account.agreement
    on_hold = account.suspended or ""
    if dispute_suspends(agreement, undisputed) and agreement is not None:
        on_hold, agreement = agreement.reference, None
    review = {"arrangement_in_review": account.in_review or "", "arrangement_on_hold": on_hold}
    if agreement is None:
        return {"has_arrangement": False, "arrangement_kind": "", **review}
    upcoming = agreement.next_due(today)
    next_date = agreement.new_due_date or (upcoming[0] if upcoming else None)
    currency = account.currency
    return {
        "has_arrangement": True,
        "arrangement_kind": agreement.kind,
        "arrangement_reference": agreement.reference,
        "arrangement_amount": MoneyValue(agreement.amount, currency),
        "arrangement_next_date": next_date,
        "arrangement_next_amount": MoneyValue(
            upcoming[1] if upcoming else agreement.amount, currency
        ),
        "arrangement_left": MoneyValue(agreement.left(today), currency),
        **review,
    }


def _payment_names(
    account: Account,
    policy: Policy,
    today: date,
    collectible: Decimal,
    made_now: str | None,
    pay_amount: str | None,
    on_hold: str,
) -> dict[str, Any]:
    """The lender's instructions for the account's currency (issue 7 point 7).

    A link asks for what is due next: the next installment of the active
    arrangement, or else everything that may be collected.
    """
    how = policy.payment_for(account.currency)
    if how is None:
        return {"has_payment_instructions": False, "pay_link": "", "pay_account_number": ""}
    agreement = account.agreement
    if agreement is not None and agreement.reference == on_hold:
        agreement = None  # on hold for a dispute (R8): a link asks for what may be collected
    upcoming = agreement.next_due(today) if agreement is not None else None
    amount = upcoming[1] if upcoming is not None else collectible
    if made_now and (agreement is None or agreement.reference != made_now):
        # Agreed in this very step: not stored yet, so not on the loaded account.
        amount = amount if pay_amount is None else Decimal(pay_amount)
    return _payment_names_for(Same(how), account.account_id, str(amount))


def _payment_names_for_of(same_how: Same, account_id: str, amount: str) -> dict[str, Any]:
    """Kept by the amount's text, not its value: 100 and 100.00 fill a link differently.
    Callers only read what this returns."""
    how: PaymentInstructions = same_how.item
    return {
        "has_payment_instructions": True,
        "pay_link": fill_template(how.link, account_id, Decimal(amount)) if how.link else "",
        "pay_bank_name": how.bank_name or "",
        "pay_account_name": how.account_name or "",
        "pay_account_number": how.account_number or "",
        "pay_bank_code": how.bank_code or "",
        "pay_reference": fill_template(how.reference, account_id, Decimal(amount)),
    }


# Kept per arguments (mutmut reaches a body only when it is not decorated).
_payment_names_for = lru_cache(maxsize=4096)(_payment_names_for_of)
