"""People who act on conversations: console users, API tokens, sessions, sign-in.

Passwords are hashed with argon2id; a session is a random id in an HttpOnly cookie
and only its SHA-256 is stored, so a database reader cannot sign in as anyone, and
a sign-out or an admin's revocation is refused on the very next request. Failed
sign-ins are counted per account name and per address in the database (a restart
does not reset them) and lock that name or address for a bounded, growing time.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.errors import RepaybotError
from bot.store.db import as_utc
from bot.store.tables import (
    ApiTokenRow,
    ConsoleSessionRow,
    ConsoleUserRow,
    SignInThrottleRow,
)

log = logging.getLogger(__name__)

SESSION_LIFETIME = timedelta(hours=12)
FREE_FAILURES = 5  # failures allowed before a lock starts
FIRST_LOCK = timedelta(seconds=30)  # doubled with each failure after, up to MAX_LOCK
MAX_LOCK = timedelta(minutes=15)
CONSOLE_LOCALES = ("en", "zh_Hans", "zh_Hant")
_hasher = PasswordHasher()
# Verified against when the name is unknown, so a wrong name costs the same time.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


class Role(StrEnum):
    """What a person may do; each role may do everything the ones before it may."""

    AGENT = "agent"
    SUPERVISOR = "supervisor"
    MANAGER = "manager"
    ADMIN = "admin"

    def at_least(self, other: Role) -> bool:
        return _RANK[self] >= _RANK[other]


_RANK = {Role.AGENT: 0, Role.SUPERVISOR: 1, Role.MANAGER: 2, Role.ADMIN: 3}


class PeopleError(RepaybotError):
    """A person or token that cannot be added as asked (a name taken, a bad role)."""


@dataclass(frozen=True)
class Person:
    """Who is acting: a signed-in console user or an API token's integration."""

    name: str
    role: Role
    locale: str = "en"
    user_id: int | None = None  # None for an API token
    session_hash: str | None = None
    csrf_token: str | None = None
    available: bool = True

    def may(self, role: Role) -> bool:
        return self.role.at_least(role)


@dataclass(frozen=True)
class SignedIn:
    session_id: str  # goes into the cookie, never stored
    person: Person


@dataclass(frozen=True)
class Refused:
    """A sign-in that did not succeed; `locked_for` when the name or address is locked."""

    locked_for: timedelta | None = None


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def check_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 64 or any(ch.isspace() or not ch.isprintable() for ch in name):
        raise PeopleError("a name is 1-64 printable characters without spaces")
    return name


def check_password(password: str) -> str:
    if len(password) < 10:
        raise PeopleError("a password needs at least 10 characters")
    return password


async def add_user(
    session: AsyncSession,
    *,
    name: str,
    role: Role,
    password: str,
    now: datetime,
    locale: str = "en",
) -> ConsoleUserRow:
    name = check_name(name)
    if locale not in CONSOLE_LOCALES:
        raise PeopleError(f"the console speaks {', '.join(CONSOLE_LOCALES)}")
    taken = await session.execute(
        select(col(ConsoleUserRow.id)).where(col(ConsoleUserRow.name) == name)
    )
    if taken.first() is not None:
        raise PeopleError(f"{name!r} exists already")
    row = ConsoleUserRow(
        name=name,
        role=role.value,
        password_hash=_hasher.hash(check_password(password)),
        locale=locale,
        created_at=now,
    )
    session.add(row)
    await session.flush()
    return row


async def set_password(session: AsyncSession, *, name: str, password: str) -> bool:
    """A new password for a person (the demo's account each run); False: no such name."""
    done = await session.execute(
        update(ConsoleUserRow)
        .where(col(ConsoleUserRow.name) == name)
        .values(password_hash=_hasher.hash(check_password(password)))
    )
    return int(getattr(done, "rowcount", 0) or 0) == 1


async def add_token(session: AsyncSession, *, name: str, role: Role, now: datetime) -> str:
    """A new API token for an integration; returned once, only its hash is kept."""
    token = "rbt_" + secrets.token_urlsafe(32)
    session.add(
        ApiTokenRow(
            token_hash=_digest(token), name=check_name(name), role=role.value, created_at=now
        )
    )
    await session.flush()
    return token


async def token_person(session: AsyncSession, token: str) -> Person | None:
    row = await session.get(ApiTokenRow, _digest(token))
    if row is None or row.revoked_at is not None:
        return None
    return Person(name=row.name, role=Role(row.role))


# ---- signing in ----


