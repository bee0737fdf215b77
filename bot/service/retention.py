"""The retention job (R17): what is older than the lender's duty is let go.

Run by `repaybot retention run [--dry-run]` and on the clock inside `repaybot
telegram` (bot.service.periodic). The duty is the policy's `records.keep_years`
(3 by default), counted back from now:

- an account with no activity since (no message, arrangement, payment or change
  by the lender) is let go as an erasure would (bot.service.erasure.let_go): its
  personal data and messages go, its figures stay;
- of every other account, messages, queued and parked updates, link tokens and
  console sessions older than that go; old conversations keep their state but
  not their variables; closed disputes and escalations keep their outcome but not
  the borrower's words; old audit lines keep who did what, not before and after.

Kept whatever their age: arrangements' amounts and dates, payments, charges,
escalations' reasons and outcomes, account events: what the lender must report.
Each step is one statement (accounts: one transaction each), so a job cut short
is simply run again; a dry run counts the same rows and changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Text, cast, delete, exists, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.records import years_before
from bot.service.audit import record
from bot.service.erasure import let_go
from bot.service.escalations import forget_notes
from bot.store.tables import (
    AccountRow,
    ArrangementRow,
    AuditRow,
    ConsoleSessionRow,
    ConversationRow,
    DisputeRow,
    FailedUpdateRow,
    InboxRow,
    LinkTokenRow,
    OutboxRow,
    PaymentRow,
    ProcessedUpdateRow,
    SignInThrottleRow,
    TranscriptRow,
    table_of,
)

if TYPE_CHECKING:
    from bot.service.runtime import Runtime

log = logging.getLogger(__name__)

A = table_of(AccountRow).c
C = table_of(ConversationRow).c
T = table_of(TranscriptRow).c
O = table_of(OutboxRow).c  # noqa: E741
ACTOR = "retention"
BATCH = 500


def _dormant(cutoff: datetime) -> Any:
    """Accounts not erased whose last activity is older than `cutoff`."""
    arrangements = table_of(ArrangementRow).c
    payments = table_of(PaymentRow).c
    return (
        select(A.account_id)
        .where(A.erased_at.is_(None), A.updated_at < cutoff)
        .where(~exists().where(T.account_id == A.account_id, T.created_at >= cutoff))
        .where(~exists().where(C.account_id == A.account_id, C.updated_at >= cutoff))
        .where(
            ~exists().where(
                arrangements.account_id == A.account_id,
                or_(arrangements.created_at >= cutoff, arrangements.ended_at >= cutoff),
            )
        )
        .where(~exists().where(payments.account_id == A.account_id, payments.imported_at >= cutoff))
        .order_by(A.account_id)
    )


def _old_rows(cutoff: datetime) -> Sequence[tuple[str, Any, Any]]:
    """(what, the rows' table, their condition) of each purge step after the accounts."""
    inbox = table_of(InboxRow).c
    failed = table_of(FailedUpdateRow).c
    processed = table_of(ProcessedUpdateRow).c
    tokens = table_of(LinkTokenRow).c
    console = table_of(ConsoleSessionRow).c
    throttle = table_of(SignInThrottleRow).c
    return (
        ("messages", table_of(TranscriptRow), T.created_at < cutoff),
        (
            "outbox",
            table_of(OutboxRow),
            (O.created_at < cutoff) & O.status.in_(("sent", "failed", "dead")),
        ),
        ("inbox", table_of(InboxRow), (inbox.received_at < cutoff) & inbox.handled_at.is_not(None)),
        ("parked updates", table_of(FailedUpdateRow), failed.failed_at < cutoff),
        ("update ids", table_of(ProcessedUpdateRow), processed.processed_at < cutoff),
        ("link tokens", table_of(LinkTokenRow), tokens.created_at < cutoff),
        ("console sessions", table_of(ConsoleSessionRow), console.last_seen_at < cutoff),
        ("sign-in throttles", table_of(SignInThrottleRow), throttle.updated_at < cutoff),
    )


def _said(column: Any, empty: str) -> Any:
    """A JSON column that holds more than `empty` (SQL NULL and JSON null say nothing)."""
    text = cast(column, Text)
    return column.is_not(None) & (text != empty) & (text != "null")


def _old_words(cutoff: datetime) -> Sequence[tuple[str, Any, Any, dict[str, Any]]]:
    """(what, table, condition, the values that empty it) of rows kept without their words."""
    disputes = table_of(DisputeRow).c
    audit = table_of(AuditRow).c
    return (
        (
            "conversation variables",
            table_of(ConversationRow),
            (C.updated_at < cutoff) & (_said(C.vars, "{}") | _said(C.choices, "[]")),
            {"vars": {}, "choices": []},
        ),
        (
            "dispute reasons",
            table_of(DisputeRow),
            (disputes.created_at < cutoff) & (disputes.status != "open") & (disputes.reason != ""),
            {"reason": ""},
        ),
        (
            "audit details",
            table_of(AuditRow),
            (audit.created_at < cutoff)
            & (_said(audit.before, "null") | _said(audit.after, "null"))
            & (audit.action != "account_erased"),
            {"before": None, "after": None},
        ),
    )


async def purge(
    sessions: async_sessionmaker[AsyncSession],
    *,
    now: datetime,
    keep_years: int,
    dry_run: bool = False,
) -> dict[str, int]:
    """Let go of what the duty no longer covers; how many of each (or would, dry)."""
    cutoff = years_before(now, keep_years)
    done: dict[str, int] = {"accounts": await _accounts(sessions, cutoff, now, dry_run)}
    for what, table, condition in _old_rows(cutoff):
        done[what] = await _step(sessions, table, condition, None, dry_run)
    for what, table, condition, values in _old_words(cutoff):
        done[what] = await _step(sessions, table, condition, values, dry_run)
    async with sessions() as session, session.begin():
        done["escalation notes"] = await forget_notes(
            session, closed_before=cutoff, dry_run=dry_run
        )
    if not dry_run and any(done.values()):
        log.info("retention: %s", ", ".join(f"{n} {what}" for what, n in done.items() if n))
    return done


async def _accounts(
    sessions: async_sessionmaker[AsyncSession], cutoff: datetime, now: datetime, dry_run: bool
) -> int:
    count = 0
    after = ""
    while True:
        async with sessions() as session:
            batch = list(
                (
                    await session.execute(_dormant(cutoff).where(A.account_id > after).limit(BATCH))
                ).scalars()
            )
        if not batch:
            return count
        after = batch[-1]
        if dry_run:
            count += len(batch)
            continue
        for account_id in batch:
            async with sessions() as session, session.begin():
                still = await session.execute(_dormant(cutoff).where(A.account_id == account_id))
                if still.first() is None:
                    continue  # it came back to life since the batch was read
                await let_go(session, account_id, now=now)
                record(
                    session,
                    actor=ACTOR,
                    action="account_erased",
                    now=now,
                    target=account_id,
                    after={
                        "reason": "retention duty ended",
                        "last_activity_before": cutoff.date().isoformat(),
                    },
                )
            count += 1


async def _step(
    sessions: async_sessionmaker[AsyncSession],
    table: Any,
    condition: Any,
    values: dict[str, Any] | None,
    dry_run: bool,
) -> int:
    async with sessions() as session, session.begin():
        if dry_run:
            counted = await session.execute(
                select(func.count()).select_from(table).where(condition)
            )
            return int(counted.scalar_one())
        if values is None:
            result = await session.execute(delete(table).where(condition))
        else:
            result = await session.execute(update(table).where(condition).values(**values))
        return int(getattr(result, "rowcount", 0) or 0)


async def retention_job(runtime: Runtime, now: datetime) -> int:
    """The periodic job: the policy's duty, as published last."""
    keep = runtime.registry.newest_policy().records.keep_years
    done = await purge(runtime.sessions, now=now, keep_years=keep)
    return sum(done.values())
