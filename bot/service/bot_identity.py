"""The bot's Telegram username, asked of Telegram once and kept in the database.

`repaybot link` prints a t.me link naming the bot. Asking Telegram each time meant
loading a framework (most of six seconds); now `repaybot telegram` writes the name
when it starts, and a link printed before the bot ever ran asks getMe once over a
plain HTTPS request and keeps the answer. The key is a hash of the token, so a
new token (a new bot) is asked again, and the token itself is never stored.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import urllib.error
import urllib.request
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.telegram.api import TokenRejected
from bot.errors import Unavailable
from bot.store.tables import BotFactRow, table_of

_FACTS = table_of(BotFactRow)
ASK_TIMEOUT = 10.0  # seconds


def token_key(token: str) -> str:
    """Where a token's facts are kept: a hash of it, never the token."""
    return hashlib.sha256(token.encode()).hexdigest()[:32]


def _username_key(token: str) -> str:
    return f"telegram_username:{token_key(token)}"


async def known_username(session: AsyncSession, token: str) -> str | None:
    found = await session.execute(
        select(_FACTS.c.value).where(_FACTS.c.key == _username_key(token))
    )
    return found.scalar_one_or_none()


async def remember_username(
    session: AsyncSession, token: str, username: str, now: datetime
) -> None:
    """Keep the name (idempotent: a second process writing the same is harmless)."""
    key = _username_key(token)
    changed = await session.execute(
        update(_FACTS).where(_FACTS.c.key == key).values(value=username, updated_at=now)
    )
    if not getattr(changed, "rowcount", 0):
        session.add(BotFactRow(key=key, value=username, updated_at=now))


async def ask_username(token: str, api_url: str) -> str:
    """getMe over one plain HTTPS request (no framework imported for it)."""
    url = f"{api_url.rstrip('/')}/bot{token}/getMe"
    return await asyncio.to_thread(_get_me, url)


def _get_me(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=ASK_TIMEOUT) as answer:  # noqa: S310 - our API URL
            body = json.loads(answer.read())
    except urllib.error.HTTPError as error:
        if error.code in (401, 404):
            raise TokenRejected("getMe: the token is not known") from None
        raise Unavailable(f"getMe answered {error.code}") from None
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise Unavailable(type(error).__name__) from None
    username = (body.get("result") or {}).get("username") if isinstance(body, dict) else None
    if not isinstance(username, str) or not username:
        raise Unavailable("getMe gave no username")
    return username