async def sign_in(
    session: AsyncSession, *, name: str, password: str, address: str, now: datetime
) -> SignedIn | Refused:
    """A new session for the right password, unless the name or address is locked.

    The log says who failed from where, never with what password."""
    keys = (("name", name[:96]), ("address", address[:96]))
    throttles = [await _throttle(session, scope, key, now) for scope, key in keys]
    locked = [
        as_utc(t.locked_until) - now
        for t in throttles
        if t.locked_until is not None and as_utc(t.locked_until) > now
    ]
    if locked:
        log.warning("sign-in refused while locked (address %s)", address)
        return Refused(locked_for=max(locked))
    user = (
        await session.execute(select(ConsoleUserRow).where(col(ConsoleUserRow.name) == name))
    ).scalar_one_or_none()
    if not _verify(user.password_hash if user else _DUMMY_HASH, password) or (
        user is None or user.disabled
    ):
        for throttle in throttles:
            _fail(throttle, now)
        log.warning("failed sign-in (address %s, failures %d)", address, throttles[0].failures)
        return Refused()
    throttles[0].failures, throttles[0].locked_until = 0, None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    session_id = secrets.token_urlsafe(32)
    stored = ConsoleSessionRow(
        id_hash=_digest(session_id),
        user_id=int(user.id or 0),
        csrf_token=secrets.token_urlsafe(32),
        address=address[:64],
        created_at=now,
        last_seen_at=now,
        expires_at=now + SESSION_LIFETIME,
    )
    session.add(stored)
    await session.flush()
    return SignedIn(session_id, _person(user, stored))


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _fail(throttle: SignInThrottleRow, now: datetime) -> None:
    throttle.failures += 1
    throttle.updated_at = now
    over = throttle.failures - FREE_FAILURES
    if over >= 0:
        throttle.locked_until = now + min(FIRST_LOCK * (2 ** min(over, 10)), MAX_LOCK)


async def _throttle(
    session: AsyncSession, scope: str, key: str, now: datetime
) -> SignInThrottleRow:
    # Two first failures at once must not collide on the key: insert-if-absent,
    # then read it locked (PostgreSQL; SQLite's BEGIN IMMEDIATE already serialises).
    insert = _INSERT_IF_ABSENT[session.get_bind().dialect.name]
    await session.execute(
        insert.values(scope=scope, key=key, failures=0, updated_at=now).on_conflict_do_nothing()
    )
    row = await session.get(SignInThrottleRow, (scope, key), with_for_update=True)
    assert row is not None  # noqa: S101 - inserted just above when missing
    return row


_INSERT_IF_ABSENT: dict[str, Any] = {
    "postgresql": postgresql_insert(SignInThrottleRow),
    "sqlite": sqlite_insert(SignInThrottleRow),
}


# ---- sessions ----


async def session_person(session: AsyncSession, session_id: str, now: datetime) -> Person | None:
    """The person behind a session cookie, or None: unknown, expired, revoked, disabled."""
    found = await session.execute(
        select(ConsoleSessionRow, ConsoleUserRow)
        .join(ConsoleUserRow, col(ConsoleUserRow.id) == col(ConsoleSessionRow.user_id))
        .where(col(ConsoleSessionRow.id_hash) == _digest(session_id))
    )
    row = found.one_or_none()
    if row is None:
        return None
    stored, user = row
    if stored.revoked_at is not None or as_utc(stored.expires_at) <= now or user.disabled:
        return None
    return _person(user, stored)


def _person(user: ConsoleUserRow, stored: ConsoleSessionRow) -> Person:
    return Person(
        name=user.name,
        role=Role(user.role),
        locale=user.locale,
        user_id=user.id,
        session_hash=stored.id_hash,
        csrf_token=stored.csrf_token,
        available=user.available,
    )


async def revoke_session(session: AsyncSession, id_hash: str, now: datetime) -> bool:
    done = await session.execute(
        update(ConsoleSessionRow)
        .where(col(ConsoleSessionRow.id_hash) == id_hash)
        .where(col(ConsoleSessionRow.revoked_at).is_(None))
        .values(revoked_at=now)
    )
    return int(getattr(done, "rowcount", 0) or 0) == 1


async def live_sessions(
    session: AsyncSession, now: datetime
) -> list[tuple[ConsoleSessionRow, str]]:
    """Sessions not revoked nor expired, newest first, with their user's name."""
    found = await session.execute(
        select(ConsoleSessionRow, col(ConsoleUserRow.name))
        .join(ConsoleUserRow, col(ConsoleUserRow.id) == col(ConsoleSessionRow.user_id))
        .where(col(ConsoleSessionRow.revoked_at).is_(None))
        .where(col(ConsoleSessionRow.expires_at) > now)
        .order_by(col(ConsoleSessionRow.created_at).desc())
    )
    return [(row, str(name)) for row, name in found.all()]


async def set_available(session: AsyncSession, user_id: int, available: bool) -> None:
    await session.execute(
        update(ConsoleUserRow).where(col(ConsoleUserRow.id) == user_id).values(available=available)
    )


async def set_locale(session: AsyncSession, user_id: int, locale: str) -> None:
    if locale not in CONSOLE_LOCALES:
        raise PeopleError(f"the console speaks {', '.join(CONSOLE_LOCALES)}")
    await session.execute(
        update(ConsoleUserRow).where(col(ConsoleUserRow.id) == user_id).values(locale=locale)
    )


async def agents(session: AsyncSession) -> list[ConsoleUserRow]:
    """Everyone who can hold a conversation, for transfers and the queue's owner filter."""
    found = await session.execute(
        select(ConsoleUserRow)
        .where(col(ConsoleUserRow.disabled).is_(False))
        .order_by(col(ConsoleUserRow.name))
    )
    return list(found.scalars())
