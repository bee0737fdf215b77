"""Arrangements a person records outside the bot's policy (issue 29 point 4).

A person proposes terms with a reason. Within their role's limits (the policy's
`desk.limits`) the request is approved at once; above them it waits as pending
until a supervisor (or higher) whose own limits cover the terms approves or
rejects it. An approved request becomes the same arrangement row the bot writes,
through `Runtime.on_agent` (so the borrower is told in the same transaction); see
`record` below, the handler of `AgentActionKind.RECORD_ARRANGEMENT`.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_DOWN, Decimal
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.domain.desk_policy import Terms, beyond
from bot.domain.policy import Policy
from bot.engine.types import MoneyValue
from bot.errors import RepaybotError
from bot.service.effects import supersede_active
from bot.store.tables import AccountRow, ArrangementRequestRow, ArrangementRow

KINDS = ("installment_plan", "extension", "promise_to_pay")
PENDING, APPROVED, REJECTED, RECORDED = "pending", "approved", "rejected", "recorded"
MAX_INSTALLMENTS = 120
MAX_REASON = 1000
CENT = Decimal("0.01")


class ProposalRefused(RepaybotError):
    """Terms that cannot be recorded as asked; the message says why, for the person."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class Proposal:
    """What a person asks for. A plan: `amount` in `count` payments from `first_due`,
    one every policy interval; a promise: `amount` by `first_due`; an extension: the
    new due date `new_due`."""

    kind: str
    reason: str
    amount: Decimal = Decimal(0)
    count: int = 1
    first_due: date | None = None
    new_due: date | None = None


@dataclass(frozen=True)
class Standing:
    """The account as the request sees it: what may be asked for and by when."""

    account_id: str
    currency: str
    owed: Decimal
    due_date: date
    today: date


def schedule(amount: Decimal, count: int, first: date, every_days: int) -> list[dict[str, str]]:
    """Equal payments to the cent, the last one taking what rounding left."""
    each = (amount / count).quantize(CENT, rounding=ROUND_DOWN)
    rows = []
    for index in range(count):
        value = each if index < count - 1 else amount - each * (count - 1)
        rows.append(
            {
                "due_date": (first + timedelta(days=every_days * index)).isoformat(),
                "amount": str(value),
            }
        )
    return rows


