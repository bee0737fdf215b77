"""What the agents' console and the CRM API read: the queue and one conversation.

Reads only. Every change goes through `Runtime.on_agent`; these queries give a
person what they need to decide, ordered as collection worklists are: crisis
first, then complaints and verification locks, then days past due × amount.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.domain.policy import Policy
from bot.service.verification import VerificationState
from bot.store.db import as_utc
from bot.store.repositories import read_account
from bot.store.tables import (
    AccountRow,
    ArrangementRow,
    ChargeRow,
    ConversationRow,
    DisputeRow,
    EscalationRow,
    OutboxRow,
    TranscriptRow,
)

STATUSES = ("open", "taken", "closed")
FIRST = frozenset({"crisis"})
SECOND = frozenset({"complaint", "verification_locked"})
WARN_AT = 0.75  # the share of the SLA after which a row turns amber


@dataclass(frozen=True)
class QueueItem:
    ticket: str
    conversation_id: int | None
    account_id: str | None
    reason: str
    priority: str
    locale: str
    opened_at: datetime
    status: str
    owner: str | None  # the person who holds it; None while it waits in the queue
    days_past_due: int
    amount_due: Decimal
    currency: str
    borrower_name: str
    sla_minutes: int  # first response while open, resolution once taken
    waited_minutes: int

    @property
    def sla_state(self) -> str:
        """ok, warn (three quarters of the time used) or late, for the row's colour."""
        share = self.waited_minutes / self.sla_minutes
        return "late" if share >= 1 else "warn" if share >= WARN_AT else "ok"

    @property
    def rank(self) -> tuple[int, Decimal]:
        urgent = self.reason in FIRST or self.priority == "urgent"
        group = 0 if urgent else 1 if self.reason in SECOND else 2
        return group, -(self.days_past_due * self.amount_due)

    def api(self) -> dict[str, Any]:
        """The CRM contract: exactly these fields."""
        return {
            "ticket": self.ticket,
            "conversation_id": self.conversation_id,
            "account_id": self.account_id,
            "reason": self.reason,
            "locale": self.locale,
            "opened_at": self.opened_at.isoformat(),
            "status": self.status,
            "owner": self.owner,
            "days_past_due": self.days_past_due,
            "amount_due": str(self.amount_due),
            "currency": self.currency,
        }


@dataclass(frozen=True)
class QueueFilter:
    statuses: tuple[str, ...] = ("open", "taken")
    reason: str | None = None
    locale: str | None = None
    owner: str | None = None  # a person's name, or "queue" for nobody


def person_of(owner: str | None) -> str | None:
    """The name in an owner column ("agent:mei" -> "mei"); None for the queue or bot."""
    if owner and owner.startswith("agent:"):
        return owner.removeprefix("agent:")
    return None


_TOTALS = (
    select(col(ChargeRow.account_id), func.sum(col(ChargeRow.amount)).label("total"))
    .group_by(col(ChargeRow.account_id))
    .subquery()
)


async def queue(
    session: AsyncSession, policy: Policy, now: datetime, which: QueueFilter = QueueFilter()
) -> list[QueueItem]:
    """The escalations in worklist order, with what each row of the queue shows."""
    query = (
        select(
            EscalationRow,
            col(AccountRow.borrower_name),
            col(AccountRow.due_date),
            col(AccountRow.currency),
            col(AccountRow.timezone),
            col(AccountRow.locale),
            col(ConversationRow.locale),
            _TOTALS.c.total,
        )
        .outerjoin(AccountRow, col(AccountRow.account_id) == col(EscalationRow.account_id))
        .outerjoin(ConversationRow, col(ConversationRow.id) == col(EscalationRow.conversation_id))
        .outerjoin(_TOTALS, _TOTALS.c.account_id == col(EscalationRow.account_id))
        .where(col(EscalationRow.status).in_(which.statuses))
    )
    if which.reason:
        query = query.where(col(EscalationRow.reason) == which.reason)
    if which.owner == "queue":
        query = query.where(col(EscalationRow.owner) == "queue")
    elif which.owner:
        query = query.where(col(EscalationRow.owner) == f"agent:{which.owner}")
    items = []
    for row in (await session.execute(query)).all():
        escalation, name, due, currency, zone, account_locale, chat_locale, total = row
        locale = chat_locale or account_locale or "en"
        if which.locale and locale != which.locale:
            continue
        times = policy.response_times(escalation.reason)
        opened = as_utc(escalation.created_at)
        end = as_utc(escalation.closed_at) if escalation.closed_at else now
        items.append(
            QueueItem(
                ticket=escalation.ticket,
                conversation_id=escalation.conversation_id,
                account_id=escalation.account_id,
                reason=escalation.reason,
                priority=escalation.priority,
                locale=locale,
                opened_at=opened,
                status=escalation.status,
                owner=person_of(escalation.owner),
                days_past_due=_days_past_due(due, zone, now),
                amount_due=Decimal(total or 0),
                currency=currency or "",
                borrower_name=name or "",
                sla_minutes=(
                    times.first_response_minutes
                    if escalation.status == "open"
                    else times.resolution_minutes
                ),
                waited_minutes=max(0, int((end - opened) / timedelta(minutes=1))),
            )
        )
    items.sort(key=lambda item: (item.rank, item.opened_at))
    return items


