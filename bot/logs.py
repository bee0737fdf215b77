"""Logging that never carries a credential or a borrower's data (R18).

Libraries log what they like: httpx logs every request URL at INFO, and a
Bot API URL contains the bot token. Two defences, both installed by
`configure`: chatty HTTP loggers are held at WARNING whatever the level, and a
filter on every handler masks bot tokens and configured secrets in whatever
gets through. The project's own code logs ids and error kinds only.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable

# A Telegram bot token: the bot's numeric id, a colon, 35 URL-safe characters.
_BOT_TOKEN = re.compile(r"\b\d{5,}:[A-Za-z0-9_-]{30,}\b")
QUIET_LOGGERS = ("httpx", "httpcore", "aiohttp.access", "telegram.ext.Updater")


class RedactSecrets(logging.Filter):
    """Masks bot tokens and the given secret values in a record's final message."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if len(s) >= 6]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = _BOT_TOKEN.sub("<token>", message)
        for secret in self._secrets:
            cleaned = cleaned.replace(secret, "<secret>")
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info is not None and record.exc_info[1] is not None:
            # A traceback may quote a URL or a statement; keep the kind, drop the text.
            record.exc_text = f"{type(record.exc_info[1]).__name__} (details withheld)"
            record.exc_info = None
        return True


def configure(level: str, secrets: Iterable[str] = ()) -> None:
    logging.basicConfig(level=level, stream=sys.stderr)
    redact = RedactSecrets(secrets)
    for handler in logging.getLogger().handlers:
        handler.addFilter(redact)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(max(logging.WARNING, logging.getLogger().level))
