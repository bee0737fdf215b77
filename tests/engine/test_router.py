"""The router's rules, stated on the pure function: a reading in, one decision out.

The router sees the script, the state, the reading and the scope the message
arrived in, and nothing else: no step, no text to scan for meanings.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

import pytest

from bot.domain.quiet_windows import QuietWindow
from bot.engine import router
from bot.engine.router import (
    AskBack,
    AskWhichDate,
    Choose,
    Failed,
    Follow,
    NoteAndFollow,
    PromptAgain,
    Restart,
    Store,
    TakeRoute,
)
from bot.engine.scope import computed_from, computed_names
from bot.engine.script import DATE_CHOICE, MEANING_CHOICE, SOMETHING_ELSE, InputSpec, InputType
from bot.engine.types import Context, QuietTimes, Reading, Sense
from tests.engine.driver import NOW, make_account, repayment_script, shipped_policy

# The names a verified borrower's step sees, built as the step builds them.
SCOPE: dict[str, Any] = computed_names(
    computed_from({}), True, "en", 0, Context(make_account(), shipped_policy(), NOW)
)


def route(state: str, reading: Reading, text: str = "hmm") -> router.Decision:
    script = repayment_script()
    return router.route_text(script, script.states[state], reading, text, SCOPE)


def sure(meaning: str, **fields: Any) -> Reading:
    return Reading(senses=(Sense(meaning, 0.9),), sure=True, **fields)


@pytest.mark.rule("R12")
@pytest.mark.parametrize("state", ["menu", "dispute_reason", "verify", "handoff_wait"])
def test_crisis_comes_before_everything_in_every_state(state: str) -> None:
    reading = sure("human", crisis=True, cues=frozenset({"human", "stop"}))
    assert route(state, reading) == Follow("crisis", False)


@pytest.mark.rule("R13")
@pytest.mark.parametrize("state", ["menu", "dispute_reason", "verify"])
def test_a_person_asked_for_in_words_is_reached_in_every_state(state: str) -> None:
    assert route(state, Reading(cues=frozenset({"human"}))) == Follow("handoff", True)


@pytest.mark.rule("R13")
@pytest.mark.parametrize("top", ["dispute", "decline"])
def test_person_words_in_a_dispute_or_a_refusal_are_no_request(top: str) -> None:
    reading = Reading(senses=(Sense(top, 0.4),), cues=frozenset({"human"}))
    assert not router.wants_person(reading)
    assert router.wants_person(sure("human"))


def test_no_reading_is_nothing_understood_whatever_the_text_says() -> None:
    assert route("menu", router.NOTHING_READ, "I want to kill myself, agent") == Failed(None)


@pytest.mark.rule("R3")
def test_stop_in_a_free_text_answer_detours_and_keeps_no_answer() -> None:
    reading = Reading(cues=frozenset({"stop"}))
    assert route("dispute_reason", reading, "stop, the fee is wrong") == NoteAndFollow(
        None, "opted_out", True
    )


@pytest.mark.rule("R15")
def test_a_complaint_in_a_free_text_answer_keeps_the_text_as_the_answer() -> None:
    reading = Reading(cues=frozenset({"complaint"}))
    text = "this fee is unfair"
    assert route("dispute_reason", reading, text) == NoteAndFollow(text, "complaint", False)


@pytest.mark.rule("R11")
def test_hardship_in_a_free_text_answer_follows_only_where_its_guard_holds() -> None:
    script = repayment_script()
    state = script.states["dispute_reason"]
    reading = Reading(cues=frozenset({"hardship"}))
    text = "I lost my job"
    assert router.route_text(script, state, reading, text, SCOPE) == NoteAndFollow(
        text, "hardship", False
    )
    # Not verified: the hardship route does not apply, the text is the reason.
    unverified = computed_names(
        computed_from({}), False, "en", 0, Context(make_account(), shipped_policy(), NOW)
    )
    assert router.route_text(script, state, reading, text, unverified) == Store(text)


def test_a_global_meaning_does_not_hijack_a_free_text_answer() -> None:
    assert route("dispute_reason", sure("how_to_pay"), "how do I pay") == Store("how do I pay")
    assert route("menu", sure("how_to_pay"), "how do I pay") == Follow("payment_info", False)


def test_the_states_own_meaning_presses_its_button() -> None:
    assert route("menu", sure("installment")) == Choose("plan")


def test_a_monthly_amount_where_the_state_takes_offers_is_an_offer() -> None:
    reading = Reading(amount=Decimal(100), monthly=True)
    decision = route("menu", reading)
    assert isinstance(decision, TakeRoute)
    assert (decision.to, decision.value) == ("plan_decision", Decimal(100))
    weekly = Reading(amount=Decimal(100), monthly=True, other_period=True)
    assert not isinstance(route("menu", weekly), TakeRoute)


def test_a_date_that_reads_two_ways_is_asked_back() -> None:
    days = (date(2026, 12, 5), date(2026, 5, 12), date(2027, 1, 1))
    decision = route("promise", Reading(dates=days), "5/12")
    assert decision == AskWhichDate(days[:2])


def test_an_unsure_reading_offers_the_meanings_that_lead_somewhere() -> None:
    reading = Reading(
        senses=(Sense("installment", 0.4), Sense("crisis", 0.3), Sense("off_topic", 0.3))
    )
    assert route("menu", reading) == AskBack(("installment",))


def test_writing_after_the_goodbye_restarts() -> None:
    assert route("goodbye", router.NOTHING_READ) == Restart()


def test_the_buttons_of_asking_back() -> None:
    script = repayment_script()
    menu = script.states["menu"]
    assert (
        router.route_choice(script, menu, MEANING_CHOICE + SOMETHING_ELSE, SCOPE) == PromptAgain()
    )
    assert router.route_choice(script, menu, MEANING_CHOICE + "crisis", SCOPE) == Failed(None)
    assert router.route_choice(script, menu, MEANING_CHOICE + "installment", SCOPE) == Choose(
        "plan"
    )
    assert router.route_choice(script, menu, DATE_CHOICE + "2026-12-05", SCOPE) == Failed(None)
    dates = script.states["promise"]
    assert router.route_choice(script, dates, DATE_CHOICE + "2026-12-05", SCOPE) == Store(
        date(2026, 12, 5)
    )
    invalid = dates.input.invalid if dates.input is not None else None
    assert router.route_choice(script, dates, DATE_CHOICE + "not-a-date", SCOPE) == Failed(invalid)


@pytest.mark.rule("R5")
def test_a_button_of_asking_back_follows_the_scripts_guarded_route() -> None:
    """A meaning the state has no route for is served by the script's own route, whose
    guard is read in the step's scope: payment details only for a verified borrower."""
    script = repayment_script()
    promise = script.states["promise"]
    assert "how_to_pay" not in promise.intents
    assert router.route_choice(script, promise, MEANING_CHOICE + "how_to_pay", SCOPE) == Follow(
        "payment_info", False
    )
    unverified = computed_names(
        computed_from({}), False, "en", 0, Context(make_account(), shipped_policy(), NOW)
    )
    assert router.route_choice(
        script, promise, MEANING_CHOICE + "how_to_pay", unverified
    ) == Failed(None)


