"""One single-use link per account not linked yet, for a whole portfolio.

The lender sends the first link through its own SMS or e-mail system; this writes
the file it reads. Accounts are read in keyset batches and each batch's tokens
are inserted in one statement and written out once committed, so 100,000 accounts
hold one batch in memory and a link is never printed that the database does not
have (a crash mid-way leaves the printed links working, the rest not made).
"""

from __future__ import annotations

import csv
import json
import secrets
from datetime import datetime, timedelta
from typing import Literal, TextIO

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.service.linking import hash_token
from bot.service.progress import Progress, silent
from bot.store.tables import AccountRow, ChannelLinkRow, LinkTokenRow, table_of

Format = Literal["csv", "jsonl"]
BATCH = 5000
COLUMNS = ("account_id", "link", "expires_at")

_ACCOUNTS = table_of(AccountRow).c
_LINKS = table_of(ChannelLinkRow).c
_TOKENS = table_of(LinkTokenRow)


async def create_unlinked_links(
    sessions: async_sessionmaker[AsyncSession],
    *,
    username: str,
    channel: str,
    now: datetime,
    valid_days: int,
    fmt: Format,
    out: TextIO,
    progress: Progress = silent,
) -> int:
    """Write `account_id, link, expires_at` for each account with no link on `channel`;
    `progress` hears the links written against the accounts that had none."""
    expires = now + timedelta(days=valid_days)
    writer = csv.writer(out) if fmt == "csv" else None
    if writer is not None:
        writer.writerow(COLUMNS)
    linked = select(_LINKS.account_id).where(_LINKS.channel == channel)
    total = None
    if progress is not silent:
        async with sessions() as session:
            unlinked = select(func.count()).where(_ACCOUNTS.account_id.not_in(linked))
            total = int((await session.execute(unlinked)).scalar_one())
        progress(0, total)
    after = ""
    written = 0
    while True:
        async with sessions() as session, session.begin():
            batch = list(
                (
                    await session.execute(
                        select(_ACCOUNTS.account_id)
                        .where(_ACCOUNTS.account_id > after)
                        .where(_ACCOUNTS.account_id.not_in(linked))
                        .order_by(_ACCOUNTS.account_id)
                        .limit(BATCH)
                    )
                ).scalars()
            )
            if not batch:
                return written
            tokens = [secrets.token_urlsafe(24) for _ in batch]
            await session.execute(
                insert(_TOKENS),
                [
                    {
                        "token_hash": hash_token(token),
                        "account_id": account_id,
                        "expires_at": expires,
                        "used_at": None,
                        "used_by": None,
                        "created_at": now,
                    }
                    for account_id, token in zip(batch, tokens, strict=True)
                ],
            )
        # Committed: these links work now.
        shown_expiry = expires.isoformat()
        for account_id, token in zip(batch, tokens, strict=True):
            url = f"https://t.me/{username}?start={token}"
            if writer is not None:
                writer.writerow((account_id, url, shown_expiry))
            else:
                out.write(
                    json.dumps({"account_id": account_id, "link": url, "expires_at": shown_expiry})
                    + "\n"
                )
        written += len(batch)
        progress(written, total)
        after = batch[-1]
