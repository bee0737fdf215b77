"""Tie a chat user to an account: a one-time deep link, or their own phone number.

Tokens are random, single-use and expiring, and only their SHA-256 is stored,
so a database leak gives no working links. Linking proves nothing about who
is typing: identity verification (R5) still follows in the conversation.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.store.db import as_utc
from bot.store.tables import AccountRow, ChannelLinkRow, LinkTokenRow


class LinkOutcome(StrEnum):
    LINKED = "linked"
    UNKNOWN = "unknown"  # no such token, or no account with that phone
    USED = "used"
    EXPIRED = "expired"
    NOT_OWN_CONTACT = "not_own_contact"
    AMBIGUOUS = "ambiguous"  # several accounts share the phone: a person must link


@dataclass(frozen=True)
class LinkResult:
    outcome: LinkOutcome
    account_id: str | None = None


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def create_link_token(
    session: AsyncSession, *, account_id: str, now: datetime, valid_days: int
) -> str:
    """A new single-use token; the caller shows it once (in a t.me deep link)."""
    if await session.get(AccountRow, account_id) is None:
        raise LookupError(account_id)
    token = secrets.token_urlsafe(24)  # 32 URL-safe chars: fits /start's 64-char payload
    session.add(
        LinkTokenRow(
            token_hash=hash_token(token),
            account_id=account_id,
            expires_at=now + timedelta(days=valid_days),
            created_at=now,
        )
    )
    return token


async def redeem_token(
    session: AsyncSession, *, token: str, channel: str, user_key: str, now: datetime
) -> LinkResult:
    if not token or len(token) > 64:
        return LinkResult(LinkOutcome.UNKNOWN)
    row = await session.get(LinkTokenRow, hash_token(token), with_for_update=True)
    if row is None:
        return LinkResult(LinkOutcome.UNKNOWN)
    if row.used_at is not None:
        return LinkResult(LinkOutcome.USED)
    if as_utc(row.expires_at) <= now:
        return LinkResult(LinkOutcome.EXPIRED)
    row.used_at = now
    await _link(
        session, channel=channel, user_key=user_key, account_id=row.account_id, via="token", now=now
    )
    return LinkResult(LinkOutcome.LINKED, row.account_id)


def normalize_phone(phone: str) -> str:
    """Telegram sends contacts' numbers with or without '+'; accounts hold E.164."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    return f"+{digits}" if digits else ""


async def link_by_contact(
    session: AsyncSession,
    *,
    phone: str,
    contact_user_id: int | None,
    sender_id: int,
    channel: str,
    now: datetime,
) -> LinkResult:
    """Accept only the sender's own contact: someone else's number proves nothing."""
    if contact_user_id is None or contact_user_id != sender_id:
        return LinkResult(LinkOutcome.NOT_OWN_CONTACT)
    wanted = normalize_phone(phone)
    if not wanted:
        return LinkResult(LinkOutcome.UNKNOWN)
    query = select(col(AccountRow.account_id)).where(col(AccountRow.phone) == wanted)
    matches = list((await session.execute(query)).scalars())
    if not matches:
        return LinkResult(LinkOutcome.UNKNOWN)
    if len(matches) > 1:
        return LinkResult(LinkOutcome.AMBIGUOUS)
    await _link(
        session,
        channel=channel,
        user_key=str(sender_id),
        account_id=matches[0],
        via="contact",
        now=now,
    )
    return LinkResult(LinkOutcome.LINKED, matches[0])


async def linked_account(session: AsyncSession, *, channel: str, user_key: str) -> str | None:
    row = await session.get(ChannelLinkRow, (channel, user_key))
    return row.account_id if row is not None else None


async def _link(
    session: AsyncSession, *, channel: str, user_key: str, account_id: str, via: str, now: datetime
) -> None:
    row = await session.get(ChannelLinkRow, (channel, user_key))
    if row is None:
        session.add(
            ChannelLinkRow(
                channel=channel,
                user_key=user_key,
                account_id=account_id,
                linked_via=via,
                linked_at=now,
            )
        )
    else:
        row.account_id = account_id
        row.linked_via = via
        row.linked_at = now
