"""What the agents' console and the CRM API read: the queue and one conversation.

Reads only. Every change goes through `Runtime.on_agent`; these queries give a
person what they need to decide, ordered as collection worklists are: crisis
first, then complaints and verification locks, then days past due × amount.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Integer, cast, func, literal, or_, select
from sqlalchemy import case as sql_case
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.domain.policy import Policy
from bot.service.desk_transcript import Line as Line
from bot.service.desk_transcript import transcript as transcript
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

    def seconds_until(self, share: float, now: datetime) -> int:
        """Seconds from `now` until the row has used `share` of its SLA (0 when it has):
        what the queue page's own timer needs to turn the colour without a reload."""
        deadline = self.opened_at + timedelta(minutes=self.sla_minutes * share)
        return max(0, int((deadline - now).total_seconds()))

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


PAGE = 50  # rows the queue page shows at once; the rest are counted, not rendered


@dataclass(frozen=True)
class QueuePage:
    """One page of the worklist and how many rows match in all."""

    items: list[QueueItem]
    total: int
    offset: int = 0

    @property
    def more(self) -> int:
        """Rows after this page."""
        return max(0, self.total - self.offset - len(self.items))


def _amount_due() -> Any:
    """What an escalated account owes: summed per row through the charges' primary key,
    so the queue's cost follows the open escalations, not the whole portfolio."""
    return (
        select(func.coalesce(func.sum(col(ChargeRow.amount)), 0))
        .where(col(ChargeRow.account_id) == col(EscalationRow.account_id))
        .correlate(EscalationRow)
        .scalar_subquery()
    )


async def queue(
    session: AsyncSession, policy: Policy, now: datetime, which: QueueFilter = QueueFilter()
) -> list[QueueItem]:
    """Every escalation that matches, in worklist order (the CRM API's list)."""
    return (await queue_page(session, policy, now, which)).items


async def queue_page(
    session: AsyncSession,
    policy: Policy,
    now: datetime,
    which: QueueFilter = QueueFilter(),
    *,
    offset: int = 0,
    limit: int | None = None,
) -> QueuePage:
    """The escalations in worklist order, `limit` of them from `offset`.

    The database orders and cuts the page (days past due counted in each account's
    zone, × what is owed) so that only the page's rows travel and become items:
    with 10,000 open escalations that is milliseconds instead of a second."""
    locale = func.coalesce(col(ConversationRow.locale), col(AccountRow.locale), literal("en"))
    joined = (
        select(col(EscalationRow.id))
        .outerjoin(AccountRow, col(AccountRow.account_id) == col(EscalationRow.account_id))
        .outerjoin(ConversationRow, col(ConversationRow.id) == col(EscalationRow.conversation_id))
        .where(col(EscalationRow.status).in_(which.statuses))
    )
    if which.reason:
        joined = joined.where(col(EscalationRow.reason) == which.reason)
    if which.locale:
        joined = joined.where(locale == which.locale)
    if which.owner == "queue":
        joined = joined.where(col(EscalationRow.owner) == "queue")
    elif which.owner:
        joined = joined.where(col(EscalationRow.owner) == f"agent:{which.owner}")
    zones = await session.execute(joined.with_only_columns(col(AccountRow.timezone)).distinct())
    days = _days_past_due(session, {zone: _today(zone, now) for (zone,) in zones}, now)
    total = _amount_due()
    group = sql_case(
        (or_(col(EscalationRow.reason).in_(FIRST), col(EscalationRow.priority) == "urgent"), 0),
        (col(EscalationRow.reason).in_(SECOND), 1),
        else_=2,
    )
    # First the order alone, from as few columns as it needs (each figure worked
    # out once per row: ORDER BY names the labels), then the page's rows in full.
    weight = (days * total).label("weight")
    rank_group = group.label("rank_group")
    ordered = (
        joined.with_only_columns(
            col(EscalationRow.id),
            rank_group,
            weight,
            col(EscalationRow.created_at),
        )
        .order_by(rank_group, weight.desc(), col(EscalationRow.created_at), col(EscalationRow.id))
        .offset(offset)
    )
    if limit is not None:
        ordered = ordered.limit(limit)
    page = (await session.execute(ordered)).all()
    # Counted apart: a window count(*) OVER () in the ordering query made SQLite
    # materialize every row first and doubled its time (10,000 open: 225 -> 108 ms
    # under load). A first page shorter than the limit is the whole count.
    if offset == 0 and (limit is None or len(page) < limit):
        matching = len(page)
    else:
        matching = int(await session.scalar(joined.with_only_columns(func.count())) or 0)
    if not page:
        return QueuePage([], matching, offset)
    ids = [row.id for row in page]
    query = joined.with_only_columns(
        col(EscalationRow.id),
        col(EscalationRow.ticket),
        col(EscalationRow.conversation_id),
        col(EscalationRow.account_id),
        col(EscalationRow.reason),
        col(EscalationRow.priority),
        col(EscalationRow.status),
        col(EscalationRow.owner),
        col(EscalationRow.created_at),
        col(EscalationRow.closed_at),
        col(AccountRow.borrower_name),
        col(AccountRow.currency),
        locale.label("locale"),
        days.label("days"),
        total.label("total"),
    ).where(col(EscalationRow.id).in_(ids))
    found = {row.id: row for row in (await session.execute(query)).all()}
    sla = _SlaMinutes(policy)
    items = [_item(found[i], sla(found[i].reason, found[i].status), now) for i in ids if i in found]
    return QueuePage(items, matching, offset)


