"""The command line as an operator runs it, for tests: this checkout's `repaybot` with
its environment, its output read from a pseudo-terminal, and long work's progress
as a callback hears it. One copy for every test that runs the CLI at a terminal."""

from __future__ import annotations

import os
import pty
import select
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[1]
WAIT_SECONDS = 120  # the longest a command may stay silent before the test fails


def cli_env(database_url: str, dialogs: Path = ROOT / "dialogs", /, **extra: str) -> dict[str, str]:
    """The environment of a `repaybot` run on `database_url`: this checkout's `bot`
    (whatever the venv installed), its catalogs and `dialogs`. CI and
    REPAYBOT_PROGRESS are the test's to set, never the machine's it runs on."""
    inherited = {k: v for k, v in os.environ.items() if k not in ("CI", "REPAYBOT_PROGRESS")}
    return {
        **inherited,
        "PYTHONPATH": str(ROOT),
        "REPAYBOT_DATABASE_URL": database_url,
        "REPAYBOT_LOCALES_DIR": str(ROOT / "locales"),
        "REPAYBOT_DIALOGS_DIR": str(dialogs),
        **extra,
    }


def read_until(fd: int, seen: bytes, wanted: bytes) -> bytes:
    """What the other end has written to `fd` once `wanted` is in it (with `seen`)."""
    while wanted not in seen:
        seen += _next(fd, seen)
    return seen


def read_until_closed(fd: int, seen: bytes = b"") -> bytes:
    """Everything the other end writes to `fd` until it closes the terminal."""
    while True:
        try:
            chunk = _next(fd, seen)
        except OSError:  # the other end closed the terminal
            return seen
        if not chunk:
            return seen
        seen += chunk


def _next(fd: int, seen: bytes) -> bytes:
    ready, _, _ = select.select([fd], [], [], WAIT_SECONDS)
    assert ready, f"nothing more within {WAIT_SECONDS} s after: {seen[-400:]!r}"
    return os.read(fd, 65536)


def on_a_terminal(
    command: Sequence[str], env: dict[str, str], stdout: IO[str] | int = subprocess.DEVNULL
) -> str:
    """Run `command` with stderr on a pseudo-terminal, as an operator would (stdout
    to `stdout`); what it drew there. It must succeed."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(list(command), env=env, stdout=stdout, stderr=follower)
    os.close(follower)
    try:
        drawn = read_until_closed(leader)
    finally:
        os.close(leader)
    assert process.wait(timeout=WAIT_SECONDS) == 0
    return drawn.decode("utf-8", "replace")


class Heard:
    """A progress callback that keeps every (done, total) it is told."""

    def __init__(self) -> None:
        self.calls: list[tuple[int, int | None]] = []

    def __call__(self, done: int, total: int | None) -> None:
        self.calls.append((done, total))