def test_a_yes_presses_only_a_button_that_is_shown() -> None:
    """ "Yes" at the choice of disputed charges means Continue only once Continue is
    offered: with no charge picked yet its button is hidden and nothing is pressed."""
    script = repayment_script()
    select = script.states["dispute_select"]
    yes = sure("confirm", answer=True)
    picked = {**SCOPE, "dispute_count": 1}
    assert router.route_text(script, select, yes, "yes", picked) == Choose("continue")
    assert router.route_text(script, select, yes, "yes", {**SCOPE, "dispute_count": 0}) == Failed(
        None
    )
    assert not router.routable(script, select, "confirm", {**SCOPE, "dispute_count": 0})


def test_a_routes_actions_get_what_the_message_named_for_its_meaning() -> None:
    """A yes or no goes to the actions of a confirm or decline route as the answer; a
    date goes only to the meanings that are about a date."""
    day = date(2026, 12, 5)
    assert router.route_value(Reading(answer=True), "confirm") is True
    assert router.route_value(Reading(answer=False), "decline") is False
    assert router.route_value(Reading(dates=(day,)), "promise") == day
    assert router.route_value(Reading(dates=(day,), answer=True), "hardship") is None


@pytest.mark.rule("R4")
def test_asking_when_the_bot_writes_opens_the_reminder_settings_as_a_detour() -> None:
    """ "When can you contact me?" names no hours: it leads where /reminders leads, and
    returns to the question after; a free-text answer is never hijacked by it."""
    asked = Reading(cues=frozenset({router.CONTACT_TIMES}))
    assert route("menu", asked) == Follow("contact_settings", True)
    assert route("dispute_reason", asked) != Follow("contact_settings", True)


@pytest.mark.parametrize(
    ("limit", "inside", "outside"), [("min", 0, -1), ("max", 0, 1)], ids=["min", "max"]
)
def test_a_typed_date_fits_its_limit_exactly_at_it_and_not_a_day_beyond(
    limit: str, inside: int, outside: int
) -> None:
    """An input's `min` and `max` are read in the step's scope and are inclusive."""
    today: date = SCOPE["today"]
    spec = InputSpec(type=InputType.DATE, store="d", invalid="bad", **{limit: "today"})
    for days in (inside, -2 * outside):
        day = today + timedelta(days=days)
        assert router.within_limits(spec, day, SCOPE) == day
    assert router.within_limits(spec, today + timedelta(days=outside), SCOPE) is None


