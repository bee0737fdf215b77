"""The planner's decisions for a whole portfolio at one moment, worked out once per zone.

`contact_rules.plan` decides one account from scratch: its zones' local day, the
stage its due date is in, the allowed hours of the next two days. Planning a
million accounts at the same moment asks those questions a million times of a
portfolio with a few zones and a few hundred due dates. `Planning.decide` gives
the same Decision (tests/domain/test_planning.py compares them) but
remembers what depends only on the zone and the due date; an account with
anything of its own that moves the moment (reminders sent, a conversation that
ended, quiet windows) is decided by `plan` itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.domain.cadence import ContactRules, ReminderStage
from bot.domain.contact_hours import (
    Interval,
    allowed_intervals,
    day_hours,
    fraction,
    local_day,
    spread,
    zones_for,
)
from bot.domain.contact_rules import (
    PERSON,
    R1,
    Contact,
    Decision,
    blocking_rule,
    due_stage,
    hold,
    plan,
)

_NOTHING = Decision()
_NO_ZONE = Decision(reason=R1)
_NO_HISTORY = Contact("", "")  # nothing sent, no conversation ended, no quiet windows


class Planning:
    """`plan(contact, stages, now, rules)` for many contacts at one `now` (see module)."""

    def __init__(self, stages: Sequence[ReminderStage], now: datetime, rules: ContactRules):
        self.stages = tuple(stages)
        self.now = now
        self.rules = rules
        self._today: dict[tuple[ZoneInfo, ...], date] = {}
        self._stage: dict[tuple[date, date], ReminderStage | None] = {}
        self._slots: dict[tuple[ZoneInfo, ...], tuple[list[Interval], str | None]] = {}
        self._windows: dict[tuple[ZoneInfo, date], Interval] = {}

    def decide(self, contact: Contact) -> Decision:
        zones = zones_for(contact.timezone, contact.phone)
        if not zones:
            return _NO_ZONE  # no zone and no country: no hour is safe
        # Not mutated: a memo; without it the day is worked out again, the same.
        today = self._today.get(zones)  # pragma: no mutate
        if today is None:
            today = self._today[zones] = local_day(zones, self.now)
        stage = self._due(contact.due_date, today)
        if stage is None or stage.name in contact.stages_queued:
            return _NOTHING
        held = hold(contact, today)
        if held is not None:
            return Decision(stage, None, held)
        if stage.person:
            return Decision(stage, None, PERSON)
        if contact.sent or contact.completed_at is not None or contact.quiet_windows:
            return plan(contact, self.stages, self.now, self.rules)  # its own history counts
        intervals, moved_by = self._open_hours(zones)
        slot = spread(intervals, fraction(f"{contact.account_id}:{stage.name}:{contact.due_date}"))
        if slot is None:
            return Decision(stage, None, R1)
        return Decision(stage, slot, moved_by)

    def window(self, contact: Contact, send_at: datetime) -> Interval:
        """The borrower's allowed hours of the day `send_at` falls on (UTC): the
        window the sender spreads that day's reminders over (bot.domain.send_load)."""
        zones = zones_for(contact.timezone, contact.phone)
        key = (zones[0], local_day(zones, send_at))
        # Not mutated: a memo; without it the window is worked out again, the same.
        found = self._windows.get(key)  # pragma: no mutate
        if found is None:
            found = self._windows[key] = day_hours(*key, self.rules.start, self.rules.end)
        return found

    def _due(self, due_date: date, today: date) -> ReminderStage | None:
        key = (due_date, today)
        if key in self._stage:
            return self._stage[key]
        found = self._stage[key] = due_stage(self.stages, due_date, today)
        return found

    def _open_hours(self, zones: tuple[ZoneInfo, ...]) -> tuple[list[Interval], str | None]:
        """Where R1 lets a reminder go from now on in these zones, and whether R1 moved
        it past now: next_moment's answer for an account with no history of its own."""
        # Not mutated: a memo; without it the hours are worked out again, the same.
        found = self._slots.get(zones)  # pragma: no mutate
        if found is None:
            # Not mutated: a shortcut. Only the first stretch is read (`spread`), and the
            # next two days' first stretch is the longer look's; when they have none, the
            # longer look below finds it.
            soon = allowed_intervals(zones, (), self.rules, self.now, days=2)  # pragma: no mutate
            intervals = soon or allowed_intervals(zones, (), self.rules, self.now)
            # The rules themselves, asked for an account with nothing of its own.
            moved_by = blocking_rule(_NO_HISTORY, zones, self.now, self.rules)
            found = self._slots[zones] = (intervals, moved_by)
        return found
