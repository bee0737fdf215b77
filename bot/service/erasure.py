"""Erase a borrower's personal data on a valid request, once the duty to keep it ends (R18).

What goes: their name, phone and birth date, every message in and out (transcript,
outbox, inbox, parked updates), the chat and user ids that tie them to Telegram
(conversations, links, link tokens), their own words kept elsewhere (a dispute's
reason, an escalation's note, an audit line's before and after). What stays, with
no one in it: the account row under the lender's id (marked erased and never
contacted again), its charges, arrangements' amounts and dates, payments, and the
outcomes the lender reports on; and an audit line saying who erased it, when and why.

The retention job (bot.service.retention) lets accounts go the same way when
their duty has ended.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, or_, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.records import years_after
from bot.service.audit import record
from bot.service.escalations import forget_notes
from bot.store.db import as_utc
from bot.store.tables import (
    AccountRow,
    ArrangementRequestRow,
    ArrangementRow,
    AuditRow,
    ChannelLinkRow,
    ConversationRow,
    DisputeRow,
    FailedUpdateRow,
    InboxRow,
    LinkTokenRow,
    OutboxRow,
    PaymentRow,
    TranscriptRow,
    table_of,
)

ERASED_BIRTH_DATE = date(1900, 1, 1)  # the column is required; this says nothing of anyone
SCAN_BATCH = 2000

A = table_of(AccountRow).c
C = table_of(ConversationRow).c
T = table_of(TranscriptRow).c
R = table_of(ArrangementRow).c
P = table_of(PaymentRow).c


class ErasureRefused(Exception):
    """Why nothing was erased, in one line for the operator."""


@dataclass(frozen=True)
class Erased:
    account_id: str
    messages: int
    conversations: int


async def last_activity(session: AsyncSession, account_id: str) -> datetime | None:
    """The account's last activity the duty runs from; None when there is no account."""
    account = await session.get(AccountRow, account_id)
    if account is None:
        return None
    moments: list[datetime] = [as_utc(account.updated_at)]
    for query in (
        select(func.max(T.created_at)).where(T.account_id == account_id),
        select(func.max(C.updated_at)).where(C.account_id == account_id),
        select(func.max(R.created_at)).where(R.account_id == account_id),
        select(func.max(R.ended_at)).where(R.account_id == account_id),
        select(func.max(P.imported_at)).where(P.account_id == account_id),
    ):
        found = (await session.execute(query)).scalar_one_or_none()
        if isinstance(found, datetime):
            moments.append(as_utc(found))
    return max(moments)


async def erase_account(
    session: AsyncSession,
    account_id: str,
    *,
    now: datetime,
    keep_years: int,
    reason: str,
    actor: str,
) -> Erased:
    """Erase in the caller's transaction, or refuse (ErasureRefused) changing nothing."""
    reason = " ".join(reason.split())
    if not reason:
        raise ErasureRefused("Give the request's reason (--reason): the audit keeps it.")
    last = await last_activity(session, account_id)
    if last is None:
        raise ErasureRefused(f"No account {account_id!r}.")
    account = await session.get(AccountRow, account_id)
    assert account is not None  # noqa: S101 - last_activity found it
    if account.erased_at is not None:
        raise ErasureRefused(f"Account {account_id} was erased already.")
    duty_ends = years_after(last, keep_years)
    if now < duty_ends:
        raise ErasureRefused(
            f"Account {account_id} cannot be erased before {duty_ends.date().isoformat()}: "
            f"the lender must keep its records {keep_years} years after its last activity "
            f"({last.date().isoformat()}). Nothing was erased."
        )
    erased = await let_go(session, account_id, now=now)
    record(
        session,
        actor=actor,
        action="account_erased",
        now=now,
        target=account_id,
        after={
            "reason": reason[:200],
            "messages": erased.messages,
            "conversations": erased.conversations,
            "last_activity": last.date().isoformat(),
        },
    )
    return erased


