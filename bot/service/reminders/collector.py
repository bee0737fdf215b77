"""Holding the cyclic garbage collector off while a batch of a portfolio is built.

Building a batch allocates a few objects per account (a row, a Contact, a
Candidate, a Decision), none of them garbage until the batch is done and none in
a reference cycle (reference counting frees them); the collector, triggered by
allocations, walks them again and again meanwhile. Measured on 100,000 accounts
it took 40 % of the planner's CPU in a fresh process, 25 % in a serving one
(bot.heap). Held off for one batch (under a second), it runs once after, over
what is left. Whatever else the process runs meanwhile is freed as usual by
reference counting; only its cyclic garbage, if any, waits for that batch.

"Runs once after" is a call here, not left to the collector's own trigger: that
fires on an allocation only while the young objects counted exceed the threshold
(bot.heap: 20,000), and by the time the block ends the batch's own objects are
freed again, so the count is back under it. The planner's batches went by without
a single collection, and every batch's reference cycles (SQLAlchemy's statements,
results and contexts, holding the batch's parameters) stayed in memory until some
30 batches had accumulated enough: its peak memory grew with the portfolio.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_held() -> Iterator[None]:
    """The collector off for the block (as it was before, after it), then the young
    objects' collection the block held off (for the outermost block only)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
            gc.collect(0)