def _days_past_due(due: date | None, zone: str | None, now: datetime) -> int:
    if due is None:
        return 0
    try:
        today = now.astimezone(ZoneInfo(zone or "UTC")).date()
    except (ZoneInfoNotFoundError, ValueError):
        today = now.date()
    return max(0, (today - due).days)


async def escalation(session: AsyncSession, ticket: str) -> EscalationRow | None:
    found = await session.execute(select(EscalationRow).where(col(EscalationRow.ticket) == ticket))
    return found.scalars().first()


# ---- one conversation ----


@dataclass(frozen=True)
class Line:
    """One transcript line as a person sees it. `who`: borrower, bot, agent, note or
    event (a person's action: taken, handed back...); `delivered`: None while
    it is on its way, False when it could not be delivered."""

    id: int
    at: datetime
    who: str
    text: str
    delivered: bool | None = None
    agent: str | None = None
    action: str | None = None

    def api(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "from": self.who,
            "text": self.text,
            "delivered": self.delivered,
        }


async def transcript(session: AsyncSession, conversation_id: int) -> list[Line]:
    rows = (
        await session.execute(
            select(TranscriptRow)
            .where(col(TranscriptRow.conversation_id) == conversation_id)
            .order_by(col(TranscriptRow.id))
        )
    ).scalars()
    lines = list(rows)
    keys = [key for r in lines for key in _outbox_keys(r.payload)]
    statuses: dict[str, str] = {}
    if keys:
        found = await session.execute(
            select(col(OutboxRow.idempotency_key), col(OutboxRow.status)).where(
                col(OutboxRow.idempotency_key).in_(keys)
            )
        )
        statuses = {str(k): str(s) for k, s in found.all()}
    return [_line(row, statuses) for row in lines]


def _outbox_keys(payload: dict[str, Any] | None) -> list[str]:
    """The outbox rows a reply was sent as (one key in lines written before replies
    could be cut into several messages)."""
    keys = (payload or {}).get("outbox")
    if not keys:
        return []
    return [str(k) for k in keys] if isinstance(keys, list) else [str(keys)]


def _line(row: TranscriptRow, statuses: dict[str, str]) -> Line:
    payload = row.payload or {}
    at = as_utc(row.created_at)
    if row.direction == "in":
        return Line(int(row.id or 0), at, "borrower", row.text)
    if row.direction == "out":
        found = [statuses.get(key) for key in _outbox_keys(payload)]
        # A reply cut into several messages arrived when all did; one refused fails it.
        delivered = (
            False
            if any(s in ("failed", "dead") for s in found)
            else True
            if found and all(s == "sent" for s in found)
            else None
        )
        agent = payload.get("agent")
        who = "agent" if agent else "bot"
        return Line(int(row.id or 0), at, who, row.text, delivered, agent)
    action = str(payload.get("action", row.kind))
    agent = payload.get("agent")
    if action == "note":
        return Line(int(row.id or 0), at, "note", row.text, None, agent, action)
    return Line(int(row.id or 0), at, "event", row.text, None, agent, action)


@dataclass
class Case:
    """Everything a person needs beside the transcript: who, what is owed, what was agreed."""

    conversation: ConversationRow
    escalations: list[EscalationRow]
    account: AccountRow | None = None
    charges: list[ChargeRow] = field(default_factory=list)
    total: Decimal = Decimal(0)
    days_past_due: int = 0
    disputes: list[DisputeRow] = field(default_factory=list)
    arrangements: list[ArrangementRow] = field(default_factory=list)
    verify_locked: bool = False

    @property
    def open_escalation(self) -> EscalationRow | None:
        return next((e for e in self.escalations if e.status != "closed"), None)


async def case(
    session: AsyncSession, policy: Policy, conversation_id: int, now: datetime
) -> Case | None:
    conversation = await session.get(ConversationRow, conversation_id)
    if conversation is None:
        return None
    escalations = list(
        (
            await session.execute(
                select(EscalationRow)
                .where(col(EscalationRow.conversation_id) == conversation_id)
                .order_by(col(EscalationRow.id).desc())
            )
        ).scalars()
    )
    found = Case(conversation, escalations)
    if conversation.account_id is None:
        return found
    account_id = conversation.account_id
    found.account = await session.get(AccountRow, account_id)
    read = await read_account(session, account_id=account_id, now=now)
    if read is not None:
        found.total = read[0].total
        found.days_past_due = read[0].days_past_due_at(now)
    found.charges = list(
        (
            await session.execute(
                select(ChargeRow)
                .where(col(ChargeRow.account_id) == account_id)
                .order_by(col(ChargeRow.posted_on))
            )
        ).scalars()
    )
    found.disputes = list(
        (
            await session.execute(
                select(DisputeRow)
                .where(col(DisputeRow.account_id) == account_id)
                .order_by(col(DisputeRow.created_at).desc())
            )
        ).scalars()
    )
    found.arrangements = list(
        (
            await session.execute(
                select(ArrangementRow)
                .where(col(ArrangementRow.account_id) == account_id)
                .order_by(col(ArrangementRow.created_at).desc())
            )
        ).scalars()
    )
    account = found.account
    if account is not None:
        # Locked: the policy's attempts used up, and no timed lock that has run out.
        state = VerificationState.of(account.verify_failures, account.verify_locked_until, now)
        found.verify_locked = state.failures >= policy.verification.max_attempts
    return found
