"""How long work tells its caller how far it has come, without knowing who listens.

Imports and exports of a large portfolio take minutes; an operator at a terminal
wants a bar with the rate and the time left, a pipe or CI wants silence. The
service only reports `(done, total)` in its own unit (bytes of a file read, rows
written); the command line decides how to show it (bot/terminal_progress.py).
"""

from __future__ import annotations

from collections.abc import Callable

# done so far, and the total when known (None: unknown, the bar just counts)
Progress = Callable[[int, int | None], None]


def silent(_done: int, _total: int | None) -> None:
    """The listener when nobody listens."""
