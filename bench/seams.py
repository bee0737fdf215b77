"""The only places the bench touches the project. Change these when an API moves.

- the whole application: `bot.bootstrap.build_app(settings, clock=...)`
- Telegram: `bot.channels.telegram.runner.run(app, TelegramOptions(...), stop)`
- one event into the service: `handle_event` below (`app.runtime.on_inbound`)
- the pure engine: `bot.engine.machine.step(script, state, event, ctx)`
- what the runtime reads in a text before the engine sees it: `read_message` below,
  with the intent model `build_app` would load (`load_or_train`)
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from bot.bootstrap import App, build_app
from bot.channels.telegram.runner import TelegramOptions, run
from bot.config import Settings
from bot.engine.types import Event, EventKind
from bot.service.accounts_import import import_accounts
from bot.service.events import Inbound
from bot.service.linking import create_link_token, link_directly
from bot.service.meaning import read_message
from bot.understanding.model import IntentModel
from bot.understanding.train import load_or_train

NOW = datetime(2026, 11, 22, 15, 0, tzinfo=UTC)  # the demo portfolio's "today"
_STARTED = datetime.now(UTC)


def clock() -> datetime:
    """The portfolio's date with real time passing (retries and leases wait for real)."""
    return NOW + (datetime.now(UTC) - _STARTED)


async def build(database_url: str, **settings: Any) -> App:
    return await build_app(Settings(database_url=database_url, **settings), clock=clock)


async def handle_event(
    app: App, *, chat_key: str, account_id: str, event: Event, update_key: str
) -> int:
    """Hand one borrower event to the runtime; returns how many replies it queued.

    The bench channel's user is linked to the account once, as a deep link would.
    """
    if (chat_key, account_id) not in _LINKED:
        async with app.sessions() as session, session.begin():
            await link_directly(
                session, channel="bench", user_key=chat_key, account_id=account_id, now=clock()
            )
        _LINKED.add((chat_key, account_id))
    text = {EventKind.START: "/start", EventKind.COMMAND: f"/{event.text}"}.get(
        event.kind, event.text
    )
    handled = await app.runtime.on_inbound(
        Inbound(
            channel="bench",
            chat_key=chat_key,
            user_key=chat_key,
            event_key=update_key,
            text=text,
        )
    )
    return len(handled.queued)


_LINKED: set[tuple[str, str]] = set()


def text_event(text: str) -> Event:
    """What a borrower typing `text` becomes (a command when it starts with /)."""
    if text == "/start":
        return Event(EventKind.START)
    if text.startswith("/"):
        return Event(EventKind.COMMAND, text=text[1:])
    return Event(EventKind.TEXT, text=text)


@cache
def intent_model() -> IntentModel:
    """The model `build_app` loads, loaded once for the bench."""
    return load_or_train()


def read_text(text: str, *, account: Any, locale: str, today: Any) -> Any:
    """The reading the runtime attaches to a typed text (`Event.meaning`)."""
    return read_message(text, account=account, locale=locale, today=today, model=intent_model())


async def import_file(app: App, path: Path) -> None:
    await import_accounts(app.sessions, path)


async def link_token(app: App, account_id: str) -> str:
    async with app.sessions() as session, session.begin():
        return await create_link_token(session, account_id=account_id, now=clock(), valid_days=7)


async def serve_telegram(
    app: App, *, token: str, api_url: str, framework: str, stop: asyncio.Event
) -> None:
    await run(
        app,
        # As the `telegram` command serves: the start-up heap frozen (bot.heap).
        TelegramOptions(
            token=token, api_url=api_url, framework=framework, poll_timeout=1, settle_heap=True
        ),
        stop,
    )


Clock = Callable[[], datetime]
