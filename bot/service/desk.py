"""What the agents' console and the CRM API read: the queue and one conversation.

Reads only. Every change goes through `Runtime.on_agent`; these queries give a
person what they need to decide, ordered as collection worklists are: crisis
first, then complaints and verification locks, then days past due × amount.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.domain.policy import Policy
from bot.service.desk_transcript import Line as Line
from bot.service.desk_transcript import transcript as transcript
from bot.service.escalations import FIRST as FIRST
from bot.service.escalations import SECOND as SECOND
from bot.service.verification import VerificationState
from bot.service.worklist import NOT_CLOSED, local_today
from bot.store.db import as_utc
from bot.store.repositories import read_account
from bot.store.tables import (
    AccountRow,
    ArrangementRow,
    ChargeRow,
    ConversationRow,
    DisputeRow,
    EscalationRow,
    EscalationTicketRow,
)

STATUSES = ("open", "taken", "closed")
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


async def queue(
    session: AsyncSession, policy: Policy, now: datetime, which: QueueFilter = QueueFilter()
) -> list[QueueItem]:
    """Every escalation that matches, in worklist order (the CRM API's list)."""
    return (await queue_page(session, policy, now, which)).items


def _statuses(statuses: tuple[str, ...]) -> Any:
    """The status filter, written so that the worklist's partial index (cases not
    closed) serves the open and taken ones: its own condition, then the narrowing."""
    wanted = set(statuses)
    if wanted == {"open", "taken"}:
        return NOT_CLOSED
    if wanted <= {"open", "taken"}:
        return and_(NOT_CLOSED, col(EscalationRow.status).in_(sorted(wanted)))
    return col(EscalationRow.status).in_(sorted(wanted))


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

    The order is the key each case keeps (bot/service/worklist.py: its group, then
    days past due × what may be collected, then the oldest), so the database walks
    `ix_escalations_worklist` and stops at the page's last row: 10,000 open cases
    cost what 50 do. Only the page's rows are read in full."""
    locale = func.coalesce(col(ConversationRow.locale), col(AccountRow.locale), literal("en"))
    joined = select(col(EscalationRow.id)).where(_statuses(which.statuses))
    if which.reason:
        joined = joined.where(col(EscalationRow.reason) == which.reason)
    if which.owner == "queue":
        joined = joined.where(col(EscalationRow.owner) == "queue")
    elif which.owner:
        joined = joined.where(col(EscalationRow.owner) == f"agent:{which.owner}")
    if which.locale:
        joined = (
            joined.outerjoin(
                AccountRow, col(AccountRow.account_id) == col(EscalationRow.account_id)
            )
            .outerjoin(
                ConversationRow, col(ConversationRow.id) == col(EscalationRow.conversation_id)
            )
            .where(locale == which.locale)
        )
    ordered = joined.order_by(
        col(EscalationRow.rank_group),
        col(EscalationRow.weight).desc(),
        col(EscalationRow.created_at),
        col(EscalationRow.id),
    ).offset(offset)
    if limit is not None:
        ordered = ordered.limit(limit)
    ids = list((await session.execute(ordered)).scalars())
    # Counted apart, and not at all when a first page is shorter than the limit.
    if offset == 0 and (limit is None or len(ids) < limit):
        matching = len(ids)
    else:
        matching = int(await session.scalar(joined.with_only_columns(func.count())) or 0)
    if not ids:
        return QueuePage([], matching, offset)
    query = (
        select(
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
            col(EscalationRow.amount_due),
            col(AccountRow.borrower_name),
            col(AccountRow.currency),
            col(AccountRow.timezone),
            col(AccountRow.due_date),
            locale.label("locale"),
        )
        .outerjoin(AccountRow, col(AccountRow.account_id) == col(EscalationRow.account_id))
        .outerjoin(ConversationRow, col(ConversationRow.id) == col(EscalationRow.conversation_id))
        .where(col(EscalationRow.id).in_(ids))
    )
    found = {row.id: row for row in (await session.execute(query)).all()}
    sla = _SlaMinutes(policy)
    items = [_item(found[i], sla(found[i].reason, found[i].status), now) for i in ids if i in found]
    return QueuePage(items, matching, offset)


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


def _item(row: Any, sla_minutes: int, now: datetime) -> QueueItem:
    opened = as_utc(row.created_at)
    end = as_utc(row.closed_at) if row.closed_at else now
    due = row.due_date
    # A closed case's figures are those of its close, as its kept amount is (worklist.py).
    days = max(0, (local_today(row.timezone, end) - due).days) if due is not None else 0
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
        days_past_due=days,
        amount_due=Decimal(row.amount_due or 0),
        currency=row.currency or "",
        borrower_name=row.borrower_name or "",
        sla_minutes=sla_minutes,
        waited_minutes=max(0, int((end - opened) / timedelta(minutes=1))),
    )


async def escalation(session: AsyncSession, ticket: str) -> EscalationRow | None:
    """The case by any ticket the borrower was given: the one it shows, or one of a
    request added to it (escalation_tickets)."""
    found = await session.execute(select(EscalationRow).where(col(EscalationRow.ticket) == ticket))
    row = found.scalars().first()
    if row is not None:
        return row
    folded = select(col(EscalationTicketRow.escalation_id)).where(
        col(EscalationTicketRow.ticket) == ticket
    )
    found = await session.execute(select(EscalationRow).where(col(EscalationRow.id).in_(folded)))
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


async def case_state(session: AsyncSession, conversation_id: int) -> Case | None:
    """The conversation and its cases, newest first: what the page's header shows
    (holder, status), without the account."""
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
    return Case(conversation, escalations)


async def case(
    session: AsyncSession, policy: Policy, conversation_id: int, now: datetime
) -> Case | None:
    found = await case_state(session, conversation_id)
    if found is None:
        return None
    conversation = found.conversation
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
