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

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.store.tables import AccountRow, ChannelLinkRow, LinkTokenRow, table_of

_link_columns = table_of(ChannelLinkRow).c
_LINKED = (
    select(_link_columns.account_id)
    .where(_link_columns.channel == bindparam("channel"))
    .where(_link_columns.user_key == bindparam("user_key"))
)


class LinkOutcome(StrEnum):
    LINKED = "linked"
    ALREADY_YOURS = "already_yours"  # the link this user redeemed before: back to their chat
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
    """Redeem a link once: one conditional UPDATE, so of several users racing for the
    same link exactly one wins, on every database. The winner tapping it again is
    taken back to their conversation, not told the link is invalid."""
    if not token or len(token) > 64:
        return LinkResult(LinkOutcome.UNKNOWN)
    digest = hash_token(token)
    redeemer = f"{channel}:{user_key}"
    won = await session.execute(
        update(LinkTokenRow)
        .where(col(LinkTokenRow.token_hash) == digest)
        .where(col(LinkTokenRow.used_at).is_(None))
        .where(col(LinkTokenRow.expires_at) > now)
        .values(used_at=now, used_by=redeemer)
        .execution_options(synchronize_session=False)
    )
    row = await session.get(LinkTokenRow, digest, populate_existing=True)
    if row is None:
        return LinkResult(LinkOutcome.UNKNOWN)
    if int(getattr(won, "rowcount", 0) or 0) == 1:
        await _link(
            session,
            channel=channel,
            user_key=user_key,
            account_id=row.account_id,
            via="token",
            now=now,
        )
        return LinkResult(LinkOutcome.LINKED, row.account_id)
    if row.used_at is not None:
        if row.used_by == redeemer:
            return LinkResult(LinkOutcome.ALREADY_YOURS, row.account_id)
        return LinkResult(LinkOutcome.USED)
    return LinkResult(LinkOutcome.EXPIRED)


def normalize_phone(phone: str) -> str:
    """Telegram sends contacts' numbers with or without '+'; accounts hold E.164."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    return f"+{digits}" if digits else ""


async def link_by_contact(
    session: AsyncSession,
    *,
    phone: str,
    contact_user_id: str | int | None,
    sender_id: str | int,
    channel: str,
    now: datetime,
) -> LinkResult:
    """Accept only the sender's own contact: someone else's number proves nothing."""
    if contact_user_id is None or str(contact_user_id) != str(sender_id):
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
    """The account the chat's user is linked to, if any. Asked on every message, so a
    prebuilt Core query rather than an ORM load (about a fourteenth of the bot's CPU).
    The session flushes first, as before any query: a link made in this transaction counts."""
    found = await session.execute(_LINKED, {"channel": channel, "user_key": user_key})
    return found.scalar_one_or_none()


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


async def link_directly(
    session: AsyncSession, *, channel: str, user_key: str, account_id: str, now: datetime
) -> bool:
    """Link without a token, for channels whose user is already known to be the
    lender's operator (the terminal). False when there is no such account."""
    if await session.get(AccountRow, account_id) is None:
        return False
    await _link(
        session, channel=channel, user_key=user_key, account_id=account_id, via=channel, now=now
    )
    return True
