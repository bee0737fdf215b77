"""Retry a whole transaction when the database dropped its connection.

A PostgreSQL failover, a restart or `pg_terminate_backend` closes every
connection at once. The pool already replaces them (SQLAlchemy invalidates the
whole pool on the first disconnect it sees, and bot.store.db pings a connection
that sat idle), but the statement that met the dead connection has failed, and
with it the transaction it belonged to. Only the caller knows where that
transaction began, so the caller hands it over as a function and it is run
again from the start, on a fresh connection, after a short bounded backoff.

Every transaction retried here must be safe to run twice: the runtime's claim
of an update (bot.service.inbox) makes a transaction that did commit, though
its COMMIT's answer was lost, find the update handled the second time.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy.exc import DBAPIError, DisconnectionError

log = logging.getLogger(__name__)

T = TypeVar("T")

# Five tries over about three seconds: a restart or a pooler's switch-over is
# over by then; a longer outage is the caller's to survive (see polling.py).
ATTEMPTS = 5
FIRST_DELAY = 0.2  # seconds; doubled after each failure
MAX_DELAY = 2.0
# SQLSTATEs whose transaction is worth running again as it is: serialization
# failure and deadlock (PostgreSQL aborts one side), and the server refusing
# connections while it starts, stops or is being taken over (class 57P).
_RETRYABLE_SQLSTATES = frozenset({"40001", "40P01", "57P01", "57P02", "57P03"})


def is_transient(error: BaseException) -> bool:
    """True when running the same transaction again may well succeed.

    - SQLAlchemy says the connection was invalidated: the driver reported a
      disconnect (asyncpg's "connection is closed", a connection lost mid-query).
    - The pool gave up replacing a dead connection (DisconnectionError).
    - Opening a connection failed at the socket (refused, reset, timed out):
      SQLAlchemy passes such an OSError on unwrapped, asyncpg's own connection
      errors arrive wrapped in a DBAPIError whose driver error says so.
    - A serialization failure or deadlock, or the server shutting down.
    """
    if isinstance(error, DisconnectionError):
        return True
    if isinstance(error, DBAPIError):
        if error.connection_invalidated:
            return True
        return any(_is_connection_error(e) for e in _chain(error.orig))
    return _is_connection_error(error)


def _chain(error: BaseException | None) -> list[BaseException]:
    """The driver error and what it wraps (SQLAlchemy's adapter keeps asyncpg's as cause)."""
    seen: list[BaseException] = []
    while error is not None and error not in seen and len(seen) < 5:
        seen.append(error)
        error = error.__cause__ or error.__context__
    return seen


def _is_connection_error(error: BaseException) -> bool:
    if isinstance(error, OSError):  # ConnectionRefusedError, ConnectionResetError, TimeoutError
        return True
    if getattr(error, "sqlstate", None) in _RETRYABLE_SQLSTATES:
        return True
    try:
        from asyncpg.exceptions import InterfaceError, PostgresConnectionError
    except ImportError:  # SQLite-only installs
        return False
    if isinstance(error, PostgresConnectionError):
        return True
    return isinstance(error, InterfaceError) and "connection is closed" in str(error)


async def retrying(
    transaction: Callable[[], Awaitable[T]],
    *,
    what: str,
    attempts: int = ATTEMPTS,
    first_delay: float = FIRST_DELAY,
) -> T:
    """Run `transaction` (a whole transaction, begun and ended inside it) until it
    succeeds or fails for a reason other than a lost connection; give up after
    `attempts` tries and raise the last error. `what` names it in the log."""
    delay = first_delay
    for attempt in range(1, attempts + 1):
        try:
            return await transaction()
        except Exception as error:
            if attempt == attempts or not is_transient(error):
                raise
            log.warning(
                "%s: database connection lost (%s), try %d of %d in %.1fs",
                what,
                type(error).__name__,
                attempt + 1,
                attempts,
                delay,
            )
        await asyncio.sleep(delay)
        delay = min(delay * 2, MAX_DELAY)
    raise AssertionError("unreachable")  # the loop returns or raises
