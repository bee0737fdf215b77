"""The reminder cadence and the contact rules' numbers, as the policy holds them.

Banks work an overdue account in stages: a reminder a few days before the due
date, then at 1, 3, 7, 15 and 30 days past it, each with its own tone. A stage
names the script state its reminder opens (a trigger of the same name routes to
it), or says a person takes over instead of the bot. The contact rules' numbers
are R1's hours, R2's counts and the quiet days after a completed conversation.

The validators only call the plain functions below, so mutation testing reaches
the rules (mutmut leaves decorated code alone).
"""

from __future__ import annotations

import re
from datetime import time

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

# R1: nothing the bot starts before 08:00 or from 21:00 on, in the borrower's time.
EARLIEST = time(8)
LATEST = time(21)
# R2: the rulebook's ceilings; a policy may lower them, never raise them.
MOST_PER_DAY = 1
MOST_PER_WEEK = 7
LEAST_QUIET_DAYS = 7
# Telegram's free broadcast rate (messages a second for one bot).
FREE_RATE = 30
_NAME = re.compile(r"[a-z][a-z0-9_]*")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def check_stage(name: str, state: str | None, person: bool) -> None:
    """A stage is named in lower case and either opens a state or goes to a person."""
    if not _NAME.fullmatch(name):
        raise ValueError(f"stage name {name!r}: use lower-case letters, digits and _")
    if person and state is not None:
        raise ValueError(f"stage {name}: a stage for a person opens no script state")
    if not person and state is None:
        raise ValueError(f"stage {name}: give the script state its reminder opens")


def check_cadence(offsets: list[int], names: list[str]) -> None:
    """Stages in order of their offset from the due date, no two on the same day."""
    for index in range(1, len(offsets)):
        if offsets[index] <= offsets[index - 1]:
            raise ValueError(
                f"stage {names[index]} (day {offsets[index]}) must come after stage"
                f" {names[index - 1]} (day {offsets[index - 1]}): list stages in order"
            )
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise ValueError(f"stage {name} is listed twice")
        seen.add(name)


def check_hours(start: time, end: time) -> None:
    """R1: the policy's hours lie inside 08:00-21:00 and are not empty."""
    if start < EARLIEST:
        raise ValueError(f"hours: {start:%H:%M} is before 08:00 (R1)")
    if end > LATEST:
        raise ValueError(f"hours: {end:%H:%M} is after 21:00 (R1)")
    if end <= start:
        raise ValueError(f"hours: the end {end:%H:%M} is not after the start {start:%H:%M}")


def check_counts(per_day: int, per_week: int) -> None:
    """R2: a day's count cannot exceed the week's."""
    if per_day > per_week:
        raise ValueError(f"max_per_day ({per_day}) is above max_per_7_days ({per_week})")


class ReminderStage(_Strict):
    """One step of the cadence: `offset_days` from the due date (negative: before it)."""

    name: str
    offset_days: int = Field(ge=-30, le=365)
    state: str | None = None  # the script state (and trigger) its reminder opens
    person: bool = False  # a person takes the account over at this stage, not the bot

    @model_validator(mode="after")
    def _opens_something(self) -> ReminderStage:
        check_stage(self.name, self.state, self.person)
        return self


class ContactRules(_Strict):
    """R1 and R2 as numbers; the rulebook's values are the defaults and the ceilings."""

    start: time = EARLIEST
    end: time = LATEST
    max_per_day: int = Field(default=MOST_PER_DAY, ge=1, le=MOST_PER_DAY)
    max_per_7_days: int = Field(default=MOST_PER_WEEK, ge=1, le=MOST_PER_WEEK)
    quiet_days_after_conversation: int = Field(default=LEAST_QUIET_DAYS, ge=LEAST_QUIET_DAYS)
    # Messages a second the sender may reach; above 30 only with paid broadcasts (h6).
    rate_per_second: int = Field(default=FREE_RATE, ge=1, le=1000)

    @model_validator(mode="after")
    def _sane(self) -> ContactRules:
        check_hours(self.start, self.end)
        check_counts(self.max_per_day, self.max_per_7_days)
        return self


_DEFAULT_STAGES = (
    ReminderStage(name="due_soon", offset_days=-3, state="reminder_due_soon"),
    ReminderStage(name="late_1", offset_days=1, state="reminder_late_1"),
    ReminderStage(name="late_3", offset_days=3, state="reminder_late_3"),
    ReminderStage(name="late_7", offset_days=7, state="reminder_late_7"),
    ReminderStage(name="late_15", offset_days=15, state="reminder_late_15"),
    ReminderStage(name="late_30", offset_days=30, person=True),
)


class RemindersPolicy(_Strict):
    """The cadence and the contact rules (dialogs/policy.yaml `reminders:`)."""

    stages: tuple[ReminderStage, ...] = Field(default=_DEFAULT_STAGES, min_length=1)
    contact: ContactRules = ContactRules()

    @field_validator("stages")
    @classmethod
    def _in_order(cls, value: tuple[ReminderStage, ...]) -> tuple[ReminderStage, ...]:
        check_cadence([s.offset_days for s in value], [s.name for s in value])
        return value

    def stage(self, name: str) -> ReminderStage | None:
        """The stage of this name, if the cadence has it."""
        return next((s for s in self.stages if s.name == name), None)