async def let_go(session: AsyncSession, account_id: str, *, now: datetime) -> Erased:
    """Remove the borrower from every table; keep the figures (no checks: callers do)."""
    account = await session.get(AccountRow, account_id)
    assert account is not None  # noqa: S101 - callers looked it up
    conversations = list(
        (
            await session.execute(
                select(C.id, C.chat_key, C.user_key).where(C.account_id == account_id)
            )
        ).all()
    )
    conversation_ids = [int(row.id) for row in conversations]
    chats = {str(row.chat_key) for row in conversations}
    users = {str(row.user_key) for row in conversations if row.user_key}
    links = table_of(ChannelLinkRow).c
    users |= set(
        (await session.execute(select(links.user_key).where(links.account_id == account_id)))
        .scalars()
        .all()
    )
    words = [
        str(text)
        for text in (
            await session.execute(
                select(T.text).where(
                    or_(T.account_id == account_id, T.conversation_id.in_(conversation_ids))
                )
            )
        ).scalars()
    ]
    needles = _needles(account, chats | users, words)

    messages = await session.execute(
        delete(TranscriptRow).where(
            or_(T.account_id == account_id, T.conversation_id.in_(conversation_ids))
        )
    )
    await session.execute(
        delete(OutboxRow).where(table_of(OutboxRow).c.conversation_id.in_(conversation_ids))
    )
    failed = table_of(FailedUpdateRow).c
    await session.execute(delete(FailedUpdateRow).where(failed.chat_key.in_(chats)))
    await session.execute(delete(ChannelLinkRow).where(links.account_id == account_id))
    await session.execute(
        delete(LinkTokenRow).where(table_of(LinkTokenRow).c.account_id == account_id)
    )
    for conversation_id in conversation_ids:
        await session.execute(
            update(ConversationRow)
            .where(C.id == conversation_id)
            .values(
                chat_key=f"erased:{conversation_id}",
                user_key=None,
                vars={},
                choices=[],
                ended=True,
                updated_at=now,
            )
        )
    await session.execute(
        update(DisputeRow).where(table_of(DisputeRow).c.account_id == account_id).values(reason="")
    )
    requests = table_of(ArrangementRequestRow).c  # why they asked: their words (R18)
    await session.execute(
        update(ArrangementRequestRow).where(requests.account_id == account_id).values(reason="")
    )
    await forget_notes(session, account_id=account_id)
    await _sweep_inbox(session, needles)
    await _sweep_audit(session, needles, account_id)
    account.borrower_name = ""
    account.phone = ""
    account.birth_date = ERASED_BIRTH_DATE
    account.quiet_windows = None
    account.opted_out = True
    account.unreachable = True
    account.erased_at = now
    account.updated_at = now
    await session.flush()
    return Erased(account_id, int(getattr(messages, "rowcount", 0) or 0), len(conversation_ids))


def _needles(account: AccountRow, ids: set[str], words: list[str]) -> re.Pattern[str]:
    """What identifies the borrower in a stored JSON or text: their name, phone (with or
    without its +), birth date, chat and user ids (as whole numbers), their words."""
    parts = [re.escape(account.borrower_name)] if account.borrower_name else []
    digits = "".join(ch for ch in account.phone if ch.isdigit())
    if digits:
        parts.append(rf"(?<!\d){re.escape(digits)}(?!\d)")
    parts.append(re.escape(account.birth_date.isoformat()))
    parts += [rf"(?<![\w:]){re.escape(i)}(?!\w)" for i in ids if i]
    parts += [re.escape(w) for w in words if len(w.strip()) >= 4]
    return re.compile("|".join(parts)) if parts else re.compile(r"(?!)")


def _mentions(value: Any, needles: re.Pattern[str]) -> bool:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return needles.search(text) is not None


async def _sweep_inbox(session: AsyncSession, needles: re.Pattern[str]) -> None:
    """The inbox keeps Telegram's updates as they came: those of this borrower go."""
    inbox = table_of(InboxRow).c
    after: tuple[str, str] = ("", "")
    while True:
        rows = (
            await session.execute(
                select(inbox.channel, inbox.update_key, inbox.payload)
                .where(tuple_(inbox.channel, inbox.update_key) > tuple_(*after))
                .order_by(inbox.channel, inbox.update_key)
                .limit(SCAN_BATCH)
            )
        ).all()
        if not rows:
            return
        for row in rows:
            if _mentions(row.payload, needles):
                await session.execute(
                    delete(InboxRow).where(
                        inbox.channel == row.channel, inbox.update_key == row.update_key
                    )
                )
        after = (str(rows[-1].channel), str(rows[-1].update_key))


async def _sweep_audit(session: AsyncSession, needles: re.Pattern[str], account_id: str) -> None:
    """Audit lines keep who did what and when; a before or after naming them is emptied."""
    audit = table_of(AuditRow).c
    last = 0
    while True:
        rows = (
            await session.execute(
                select(audit.id, audit.before, audit.after)
                .where(audit.id > last)
                .order_by(audit.id)
                .limit(SCAN_BATCH)
            )
        ).all()
        if not rows:
            return
        for row in rows:
            if _mentions([row.before, row.after], needles):
                await session.execute(
                    update(AuditRow)
                    .where(audit.id == row.id)
                    .values(before=None, after={"erased": account_id})
                )
        last = int(rows[-1].id)
