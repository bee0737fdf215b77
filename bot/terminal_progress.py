"""A progress bar with rate and time left, at a terminal only.

Shown on stderr, so stdout stays the data (`repaybot export ... > file.csv` shows
the bar and writes only rows to the file). Quiet when stderr is not a terminal,
under CI (the `CI` variable every CI service sets), or when `REPAYBOT_PROGRESS=0`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

from bot.service.progress import Progress as Listener
from bot.service.progress import silent


def wanted() -> bool:
    """Whether a person is watching: a terminal, not CI, not switched off."""
    if os.environ.get("REPAYBOT_PROGRESS", "") == "0" or os.environ.get("CI"):
        return False
    return sys.stderr.isatty()


@contextmanager
def progress_bar(description: str, *, in_bytes: bool) -> Iterator[Listener]:
    """A listener that draws a bar while the block runs (or does nothing when unwatched).

    `in_bytes`: the work counts bytes of a file (sizes and MB/s), else rows (rows/s).
    """
    if not wanted():
        yield silent
        return
    columns = (
        [DownloadColumn(), TransferSpeedColumn()]
        if in_bytes
        else [MofNCompleteColumn(), TextColumn("{task.fields[rate]}")]
    )
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        *columns,
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
        # rich sends what is printed meanwhile through the bar's console, that is to
        # stderr: right when stdout is the same terminal (lines show above the bar),
        # wrong when it is a file (`reminders plan > plan.txt` would write nothing).
        redirect_stdout=sys.stdout.isatty(),
        redirect_stderr=False,
    )
    task = bar.add_task(description, total=None, rate="")

    def advance(done: int, total: int | None) -> None:
        speed = bar.tasks[0].speed
        rate = f"{speed:,.0f} rows/s" if speed else ""
        bar.update(task, completed=done, total=total, rate=rate)

    with bar:
        yield advance
