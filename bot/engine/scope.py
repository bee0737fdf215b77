"""What scripts can see: names available to guards and message placeholders.

Before identity verification only public names exist, so a script cannot leak
an amount or a name to an unverified chat (R5): the validator checks public
states use public names only, and the engine builds account names only after
verification.
"""

from __future__ import annotations

from typing import Any

from bot.engine.types import Context, ConversationState, MessageRef, MoneyValue
from bot.engine.values import from_json

PUBLIC_NAMES = frozenset(
    {
        "lender",
        "verified",
        "locked",
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
        "min_installment",
        "max_term_months",
        "promise_max_days",
        "dispute_answer_days",
        "selected_charges",
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
    policy = ctx.policy
    failures = int(state.vars.get("verify_failures", 0))
    scope: dict[str, Any] = {
        "lender": policy.lender_name,
        "verified": state.verified,
        "locked": failures >= policy.verification.max_attempts,
        "failed_inputs": state.failed_inputs,
        "max_attempts": policy.verification.max_attempts,
        "attempts_left": max(0, policy.verification.max_attempts - failures),
        "support_contacts": tuple(policy.support_contacts),
        "locale": state.locale,
        "complaint_answer_days": policy.cases.complaint_answer_days,
        "today": ctx.today,
    }
    variables = {k: from_json(v) for k, v in state.vars.items()}
    scope.update(variables)
    if not state.verified:
        return scope
    account = ctx.account
    # Charges disputed earlier in this very step are held too, before the
    # service has stored the dispute (R8).
    held = set(account.disputed_charge_ids) | set(state.vars.get("disputed_now", []))
    disputed_total = sum((c.amount for c in account.charges if c.charge_id in held), start=0)
    collectible = account.total - disputed_total
    scope.update(
        {
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
            "days_past_due": account.days_past_due(ctx.today),
            "stage": account.stage(ctx.today, policy.stages.late_after_days).value,
            "charges": _charge_items(ctx, held, only_open=False),
            "undisputed_charges": _marked(
                _charge_items(ctx, held, only_open=True), state.vars.get("dispute_selection", [])
            ),
            "computed_on": ctx.today,
            "extensions_left": max(0, policy.extensions.max_per_account - account.extensions_used),
            "collection_paused": account.collection_paused or account.breathing_space,
            "min_installment": _money(ctx, policy.installments.minimum_for(account.currency)),
            "max_term_months": policy.installments.max_term_months,
            "promise_max_days": policy.promise.max_days_ahead,
            "dispute_answer_days": policy.cases.dispute_answer_days,
            "selected_charges": [
                item
                for item in _charge_items(ctx, held, only_open=True)
                if item["charge_id"] in state.vars.get("dispute_selection", [])
            ],
        }
    )
    scope.update(variables)
    return scope
