"""One exception tree for the whole project.

Library errors (SQLAlchemy, aiogram, PTB, httpx) are caught at the edge that
calls the library and re-raised as one of these, so callers handle our kinds,
never a library's, and a log line names a kind, never personal data (R18).
"""

from __future__ import annotations


class RepaybotError(Exception):
    """The root: anything the bot raises on purpose."""


class ConfigurationError(RepaybotError):
    """A setting, a file or a catalog the bot needs is missing or wrong."""


class ScriptFailure(RepaybotError):
    """A script that passed validation misbehaved at run time (a loop, a bad action call).

    The runtime answers the borrower with an apology and a person; the script's
    author needs the detail, which goes to the log (never the borrower's data).
    """


class ChannelError(RepaybotError):
    """A channel could not deliver or receive; subclasses say whether to retry."""


class RetryLater(ChannelError):
    """The channel asked us to wait (HTTP 429 and its kin)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"retry after {seconds}s")
        self.seconds = seconds


class Unavailable(ChannelError):
    """A network error or a server error on the channel's side: worth retrying with backoff."""


class RecipientUnreachable(ChannelError):
    """The person blocked the bot or left: stop writing to them until they write again."""


class Rejected(ChannelError):
    """The channel refused the request itself; retrying will not help."""


class AccountMissing(RepaybotError, LookupError):
    """A conversation's account is not (or no longer) in the portfolio."""
