"""Whether a day's reminders fit the sending rate (issue 31 point 8).

The planner spreads each borrower's reminder evenly over their allowed hours, so
a zone's reminders of one local day arrive at count / window seconds. Zones
overlap; the rate the sender needs at a moment is the sum over the windows open
then. At the free rate (30 a second) 1,000,000 reminders take about 9.3 hours:
one zone's 13 allowed hours hold about 1.4 million, several zones sharing the
same UTC hours hold less.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Peak:
    rate: float  # messages a second needed at the busiest moment
    at: datetime  # when that moment starts (UTC)


def peak_rate(loads: Mapping[tuple[datetime, datetime], int]) -> Peak | None:
    """The busiest moment of windows (start, end) each carrying `count` reminders."""
    edges: list[tuple[datetime, float]] = []
    for (start, end), count in loads.items():
        seconds = (end - start).total_seconds()
        if seconds <= 0 or count <= 0:
            continue
        edges.append((start, count / seconds))
        edges.append((end, -count / seconds))
    if not edges:
        return None
    edges.sort()  # by moment, then change: a window ending frees its rate first
    best: Peak | None = None
    running = 0.0
    for moment, change in edges:
        running += change
        if best is None or running > best.rate + 1e-9:
            best = Peak(running, moment)
    return best


def fits(peak: Peak | None, rate_per_second: int) -> bool:
    """Whether the busiest moment stays within the sending rate."""
    return peak is None or peak.rate <= rate_per_second
