"""How a serving process treats its heap once it has started.

A bot process loads, once, what it keeps for its whole life: scripts and policy,
catalogs, the intent model, the frameworks. Python's cyclic collector walks all of
it again at every full collection (tens of milliseconds), and looks at young objects
every 700 allocations, several times per update under load: each pause lands on
whichever update is running. Frozen after start-up, what was loaded is never walked
again; young objects are collected every YOUNG_OBJECTS allocations instead, in fewer,
larger pauses (a few milliseconds) that cost no more in total. Objects freed by
reference counting, most of them, are untouched by either setting.

Only a process that serves calls this (the `telegram` command, the benchmarks that
stand in for it), never one that runs tests: a frozen object is not collected when it
later becomes garbage, so a process that starts many apps would keep them all.
"""

from __future__ import annotations

import gc
import logging
from dataclasses import dataclass

log = logging.getLogger(__name__)

# Young objects allocated (and not yet freed) between two collections of them.
YOUNG_OBJECTS = 20_000


@dataclass(frozen=True)
class Settled:
    frozen: int  # objects loaded at start-up that collections no longer walk
    young_objects: int


def settle() -> Settled:
    """Freeze what start-up loaded and collect young objects less often."""
    gc.collect()  # what start-up left unreachable goes now, not into the frozen heap
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_OBJECTS, middle, old)
    settled = Settled(frozen=gc.get_freeze_count(), young_objects=YOUNG_OBJECTS)
    log.info(
        "start-up heap frozen: %d objects; young objects collected every %d allocations",
        settled.frozen,
        settled.young_objects,
    )
    return settled
