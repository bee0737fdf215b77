"""The borrower's own quiet windows (R4): times of the week the bot must not start a
conversation, as the borrower set them in the chat ("not during work hours",
"别在上班时间发", "平日晚上才找我").

A window is days of the week and a span of local clock time; a span whose end is
not after its start runs past midnight (22:00-07:00). Times are the borrower's
own (the account's time zone): the caller converts before asking.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta

WEEKDAYS: frozenset[int] = frozenset(range(5))  # Monday..Friday, as date.weekday()
EVERY_DAY: frozenset[int] = frozenset(range(7))


@dataclass(frozen=True)
class QuietWindow:
    days: frozenset[int]  # date.weekday() numbers the window starts on
    start: time
    end: time

    def covers(self, local: datetime) -> bool:
        """Whether this local moment falls inside the window."""
        moment = local.time().replace(tzinfo=None)
        if self.start < self.end:
            return local.weekday() in self.days and self.start <= moment < self.end
        # Past midnight: the evening part belongs to its own day, the morning part
        # to the day before (Friday 22:00-07:00 covers Saturday 06:00).
        yesterday = (local - timedelta(days=1)).weekday()
        return (local.weekday() in self.days and moment >= self.start) or (
            yesterday in self.days and moment < self.end
        )


def is_quiet(windows: Iterable[QuietWindow], local: datetime) -> bool:
    """Whether the borrower asked not to be contacted at this local moment."""
    return any(window.covers(local) for window in windows)


def to_data(windows: Sequence[QuietWindow]) -> list[dict[str, object]]:
    """A JSON-ready form for the account row."""
    return [
        {
            "days": sorted(window.days),
            "start": window.start.strftime("%H:%M"),
            "end": window.end.strftime("%H:%M"),
        }
        for window in windows
    ]


def from_data(data: Iterable[dict[str, object]] | None) -> tuple[QuietWindow, ...]:
    """The windows kept on an account row; nothing kept means none."""
    return tuple(
        QuietWindow(
            days=frozenset(int(str(day)) for day in _items(item["days"])),
            start=time.fromisoformat(str(item["start"])),
            end=time.fromisoformat(str(item["end"])),
        )
        for item in data or ()
    )


def _items(value: object) -> Iterable[object]:
    return value if isinstance(value, list | tuple) else ()
