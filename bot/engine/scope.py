"""What scripts can see: names available to guards and message placeholders.

Before identity verification only public names exist, so a script cannot leak
an amount or a name to an unverified chat (R5): the validator checks public
states use public names only, and the engine builds account names only after
verification.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from bot.domain.policy import fill_template
from bot.domain.regions import region_of
from bot.engine.types import Context, ConversationState, MessageRef, MoneyValue
from bot.engine.values import from_json

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
        "promise_max_days",
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
        "has_payment_instructions",
        "pay_link",
        "pay_bank_name",
        "pay_account_name",
        "pay_account_number",
        "pay_bank_code",
        "pay_reference",
    }
)


def _money(ctx: Context, amount: Any) -> MoneyValue:
    return MoneyValue(amount, ctx.account.currency)


def _charge_items(ctx: Context, held: set[str], only_open: bool) -> list[dict[str, Any]]:
    items = []
    for charge in ctx.account.charges:
        disputed = charge.charge_id in held
        if only_open and disputed:
            continue
        items.append(
            {
                "charge_id": charge.charge_id,
                "kind": MessageRef(f"charge_kind.{charge.kind.value}"),
                "description": charge.description,
                "amount": _money(ctx, charge.amount),
                "posted_on": charge.posted_on,
                "disputed": disputed,
            }
        )
    return items


def _marked(items: list[dict[str, Any]], selection: list[str]) -> list[dict[str, Any]]:
    """A multi-select shows each charge ticked (☑) or not (☐) on its own button."""
    return [{**item, "mark": "☑" if item["charge_id"] in selection else "☐"} for item in items]


def build_scope(state: ConversationState, ctx: Context) -> dict[str, Any]:
    """Names for guards and placeholders; account names only once verified."""
    scope = dict(_public_names(state, ctx))
    variables = {k: from_json(v) for k, v in state.vars.items()}
    scope.update(variables)
    if not state.verified:
        return scope
    # Charges disputed earlier in this very step are held too, before the
    # service has stored the dispute (R8).
    held = frozenset(state.vars.get("disputed_now", ())) | ctx.account.disputed_charge_ids
    selection = tuple(state.vars.get("dispute_selection", ()))
    names = _account_names(ctx, held, selection)
    scope.update(names)
    # Not memoized: it reads this step's variables (an arrangement just agreed).
    scope.update(_payment_names(ctx, names["collectible_amount"], variables))
    scope.update(variables)
    return scope


def _public_names(state: ConversationState, ctx: Context) -> dict[str, Any]:
    policy = ctx.policy
    failures = int(state.vars.get("verify_failures", 0))
    return {
        "lender": policy.lender_name,
        "verified": state.verified,
        "locked": failures >= policy.verification.max_attempts,
        # 0: the lock lasts until a person unlocks it.
        "lock_minutes": policy.verification.lock_minutes or 0,
        "failed_inputs": state.failed_inputs,
        "max_attempts": policy.verification.max_attempts,
        "attempts_left": max(0, policy.verification.max_attempts - failures),
        "support_contacts": policy.support_contacts(
            region_of(ctx.account.timezone, ctx.account.phone), state.locale
        ),
        "locale": state.locale,
        "complaint_answer_days": policy.cases.complaint_answer_days,
        "today": ctx.today,
    }


def _account_names(
    ctx: Context, held: frozenset[str], selection: tuple[str, ...]
) -> dict[str, Any]:
    """The account's names, built once per step for each set of held charges: the same
    context is asked for its scope several times a step, and this is the costly part."""
    key = ("account_names", held, selection)
    cached: dict[str, Any] | None = ctx.memo.get(key)
    if cached is not None:
        return cached
    policy = ctx.policy
    account = ctx.account
    disputed_total = sum((c.amount for c in account.charges if c.charge_id in held), start=0)
    collectible = account.total - disputed_total
    names = {
        "borrower_name": account.borrower_name,
        "account_id": account.account_id,
        "currency": account.currency,
        "total": _money(ctx, account.total),
        "collectible_total": _money(ctx, collectible),
        "collectible_amount": collectible,
        "disputed_total": _money(ctx, disputed_total),
        "has_balance": collectible > 0,
        "has_disputes": bool(held),
        "due_date": account.due_date,
        "days_past_due": account.days_past_due_at(ctx.now),
        "stage": account.stage_at(ctx.now, policy.stages.late_after_days).value,
        "charges": _charge_items(ctx, set(held), only_open=False),
        "undisputed_charges": _marked(
            _charge_items(ctx, set(held), only_open=True), list(selection)
        ),
        "computed_on": ctx.today,
        "extensions_left": max(0, policy.extensions.max_per_account - account.extensions_used),
        "collection_paused": account.collection_paused or account.breathing_space,
        "breathing_space": account.breathing_space,
        "breathing_space_until": account.breathing_space_until or "",
        "min_installment": _money(ctx, policy.installments.minimum_for(account.currency)),
        "max_term_months": policy.installments.max_term_months,
        "promise_max_days": policy.promise.max_days_ahead,
        "dispute_answer_days": policy.cases.dispute_answer_days,
        "selected_charges": [
            item
            for item in _charge_items(ctx, set(held), only_open=True)
            if item["charge_id"] in selection
        ],
        **_agreement_names(ctx),
    }
    ctx.memo[key] = names
    return names


def _agreement_names(ctx: Context) -> dict[str, Any]:
    """What the statement shows of the active arrangement before offering anything."""
    agreement = ctx.account.agreement
    review = {"arrangement_in_review": ctx.account.in_review or ""}
    if agreement is None:
        return {"has_arrangement": False, "arrangement_kind": "", **review}
    upcoming = agreement.next_due(ctx.today)
    next_date = agreement.new_due_date or (upcoming[0] if upcoming else None)
    return {
        "has_arrangement": True,
        "arrangement_kind": agreement.kind,
        "arrangement_reference": agreement.reference,
        "arrangement_amount": _money(ctx, agreement.amount),
        "arrangement_next_date": next_date,
        "arrangement_next_amount": _money(ctx, upcoming[1] if upcoming else agreement.amount),
        "arrangement_left": _money(ctx, agreement.left(ctx.today)),
        **review,
    }


def _payment_names(ctx: Context, collectible: Decimal, variables: dict[str, Any]) -> dict[str, Any]:
    """The lender's instructions for the account's currency (issue 7 point 7).

    A link asks for what is due next: the next installment of the active
    arrangement, or else everything that may be collected.
    """
    how = ctx.policy.payment_for(ctx.account.currency)
    if how is None:
        return {"has_payment_instructions": False, "pay_link": "", "pay_account_number": ""}
    agreement = ctx.account.agreement
    upcoming = agreement.next_due(ctx.today) if agreement is not None else None
    amount = upcoming[1] if upcoming is not None else collectible
    made_now = variables.get("arrangement_id")
    if made_now and (agreement is None or agreement.reference != made_now):
        # Agreed in this very step: not stored yet, so not on the loaded account.
        amount = Decimal(str(variables.get("pay_amount", amount)))
    account_id = ctx.account.account_id
    return {
        "has_payment_instructions": True,
        "pay_link": fill_template(how.link, account_id, amount) if how.link else "",
        "pay_bank_name": how.bank_name or "",
        "pay_account_name": how.account_name or "",
        "pay_account_number": how.account_number or "",
        "pay_bank_code": how.bank_code or "",
        "pay_reference": fill_template(how.reference, account_id, amount),
    }
