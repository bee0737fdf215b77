"""What stops a command at the database, said in one line (the README's promise).

A URL that cannot be read and a database that cannot be opened are the operator's
to fix, not the program's bugs: they get one line naming the setting and the
reason, never a traceback, and never the password the URL may carry.
"""

from __future__ import annotations

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from bot.errors import ConfigurationError
from bot.store.db import normalize_url

SETTING = "REPAYBOT_DATABASE_URL"
EXAMPLE = "sqlite:///var/repaybot.db or postgresql://user@host:5432/repaybot"


def read_database_url(url: str) -> URL:
    """The URL as SQLAlchemy reads it, with its driver loaded; ConfigurationError
    (one line) when it cannot be read or names no database SQLAlchemy knows."""
    try:
        parsed = make_url(normalize_url(url))
        parsed.get_dialect()
    except (ArgumentError, ValueError) as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise ConfigurationError(
            f"{SETTING} is not a database URL ({reason}); write it like {EXAMPLE}."
        ) from None
    return parsed


def database_failure(error: BaseException, url: str) -> str | None:
    """One line for a database that cannot be opened (absent, refused, unknown host,
    wrong password); None when `error` is something else, which stays a bug."""
    reason = _reason(error)
    if reason is None:
        return None
    try:
        where = make_url(normalize_url(url)).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        where = SETTING
    return (
        f"Cannot open the database {where}: {reason}. Check {SETTING} and that the database exists."
    )


# SQLSTATE classes of a connection that could not be made: 08 connection exception,
# 28 invalid authorization, 3D invalid catalog name (no such database).
_CANNOT_CONNECT = ("08", "28", "3D")


def _reason(error: BaseException) -> str | None:
    seen: BaseException | None = error
    while seen is not None:
        state = getattr(seen, "sqlstate", None)
        if isinstance(state, str) and state.startswith(_CANNOT_CONNECT):
            return _first_line(seen)
        if isinstance(seen, BrokenPipeError):
            return None  # our own output's reader went away, not the database
        if isinstance(seen, OSError) and seen.filename is None:  # refused, unknown host
            return seen.strerror or _first_line(seen)
        if isinstance(seen, DBAPIError) and "unable to open database" in str(seen.orig):
            return _first_line(seen.orig) if seen.orig is not None else None
        seen = seen.__cause__ or seen.__context__
    return None


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