def _days_past_due(session: AsyncSession, today: dict[str | None, date], now: datetime) -> Any:
    """Days past due as SQL: today's date in the account's zone (a handful of zones,
    each worked out here) less the due date, never below zero."""
    due = col(AccountRow.due_date)
    zone = col(AccountRow.timezone)
    utc_today = now.astimezone(UTC).date()
    local = (
        sql_case(
            *((zone == name, literal(day)) for name, day in today.items() if name),
            else_=literal(utc_today),
        )
        if any(today)
        else literal(utc_today)
    )
    if session.get_bind().dialect.name == "sqlite":
        difference = cast(func.julianday(local) - func.julianday(due), Integer)
        return func.coalesce(func.max(difference, 0), 0)
    return func.coalesce(func.greatest(local - due, 0), 0)


class _SlaMinutes:
    """The policy's time for a row: first response while open, resolution once taken
    (looked up once per reason, not once per row)."""

    def __init__(self, policy: Policy) -> None:
        self._policy = policy
        self._known: dict[tuple[str, bool], int] = {}

    def __call__(self, reason: str, status: str) -> int:
        key = (reason, status == "open")
        if key not in self._known:
            times = self._policy.response_times(reason)
            self._known[key] = times.first_response_minutes if key[1] else times.resolution_minutes
        return self._known[key]


def _group(reason: str, priority: str) -> int:
    """Crisis (or anything urgent) first, then complaints and locks, then the rest."""
    if reason in FIRST or priority == "urgent":
        return 0
    return 1 if reason in SECOND else 2


def _item(row: Any, sla_minutes: int, now: datetime) -> QueueItem:
    opened = as_utc(row.created_at)
    end = as_utc(row.closed_at) if row.closed_at else now
    return QueueItem(
        ticket=row.ticket,
        conversation_id=row.conversation_id,
        account_id=row.account_id,
        reason=row.reason,
        priority=row.priority,
        locale=row.locale,
        opened_at=opened,
        status=row.status,
        owner=person_of(row.owner),
        days_past_due=int(row.days or 0),
        amount_due=Decimal(row.total or 0),
        currency=row.currency or "",
        borrower_name=row.borrower_name or "",
        sla_minutes=sla_minutes,
        waited_minutes=max(0, int((end - opened) / timedelta(minutes=1))),
    )


def _today(zone: str | None, now: datetime) -> date:
    try:
        return now.astimezone(ZoneInfo(zone or "UTC")).date()
    except (ZoneInfoNotFoundError, ValueError):
        return now.date()


async def escalation(session: AsyncSession, ticket: str) -> EscalationRow | None:
    found = await session.execute(select(EscalationRow).where(col(EscalationRow.ticket) == ticket))
    return found.scalars().first()


# ---- one conversation ----


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