def shape(proposal: Proposal, standing: Standing, policy: Policy) -> tuple[Terms, dict[str, Any]]:
    """Check the proposal against the account and say what it asks (the Terms the
    limits measure, and the columns of the request). Raises ProposalRefused (422)."""
    reason = proposal.reason.strip()
    if not reason:
        raise ProposalRefused(422, "give the reason for going outside the policy")
    if len(reason) > MAX_REASON:
        raise ProposalRefused(422, f"the reason is longer than {MAX_REASON} characters")
    if proposal.kind not in KINDS:
        raise ProposalRefused(422, f"kind must be one of {', '.join(KINDS)}")
    if standing.owed <= 0:
        raise ProposalRefused(409, "nothing on this account may be asked for")
    if proposal.kind == "extension":
        return _extension(proposal, standing, reason)
    if not proposal.amount.is_finite():
        raise ProposalRefused(422, "the amount is not a number")
    amount = proposal.amount.quantize(CENT)
    if amount <= 0 or amount > standing.owed:
        raise ProposalRefused(422, f"the amount must be above 0 and at most {standing.owed}")
    first = proposal.first_due
    if first is None or first < standing.today:
        raise ProposalRefused(422, "the first payment date must be today or later")
    discount = ((standing.owed - amount) / standing.owed * 100).quantize(CENT)
    minimum = policy.installments.minimum_for(standing.currency)
    if proposal.kind == "promise_to_pay":
        installments = [{"due_date": first.isoformat(), "amount": str(amount)}]
        terms = Terms(discount_percent=discount, promise_days=(first - standing.today).days)
        return terms, {"amount": amount, "installments": installments, "reason": reason}
    if not 1 <= proposal.count <= MAX_INSTALLMENTS:
        raise ProposalRefused(422, f"the number of payments must be 1 to {MAX_INSTALLMENTS}")
    every = policy.installments.interval_days
    installments = schedule(amount, proposal.count, first, every)
    lowest = min(Decimal(row["amount"]) for row in installments)
    months = -(-(every * proposal.count) // 30)  # whole months, rounded up
    terms = Terms(
        discount_percent=discount,
        term_months=months,
        installment_share=lowest / minimum if minimum > 0 else Decimal(1),
    )
    return terms, {"amount": amount, "installments": installments, "reason": reason}


def _extension(proposal: Proposal, standing: Standing, reason: str) -> tuple[Terms, dict[str, Any]]:
    new_due = proposal.new_due
    if new_due is None or new_due <= max(standing.due_date, standing.today):
        raise ProposalRefused(422, "the new due date must be after the current one")
    terms = Terms(extension_days=(new_due - standing.due_date).days)
    return terms, {"amount": standing.owed, "new_due_date": new_due, "reason": reason}


def new_request_id(key: str | None = None) -> str:
    """A request's id: from an idempotency key (the same key, the same request), or new."""
    if key is None:
        return f"R-{secrets.token_hex(5).upper()}"
    return "R-" + hashlib.sha256(key.encode()).hexdigest()[:10].upper()


def request(
    session: AsyncSession,
    policy: Policy,
    *,
    proposal: Proposal,
    standing: Standing,
    conversation_id: int,
    ticket: str,
    by: str,
    role: str,
    now: datetime,
    request_id: str | None = None,
) -> ArrangementRequestRow:
    """Store the request: approved when the role's limits cover it, else pending.
    `request_id` (from the form's or the API's idempotency key) or a new one."""
    terms, columns = shape(proposal, standing, policy)
    over = beyond(terms, policy.desk.limits_for(role))
    row = ArrangementRequestRow(
        id=request_id or new_request_id(),
        account_id=standing.account_id,
        conversation_id=conversation_id,
        ticket=ticket,
        kind=proposal.kind,
        owed=standing.owed,
        currency=standing.currency,
        terms=_kept(terms, over),
        status=PENDING if over else APPROVED,
        requested_by=by,
        requested_at=now,
        decided_by=None if over else by,
        decided_at=None if over else now,
        **{"installments": [], **columns},
    )
    session.add(row)
    return row


def terms_of(row: ArrangementRequestRow) -> Terms:
    """The terms a stored request asks, as they were measured when it was made."""
    kept = row.terms
    return Terms(
        discount_percent=Decimal(kept["discount_percent"]),
        term_months=int(kept["term_months"]),
        installment_share=Decimal(kept["installment_share"]),
        extension_days=int(kept["extension_days"]),
        promise_days=int(kept["promise_days"]),
    )


def _kept(terms: Terms, over: tuple[str, ...]) -> dict[str, Any]:
    return {
        "discount_percent": str(terms.discount_percent),
        "term_months": terms.term_months,
        "installment_share": str(terms.installment_share.quantize(CENT)),
        "extension_days": terms.extension_days,
        "promise_days": terms.promise_days,
        "beyond": list(over),
    }


async def decide(
    session: AsyncSession,
    policy: Policy,
    request_id: str,
    *,
    by: str,
    role: str,
    approve: bool,
    note: str,
    now: datetime,
) -> ArrangementRequestRow:
    """A supervisor's decision on a pending request (once: a second decision is 409)."""
    row = await session.get(ArrangementRequestRow, request_id)
    if row is None:
        raise ProposalRefused(404, f"no request {request_id!r}")
    if approve and beyond(terms_of(row), policy.desk.limits_for(role)):
        raise ProposalRefused(403, "these terms are beyond your own limits")
    decided = await session.execute(
        update(ArrangementRequestRow)
        .where(col(ArrangementRequestRow.id) == request_id)
        .where(col(ArrangementRequestRow.status) == PENDING)
        .values(
            status=APPROVED if approve else REJECTED,
            decided_by=by,
            decided_at=now,
            decision_note=note.strip()[:MAX_REASON],
        )
        .execution_options(synchronize_session=False)
    )
    if not int(getattr(decided, "rowcount", 0) or 0):
        raise ProposalRefused(409, "this request has been decided already")
    await session.refresh(row)
    return row


async def pending(session: AsyncSession, limit: int = 200) -> list[ArrangementRequestRow]:
    """Requests waiting for a supervisor, oldest first."""
    found = await session.execute(
        select(ArrangementRequestRow)
        .where(col(ArrangementRequestRow.status) == PENDING)
        .order_by(col(ArrangementRequestRow.requested_at), col(ArrangementRequestRow.id))
        .limit(limit)
    )
    return list(found.scalars())


async def count_pending(session: AsyncSession) -> int:
    found = await session.scalar(
        select(func.count()).where(col(ArrangementRequestRow.status) == PENDING)
    )
    return int(found or 0)


async def of_conversation(
    session: AsyncSession, conversation_id: int
) -> list[ArrangementRequestRow]:
    found = await session.execute(
        select(ArrangementRequestRow)
        .where(col(ArrangementRequestRow.conversation_id) == conversation_id)
        .order_by(col(ArrangementRequestRow.requested_at).desc())
    )
    return list(found.scalars())


async def record(
    session: AsyncSession, request_id: str, conversation_id: int, script_version: str, now: datetime
) -> tuple[ArrangementRequestRow, ArrangementRow] | None:
    """Turn an approved request of this conversation into the account's arrangement
    (ending the one before, as the bot does). None when it is not an approved,
    unrecorded request of this conversation: a second call records nothing."""
    row = await session.get(ArrangementRequestRow, request_id, populate_existing=True)
    if row is None or row.conversation_id != conversation_id:
        return None
    arrangement_id = "A-" + hashlib.sha256(request_id.encode()).hexdigest()[:10].upper()
    claimed = await session.execute(
        update(ArrangementRequestRow)
        .where(col(ArrangementRequestRow.id) == request_id)
        .where(col(ArrangementRequestRow.status) == APPROVED)
        .values(status=RECORDED, arrangement_id=arrangement_id)
        .execution_options(synchronize_session=False)
    )
    if not int(getattr(claimed, "rowcount", 0) or 0):
        return None
    await supersede_active(session, row.account_id, by=arrangement_id, now=now)
    arrangement = ArrangementRow(
        id=arrangement_id,
        account_id=row.account_id,
        kind=row.kind,
        status="active",
        amount=row.amount,
        currency=row.currency,
        installments=list(row.installments),
        new_due_date=row.new_due_date,
        script_version=script_version,
        conversation_id=conversation_id,
        created_at=now,
    )
    session.add(arrangement)
    if row.new_due_date is not None:
        account = await session.get(AccountRow, row.account_id)
        if account is not None:  # an extension counts against the policy's allowance
            account.extensions_used += 1
            account.updated_at = now
    await session.refresh(row)
    return row, arrangement


def borrower_message(arrangement: ArrangementRow) -> tuple[str, dict[str, Any]]:
    """The message id and parameters that tell the borrower the agreed terms."""
    money = MoneyValue(Decimal(arrangement.amount), arrangement.currency)
    reference = {"reference": arrangement.id}
    rows = arrangement.installments
    if arrangement.kind == "extension" and arrangement.new_due_date is not None:
        return "agent.extension_agreed", {"new_date": arrangement.new_due_date, **reference}
    first = date.fromisoformat(rows[0]["due_date"])
    if arrangement.kind == "promise_to_pay":
        return "agent.promise_agreed", {"amount": money, "first_date": first, **reference}
    installment = MoneyValue(Decimal(rows[0]["amount"]), arrangement.currency)
    return "agent.plan_agreed", {
        "amount": money,
        "count": len(rows),
        "installment": installment,
        "first_date": first,
        **reference,
    }
