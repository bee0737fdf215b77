"""The portfolio planner's remembered decisions are `contact_rules.plan`'s, account by account
(issue 31 point 8): the same Decision on any account, zone, due date, hold or history."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.cadence import ContactRules, RemindersPolicy
from bot.domain.contact_hours import day_hours, local_day, zones_for
from bot.domain.contact_rules import Contact, plan
from bot.domain.planning import Planning
from bot.domain.quiet_windows import QuietWindow

STAGES = RemindersPolicy().stages
# Known zones, a country's zones from the phone (an unknown zone), no zone at all.
PLACES = [
    ("America/New_York", "+12125550000"),
    ("Asia/Shanghai", "+8613800000000"),
    ("Pacific/Auckland", ""),
    ("Nowhere/Else", "+12125550000"),
    ("", "+85291230000"),
    ("UTC", ""),
    ("", ""),
]
NOW = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)
RULES = [ContactRules(), ContactRules(start=time(9), end=time(17))]


@st.composite
def contacts(draw: st.DrawFn) -> Contact:
    zone, phone = draw(st.sampled_from(PLACES))
    due = NOW.date() + timedelta(days=draw(st.integers(min_value=-40, max_value=10)))
    sent = draw(st.lists(st.integers(min_value=1, max_value=60 * 24 * 9), max_size=3))
    quiet = draw(st.booleans())
    return Contact(
        account_id=f"A-{draw(st.integers(min_value=0, max_value=10**6))}",
        timezone=zone,
        phone=phone,
        due_date=due,
        opted_out=draw(st.booleans()) and draw(st.booleans()),
        collection_paused=draw(st.booleans()) and draw(st.booleans()),
        person_owns=draw(st.booleans()) and draw(st.booleans()),
        undisputed=draw(st.sampled_from([0, 1, 1, 1])),
        quiet_windows=(QuietWindow(frozenset(range(7)), time(12), time(14)),) if quiet else (),
        sent=tuple(NOW - timedelta(minutes=m) for m in sent),
        completed_at=NOW - timedelta(days=2) if draw(st.booleans()) else None,
        stages_queued=frozenset(draw(st.sets(st.sampled_from([s.name for s in STAGES])))),
    )


@settings(max_examples=400, deadline=None)
@given(
    st.lists(contacts(), min_size=1, max_size=20),
    st.integers(min_value=0, max_value=47),
    st.sampled_from(RULES),
)
def test_each_decision_is_the_one_plan_makes_alone(
    portfolio: list[Contact], half_hours: int, rules: ContactRules
) -> None:
    now = NOW + timedelta(minutes=30 * half_hours)  # day and night in every zone
    planning = Planning(STAGES, now, rules)
    for contact in portfolio:  # one Planning for all: what it remembers must not leak
        assert planning.decide(contact) == plan(contact, STAGES, now, rules)


def test_a_queued_reminder_weighs_on_its_borrowers_allowed_hours_that_day() -> None:
    rules = ContactRules()
    planning = Planning(STAGES, NOW, rules)
    contact = Contact("A-1", "Asia/Shanghai", due_date=NOW.date() - timedelta(days=1))
    decision = planning.decide(contact)
    assert decision.send_at is not None
    zones = zones_for("Asia/Shanghai", "")
    day: date = local_day(zones, decision.send_at)
    assert planning.window(contact, decision.send_at) == day_hours(
        zones[0], day, rules.start, rules.end
    )
    start, end = planning.window(contact, decision.send_at)
    assert start <= decision.send_at < end


def test_the_allowed_hours_of_a_contact_known_by_its_phone_only_are_its_countrys() -> None:
    """No zone on the account: the window is that of the first zone of the country
    its phone is in (R1's zones, contact_hours.zones_for), as `plan` reads it."""
    rules = ContactRules()
    planning = Planning(STAGES, NOW, rules)
    contact = Contact("A-1", "", phone="+8613800000000", due_date=NOW.date() - timedelta(days=1))
    send_at = datetime(2026, 12, 7, 5, tzinfo=UTC)
    zones = zones_for("", "+8613800000000")
    assert zones
    assert planning.window(contact, send_at) == day_hours(
        zones[0], local_day(zones, send_at), rules.start, rules.end
    )


def test_a_breathing_space_holds_reminders_on_the_borrowers_own_days_only() -> None:
    """R16 read on the borrower's day, as `plan` reads it: at 03:00 UTC on 7 December a
    space that ended on the 6th is over in Shanghai (already the 7th) but still on in
    New York (still the 6th); one from the 8th holds nothing yet; one from the 7th does
    in Shanghai."""
    rules = ContactRules()
    planning = Planning(STAGES, NOW, rules)
    due = NOW.date() - timedelta(days=1)

    def decided(
        zone: str, *, until: date | None = None, since: date | None = None
    ) -> tuple[str | None, bool]:
        contact = Contact(
            "A-1",
            zone,
            due_date=due,
            breathing_space=True,
            breathing_space_until=until,
            breathing_space_from=since,
        )
        decision = planning.decide(contact)
        assert decision == plan(contact, STAGES, NOW, rules)
        return decision.reason, decision.send_at is not None

    ended = date(2026, 12, 6)
    assert decided("Asia/Shanghai", until=ended)[1]
    assert decided("America/New_York", until=ended) == ("R16", False)
    assert decided("Asia/Shanghai", since=date(2026, 12, 8))[1]
    assert decided("Asia/Shanghai", since=NOW.date()) == ("R16", False)


def test_a_country_whose_zones_share_no_allowed_hour_is_held_by_r1_in_its_stage() -> None:
    """R1 with the zones of a phone only: noon to 14:00 in New York and in Honolulu never
    meet, so no moment is safe; the account stays in its stage, held by R1, unsent."""
    rules = ContactRules(start=time(12), end=time(14))
    contact = Contact("A-1", "", phone="+12125550000", due_date=NOW.date() - timedelta(days=1))
    decision = Planning(STAGES, NOW, rules).decide(contact)
    assert decision == plan(contact, STAGES, NOW, rules)
    assert decision.stage is not None
    assert (decision.send_at, decision.reason) == (None, "R1")


def test_hours_that_meet_only_after_a_clock_change_are_looked_for_past_two_days() -> None:
    """R1 looks past the next two days when they have no allowed moment: 09:00 to 14:30
    in New York and in Honolulu (six hours apart) never meet until New York's clocks go
    back on Sunday 1 November 2026; from then 19:00 to 19:30 UTC is in both."""
    now = datetime(2026, 10, 29, 20, tzinfo=UTC)
    rules = ContactRules(start=time(9), end=time(14, 30))
    contact = Contact("A-1", "", phone="+12125550000", due_date=now.date() - timedelta(days=1))
    decision = Planning(STAGES, now, rules).decide(contact)
    assert decision == plan(contact, STAGES, now, rules)
    assert decision.send_at is not None
    assert (
        datetime(2026, 11, 1, 19, tzinfo=UTC)
        <= decision.send_at
        < datetime(2026, 11, 1, 19, 30, tzinfo=UTC)
    )
    assert decision.reason == "R1"