@pytest.mark.rule("R4")
def test_new_quiet_hours_at_the_confirmation_are_the_answer_whatever_else_they_say() -> None:
    """ "No, 22:00 to 08:00 instead" when asked to confirm quiet hours: the hours read are
    stored, not taken as the No button, up to the input's length limit and not beyond."""
    script = repayment_script()
    confirm = script.states["quiet_confirm"]
    spec = confirm.input
    assert spec is not None
    night = QuietWindow(frozenset(range(7)), time(22), time(8))
    reading = Reading(
        senses=(Sense("decline", 0.9),), sure=True, answer=False, quiet_windows=(night,)
    )
    words = "No, 22:00 to 08:00 instead"
    for text in (words, words.ljust(spec.max_length, ".")):
        decision = router.route_text(script, confirm, reading, text, SCOPE)
        assert decision == Store(QuietTimes((night,)))
    too_long = words.ljust(spec.max_length + 1, ".")
    assert router.route_text(script, confirm, reading, too_long, SCOPE) != Store(
        QuietTimes((night,))
    )


def test_quiet_hours_asked_for_and_none_read_is_not_understood() -> None:
    """R4: words with no hours in them are no answer to "when should I not write?": the
    question is asked again, nothing empty is stored."""
    assert route("quiet_ask", Reading(), "whenever suits you") == Failed("bad_quiet")


def test_an_amount_read_in_the_words_comes_before_the_whole_message_as_a_number() -> None:
    """At a question for an amount, the amount the reader found ("200 on the 15th") is
    the answer; the whole message read as one number is only the fallback."""
    both = Reading(amount=Decimal(200), value_amount=Decimal(15))
    assert route("plan_custom", both, "200 on the 15th") == Store(Decimal(200))
    assert route("plan_custom", Reading(value_amount=Decimal(15)), "15") == Store(Decimal(15))


@pytest.mark.rule("R15")
def test_a_complaint_the_model_is_sure_of_in_a_free_text_answer_is_recognised() -> None:
    """No complaint cue words, but a sure reading of a complaint: the dispute reason is
    kept and the complaint followed; an unsure reading is only the reason."""
    text = "the fee is wrong and I want this looked at properly"
    assert route("dispute_reason", sure("complaint"), text) == NoteAndFollow(
        text, "complaint", False
    )
    unsure = Reading(senses=(Sense("complaint", 0.9),))
    assert route("dispute_reason", unsure, text) == Store(text)


@pytest.mark.rule("R15")
def test_complaining_to_the_person_once_the_complaint_is_logged_is_its_details() -> None:
    """Written to the person, complaining words open a complaint; once one is logged
    they are its details, stored as the message. STOP still detours (R3), and a
    complaint about staff is no request for a person (R13)."""
    script = repayment_script()
    waiting = script.states["handoff_wait"]
    text = "your agent was rude, I want to complain"
    complaint = Reading(cues=frozenset({"complaint"}))
    logged = {**SCOPE, "escalated_for": ["complaint"]}
    assert router.route_text(script, waiting, complaint, text, SCOPE) == NoteAndFollow(
        text, "complaint", False
    )
    assert router.route_text(script, waiting, complaint, text, logged) == Store(text)
    stop = Reading(cues=frozenset({"stop"}))
    assert router.route_text(script, waiting, stop, "stop", logged) == NoteAndFollow(
        None, "opted_out", True
    )
    assert not router.wants_person(Reading(cues=frozenset({"complaint", "human"})))


# ---- a charge named where the state lists charges ----


@pytest.mark.parametrize("meaning", ["dispute", "inform", "complaint", "off_topic"])
def test_a_charge_named_at_the_selection_is_chosen_whatever_it_is_read_to_mean(
    meaning: str,
) -> None:
    from bot.engine.types import SaidCharges

    script = repayment_script()
    reading = Reading(
        senses=(Sense(meaning, 0.9),), sure=True, charges=("C3",), charge_reason="paid on time"
    )
    decision = router.route_text(
        script, script.states["dispute_select"], reading, "the late fee, paid on time", {}
    )
    assert isinstance(decision, router.TakeRoute)
    assert decision.to == "dispute_named"
    assert decision.value == SaidCharges(("C3",), "paid on time")


@pytest.mark.rule("R15")
def test_a_complaint_naming_a_charge_at_the_selection_is_a_complaint_R15() -> None:
    script = repayment_script()
    reading = Reading(
        senses=(Sense("complaint", 0.9),),
        sure=True,
        charges=("C3",),
        cues=frozenset({"complaint"}),
    )
    decision = router.route_text(script, script.states["dispute_select"], reading, "x", {})
    assert decision == router.Follow("complaint", False)
