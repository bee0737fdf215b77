"""When the bot may start a conversation with a borrower: the contact rules as plain functions.

R1 hours in the borrower's time zone (an unknown zone: only the hours valid in
every zone of the account's country), R2 counts per local day and per rolling 7
days and none soon after a completed conversation, R4 the borrower's own quiet
windows; and the holds no moment lifts: R3 opted out, R8 nothing undisputed to
remind about, R12 collection paused after a crisis, R16 a breathing space, a
person owning the conversation. The planner and the sender (bot/service/reminders),
the simulator and the promise follow-up (bot/service/promise_followup.py) all
decide with these, so what `repaybot reminders simulate` prints is what the bot does.
Where in time R1 and R4 allow a message (zones, hours, quiet windows as intervals)
is bot/domain/contact_hours.py.

Moments are aware datetimes in UTC.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from bot.domain.accounts import breathing_space_on
from bot.domain.cadence import ContactRules, ReminderStage
from bot.domain.contact_hours import (
    allowed_intervals,
    fraction,
    hours_allow,
    local_day,
    quiet_now,
    spread,
    zones_for,
)
from bot.domain.quiet_windows import QuietWindow

# Why a reminder waits or is held: the rulebook's ids, and two plain reasons.
R1, R2, R3, R4, R8, R12, R16 = "R1", "R2", "R3", "R4", "R8", "R12", "R16"
PERSON = "person"  # a person owns the conversation (or the stage is theirs)
UNREACHABLE = "unreachable"  # the chat refused the bot (403) and nobody wrote since
ARRANGEMENT = "arrangement"  # a plan or promise runs: its follow-up is its own
SUPERSEDED = "superseded"  # a later stage (or a new due date) took its place
NOTHING_OWED = "nothing_owed"


@dataclass(slots=True)
class Contact:
    """What the rules read about one account at one moment (a value: never changed
    in place; `dataclasses.replace` makes the next one). Not frozen: a million are
    built per planning run, and a frozen dataclass builds several times slower."""

    account_id: str
    timezone: str
    phone: str = ""
    due_date: date = date.min
    opted_out: bool = False
    collection_paused: bool = False
    breathing_space: bool = False
    breathing_space_until: date | None = None
    breathing_space_from: date | None = None
    unreachable: bool = False
    person_owns: bool = False
    charges: int = 1  # charges on the account
    undisputed: int = 1  # of which not under dispute (R8)
    arrangement: bool = False
    quiet_windows: tuple[QuietWindow, ...] = ()
    sent: tuple[datetime, ...] = ()  # bot-initiated reminders sent, any order
    completed_at: datetime | None = None  # the last conversation that ended
    stages_queued: frozenset[str] = field(default_factory=frozenset)  # this cycle's


def due_stage(stages: Sequence[ReminderStage], due_date: date, today: date) -> ReminderStage | None:
    """The stage the account is in today: the last whose day has come, or None."""
    current = None
    for stage in stages:
        if due_date + timedelta(days=stage.offset_days) <= today:
            current = stage
    return current


def hold(contact: Contact, today: date) -> str | None:
    """What stops every reminder to this account whatever the hour, or None."""
    if contact.collection_paused:
        return R12
    if breathing_space_on(
        contact.breathing_space,
        contact.breathing_space_until,
        today,
        contact.breathing_space_from,
    ):
        return R16
    if contact.opted_out:
        return R3
    if contact.charges == 0:
        return NOTHING_OWED
    if contact.undisputed == 0:
        return R8
    if contact.person_owns:
        return PERSON
    if contact.unreachable:
        return UNREACHABLE
    if contact.arrangement:
        return ARRANGEMENT
    return None


def r2_allows(
    contact: Contact, zones: Sequence[ZoneInfo], moment: datetime, rules: ContactRules
) -> bool:
    """R2: under the day's and the rolling week's counts, and not soon after a talk."""
    return r2_earliest(contact, zones, moment, rules) == moment


def r2_earliest(
    contact: Contact, zones: Sequence[ZoneInfo], after: datetime, rules: ContactRules
) -> datetime:
    """The first moment from `after` on that R2's counts allow."""
    if not contact.sent and contact.completed_at is None:
        return after  # nothing sent, no conversation: the common case, and a quick one
    moment = after
    if contact.completed_at is not None:
        moment = max(
            moment, contact.completed_at + timedelta(days=rules.quiet_days_after_conversation)
        )
    sent = sorted(contact.sent)
    zone: tzinfo = zones[0] if zones else UTC
    for _ in range(len(sent) + 2):
        before = moment
        day = moment.astimezone(zone).date()
        if sum(1 for s in sent if s.astimezone(zone).date() == day) >= rules.max_per_day:
            moment = _midnight_after(day, zone)
        window = [s for s in sent if moment - timedelta(days=7) < s <= moment]
        if len(window) >= rules.max_per_7_days:
            moment = window[len(window) - rules.max_per_7_days] + timedelta(days=7)
        if moment == before:
            break
    return moment


