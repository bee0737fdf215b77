"""A conversation in the terminal: lines in on stdin, messages out on stdout.

Works for a person and for a pipe alike, so whole conversations can be
scripted: choices are printed numbered and the number or the label picks one.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterable
from typing import TextIO

from bot.bootstrap import App
from bot.engine.types import Event, EventKind
from bot.service.conversations import Outgoing
from bot.service.outbox import mark_sent

CHANNEL = "terminal"


def event_for(line: str) -> Event:
    text = line.strip()
    if text.startswith("/") and len(text) > 1 and " " not in text:
        name = text[1:].lower()
        if name == "start":
            return Event(EventKind.START)
        return Event(EventKind.COMMAND, text=name)
    return Event(EventKind.TEXT, text=text)


def write_messages(messages: Iterable[Outgoing], out: TextIO) -> None:
    for message in messages:
        out.write(message.text + "\n")
        for number, (_, label) in enumerate(message.choices, start=1):
            out.write(f"  {number}) {label}\n")
        out.write("\n")
    out.flush()


async def _read_line(source: TextIO) -> str | None:
    line = await asyncio.to_thread(source.readline)
    return line if line else None


async def run_chat(
    app: App,
    *,
    account_id: str,
    locale: str | None,
    source: TextIO = sys.stdin,
    out: TextIO = sys.stdout,
) -> int:
    """Talk until end of input; returns the exit code."""
    chat_key = f"{CHANNEL}:{account_id}"
    interactive = source.isatty()

    async def send(event: Event) -> None:
        messages = await app.conversations.handle(
            channel=CHANNEL, chat_key=chat_key, account_id=account_id, event=event, locale=locale
        )
        write_messages(messages, out)
        await mark_sent(
            app.sessions,
            outbox_ids=[m.outbox_id for m in messages],
            now=app.conversations.now(),
        )

    await send(Event(EventKind.START))
    while True:
        if interactive:
            out.write("> ")
            out.flush()
        line = await _read_line(source)
        if line is None:
            return 0
        await send(event_for(line))
