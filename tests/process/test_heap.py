"""The serving process's heap settings (bot.heap), each in a process of its own: they
are process-wide, and the test process must keep the interpreter's defaults."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bot.heap import YOUNG_OBJECTS

ROOT = Path(__file__).resolve().parents[2]

_PROBE = """
import gc, json, logging
logging.basicConfig(level=logging.INFO, format="%(message)s")
before = gc.get_threshold()
kept = [{"loaded": n} for n in range(5000)]  # what start-up keeps
cycle = []; cycle.append(cycle); del cycle  # what start-up leaves behind
from bot.heap import settle
settled = settle()
after = gc.get_threshold()
print(json.dumps({"frozen": settled.frozen, "counted": gc.get_freeze_count(),
                  "young": settled.young_objects, "before": before, "after": after,
                  "young_now": len(gc.get_objects(generation=0))}))
"""


def _probe() -> tuple[dict[str, object], str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout), done.stderr


def test_settling_freezes_what_start_up_keeps_and_collects_young_objects_less_often() -> None:
    seen, logged = _probe()
    assert seen["frozen"] == seen["counted"]
    assert isinstance(seen["frozen"], int) and seen["frozen"] > 5000  # the kept dicts too
    # Everything alive was moved out of the young generation (a few made since remain).
    assert isinstance(seen["young_now"], int) and seen["young_now"] < 50
    before, after = seen["before"], seen["after"]
    assert isinstance(before, list) and isinstance(after, list)
    assert after == [YOUNG_OBJECTS, before[1], before[2]]  # only the young threshold moves
    assert before[0] < YOUNG_OBJECTS
    assert f"start-up heap frozen: {seen['frozen']} objects" in logged


def test_the_test_process_keeps_the_interpreters_heap_settings() -> None:
    """Serving settles the heap; running many apps in one process must not (a frozen
    object is never collected)."""
    import gc

    assert gc.get_freeze_count() == 0
    assert gc.get_threshold()[0] != YOUNG_OBJECTS