def _midnight_after(day: date, zone: tzinfo) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)


@dataclass(frozen=True)
class Decision:
    """What the planner does with one account now: queue `stage` for `send_at`,
    hold it by `reason` (send_at None), or nothing (stage None)."""

    stage: ReminderStage | None = None
    send_at: datetime | None = None
    reason: str | None = None  # the hold, or the rule that moved send_at past now


def next_moment(
    contact: Contact, zones: Sequence[ZoneInfo], after: datetime, rules: ContactRules, key: str
) -> tuple[datetime | None, str | None]:
    """The next allowed moment from `after`, spread, and the first rule that moved it."""
    moved_by = blocking_rule(contact, zones, after, rules)
    begin = r2_earliest(contact, zones, after, rules)
    for _ in range(4):
        # Two days hold the next allowed stretch unless quiet windows fill them.
        intervals = allowed_intervals(zones, contact.quiet_windows, rules, begin, days=2)
        if not intervals:
            intervals = allowed_intervals(zones, contact.quiet_windows, rules, begin)
        slot = spread(intervals, fraction(key))
        if slot is None:
            return None, R1
        later = r2_earliest(contact, zones, slot, rules)
        if later == slot:
            return slot, moved_by
        begin = later
    return None, R2


def blocking_rule(
    contact: Contact, zones: Sequence[ZoneInfo], moment: datetime, rules: ContactRules
) -> str | None:
    """Which timing rule forbids a reminder at this very moment (R1, R4, R2), if any."""
    if not hours_allow(zones, moment, rules):
        return R1
    if quiet_now(contact.quiet_windows, zones, moment):
        return R4
    if not r2_allows(contact, zones, moment, rules):
        return R2
    return None


def plan(
    contact: Contact, stages: Sequence[ReminderStage], now: datetime, rules: ContactRules
) -> Decision:
    """The planner's choice for one account at `now` (see Decision)."""
    zones = zones_for(contact.timezone, contact.phone)
    if not zones:
        return Decision(reason=R1)  # no zone and no country: no hour is safe
    stage = due_stage(stages, contact.due_date, local_day(zones, now))
    if stage is None or stage.name in contact.stages_queued:
        return Decision()
    held = hold(contact, local_day(zones, now))
    if held is not None:
        return Decision(stage, None, held)
    if stage.person:
        return Decision(stage, None, PERSON)
    key = f"{contact.account_id}:{stage.name}:{contact.due_date.isoformat()}"
    send_at, moved_by = next_moment(contact, zones, now, rules, key)
    return Decision(stage, send_at, moved_by if send_at is not None else moved_by or R1)


def send_check(
    contact: Contact,
    stages: Sequence[ReminderStage],
    stage_name: str,
    cycle: date,
    now: datetime,
    rules: ContactRules,
) -> str | None:
    """Checked again as the reminder goes out: None to send, else why not (a hold,
    SUPERSEDED, or the timing rule to wait for)."""
    zones = zones_for(contact.timezone, contact.phone)
    if not zones:
        return R1
    today = local_day(zones, now)
    current = due_stage(stages, contact.due_date, today)
    if cycle != contact.due_date or current is None or current.name != stage_name:
        return SUPERSEDED
    held = hold(contact, today)
    if held is not None:
        return held
    return blocking_rule(contact, zones, now, rules)


# What a thank-you may still be sent despite: it asks for nothing.
_THANKS_DESPITE = frozenset({NOTHING_OWED, R8})


def follow_up_check(
    contact: Contact, now: datetime, rules: ContactRules, *, reminder: bool
) -> str | None:
    """A promise's or an installment's follow-up, checked as it would go out: None to
    send it now, else the hold or the timing rule (R1, R4, R2) to wait for.

    The arrangement is what it speaks of, so a running one does not hold it. A
    broken promise's follow-up asks for the payment: it is a reminder (`reminder`),
    under R2's counts, and counts toward them once sent. A kept promise's thank-you
    asks for nothing: R2 limits reminders, so it neither waits for R2 nor counts,
    and an account the promise paid off (or one wholly disputed) is still thanked;
    R1's hours, R4's quiet windows and the holds (R3, R12, R16) bind it all the same."""
    zones = zones_for(contact.timezone, contact.phone)
    if not zones:
        return R1  # no zone and no country: no hour is safe
    held = hold(replace(contact, arrangement=False), local_day(zones, now))
    if held is not None and (reminder or held not in _THANKS_DESPITE):
        return held
    if not hours_allow(zones, now, rules):
        return R1
    if quiet_now(contact.quiet_windows, zones, now):
        return R4
    if reminder and not r2_allows(contact, zones, now, rules):
        return R2
    return None
