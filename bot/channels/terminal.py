"""A conversation in the terminal: lines in on stdin, messages out on stdout.

Works for a person and for a pipe alike, so whole conversations can be
scripted: choices are printed numbered and the number or the label picks one.
Like every channel it only translates: lines become Inbound events for the
runtime, and a Sender prints what the outbox hands it.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
import threading
from collections.abc import Iterator
from typing import TextIO

from bot.bootstrap import App
from bot.errors import AccountMissing
from bot.service.events import Inbound
from bot.service.linking import link_directly
from bot.service.outbox import OutgoingMessage

CHANNEL = "terminal"


class TerminalSender:
    """Prints a message with its choices numbered."""

    channel = CHANNEL

    def __init__(self, out: TextIO) -> None:
        self._out = out
        self._sent = 0

    async def send(self, message: OutgoingMessage) -> str:
        self._out.write(message.text + "\n")
        for number, (label, _) in enumerate(message.buttons, start=1):
            self._out.write(f"  {number}) {label}\n")
        self._out.write("\n")
        self._out.flush()
        self._sent += 1
        return str(self._sent)


class _CtrlC:
    """Ctrl-C that always reaches the event loop.

    asyncio.run() handles SIGINT with a plain Python handler and no wakeup fd, so
    when the kernel delivers the signal to another thread (the one reading the
    terminal, or a database thread) the loop sleeps on and the chat hangs. A
    loop signal handler writes to the loop's own wakeup pipe from whichever
    thread gets it; it ends the line being read with KeyboardInterrupt.
    """

    def __init__(self) -> None:
        self.pressed = False
        self.reading: asyncio.Future[str | None] | None = None

    def __call__(self) -> None:
        self.pressed = True
        if self.reading is not None and not self.reading.done():
            self.reading.set_exception(KeyboardInterrupt())

    def check(self) -> None:
        if self.pressed:
            raise KeyboardInterrupt


@contextlib.contextmanager
def _ctrl_c_on_the_loop(interactive: bool) -> Iterator[_CtrlC]:
    ctrl_c = _CtrlC()
    loop = asyncio.get_running_loop()
    installed = False
    if interactive:
        # Only the main thread may set signal handlers; elsewhere asyncio's default stays.
        with contextlib.suppress(ValueError, RuntimeError, NotImplementedError):
            loop.add_signal_handler(signal.SIGINT, ctrl_c)
            installed = True
    try:
        yield ctrl_c
    finally:
        if installed:
            loop.remove_signal_handler(signal.SIGINT)


async def _read_line(
    source: TextIO, prompt: str | None, ctrl_c: _CtrlC | None = None
) -> str | None:
    """The next line, or None at end of input.

    Read on a daemon thread, not the default executor: when Ctrl-C ends the
    conversation, the interpreter must not wait for a line nobody will type.
    With a prompt (a person at a terminal) `input()` gives readline's editing.
    """
    loop = asyncio.get_running_loop()
    done: asyncio.Future[str | None] = loop.create_future()
    if ctrl_c is not None:
        ctrl_c.check()
        ctrl_c.reading = done

    def settle(line: str | None) -> None:
        if not done.done():
            done.set_result(line)

    def read() -> None:
        if prompt is None:
            line: str | None = source.readline() or None
        else:
            try:
                line = input(prompt) + "\n"
            except EOFError:
                line = None
        with contextlib.suppress(RuntimeError):  # the loop is already closed
            loop.call_soon_threadsafe(settle, line)

    threading.Thread(target=read, name="terminal-input", daemon=True).start()
    return await done


def _enable_line_editing() -> None:
    with contextlib.suppress(ImportError):  # not every platform has readline
        import readline  # noqa: F401 - importing it gives input() history and editing


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
    async with app.sessions() as session, session.begin():
        if not await link_directly(
            session,
            channel=CHANNEL,
            user_key=chat_key,
            account_id=account_id,
            now=app.runtime.now(),
        ):
            raise AccountMissing(account_id)
    app.outbox.register(TerminalSender(out))
    interactive = source is sys.stdin and source.isatty() and out.isatty()
    if interactive:
        _enable_line_editing()

    async def send(text: str) -> None:
        handled = await app.runtime.on_inbound(
            Inbound(
                channel=CHANNEL,
                chat_key=chat_key,
                user_key=chat_key,
                text=text,
                locale=locale,
            ),
            claim_for=app.outbox,
        )
        await app.outbox.deliver_chat(CHANNEL, chat_key, head=handled.head)

    with _ctrl_c_on_the_loop(interactive) as ctrl_c:
        await send("/start")
        while True:
            line = await _read_line(source, "> " if interactive else None, ctrl_c)
            if line is None:
                return 0
            await send(line.strip())
