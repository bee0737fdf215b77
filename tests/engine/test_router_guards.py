"""The first rules of the router (crisis, a possible crisis, "I'm safe", a person)
with the guards and routes a script may give them, on the pure function.

The shipped script gives these routes no `when` and the state's person route is a
button, so a guard read in no scope, or a route that is not a button, would go
unnoticed with it alone: each test gives one route a guard or another form, on a
copy of the shipped script, and checks that the router reads it as written.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.engine import router
from bot.engine.router import Choose, Follow, TakeRoute
from bot.engine.scope import computed_from, computed_names
from bot.engine.script import POSSIBLE_CRISIS, SAFE_ANSWER, GlobalRoute, IntentRoute, Script, State
from bot.engine.types import Context, Reading, Sense
from tests.engine.driver import NOW, make_account, repayment_script, shipped_policy


def _scope(verified: bool) -> dict[str, Any]:
    """The names a step sees, built as the step builds them."""
    ctx = Context(make_account(), shipped_policy(), NOW)
    return computed_names(computed_from({}), verified, "en", 0, ctx)


VERIFIED = _scope(True)
UNVERIFIED = _scope(False)


def _with_global(meaning: str, route: GlobalRoute) -> Script:
    script = repayment_script()
    return script.model_copy(update={"intents": {**script.intents, meaning: route}})


def _with_own(state: str, meaning: str, *routes: IntentRoute) -> State:
    found = repayment_script().states[state]
    return found.model_copy(update={"intents": {**found.intents, meaning: list(routes)}})


def _sure(meaning: str, **fields: Any) -> Reading:
    return Reading(senses=(Sense(meaning, 0.9),), sure=True, **fields)


@pytest.mark.rule("R12")
def test_a_guard_on_the_crisis_route_is_read_in_the_steps_scope() -> None:
    script = _with_global("crisis", GlobalRoute(to="crisis", when="verified"))
    menu = script.states["menu"]
    crisis = Reading(crisis=True)
    assert router.route_text(script, menu, crisis, "hmm", VERIFIED) == Follow("crisis", False)
    assert router.route_text(script, menu, crisis, "hmm", UNVERIFIED) != Follow("crisis", False)


@pytest.mark.rule("R12")
def test_a_guard_on_the_possible_crisis_route_is_read_in_the_steps_scope() -> None:
    route = GlobalRoute(to="crisis_check", when="verified", detour=True)
    script = _with_global(POSSIBLE_CRISIS, route)
    menu = script.states["menu"]
    farewell = Reading(possible_crisis=True)
    asked = Follow("crisis_check", True)
    assert router.route_text(script, menu, farewell, "goodbye", VERIFIED) == asked
    assert router.route_text(script, menu, farewell, "goodbye", UNVERIFIED) != asked


@pytest.mark.rule("R12")
def test_a_guard_on_the_safe_answer_is_read_with_what_the_message_named() -> None:
    """The guard of a state's `safe` route sees the scope and the said_* names."""
    script = repayment_script()
    check = _with_own(
        "crisis_check", SAFE_ANSWER, IntentRoute(to="crisis_eased", when="verified and said_all")
    )
    safe_all = Reading(safe=True, all_of_it=True)
    eased = TakeRoute((), None, "crisis_eased")
    assert router.route_text(script, check, safe_all, "I'm ok", VERIFIED) == eased
    assert router.route_text(script, check, Reading(safe=True), "I'm ok", VERIFIED) != eased
    assert router.route_text(script, check, safe_all, "I'm ok", UNVERIFIED) != eased


@pytest.mark.rule("R12")
def test_a_safe_answer_routed_to_a_button_presses_it() -> None:
    script = repayment_script()
    check = _with_own("crisis_check", SAFE_ANSWER, IntentRoute(choice="safe"))
    assert router.route_text(script, check, Reading(safe=True), "I'm ok", VERIFIED) == Choose(
        "safe"
    )
    # A plain yes is the same answer there.
    assert router.route_text(script, check, Reading(answer=True), "yes", VERIFIED) == Choose("safe")


@pytest.mark.rule("R12")
def test_the_shipped_safe_answer_goes_on_to_crisis_eased() -> None:
    script = repayment_script()
    check = script.states["crisis_check"]
    eased = TakeRoute((), None, "crisis_eased")
    assert router.route_text(script, check, Reading(safe=True), "I'm ok", VERIFIED) == eased
    assert router.route_text(script, check, _sure("confirm", answer=True), "yes", VERIFIED) == eased


@pytest.mark.rule("R11")
@pytest.mark.rule("R13")
def test_a_person_asked_for_at_the_hardship_options_is_its_own_person_button() -> None:
    """The hardship state's own route for a person (its "Talk to a person" button,
    the hardship handoff) comes before the script's global one."""
    script = repayment_script()
    hardship = script.states["hardship"]
    person = Reading(cues=frozenset({"human"}))
    assert router.route_text(script, hardship, person, "a person please", VERIFIED) == Choose(
        "person"
    )


@pytest.mark.rule("R13")
def test_a_states_own_person_route_is_guarded_and_may_lead_to_a_state() -> None:
    script = repayment_script()
    person = Reading(cues=frozenset({"human"}))
    guarded = _with_own("hardship", "human", IntentRoute(choice="person", when="verified"))
    assert router.route_text(script, guarded, person, "a person", VERIFIED) == Choose("person")
    assert router.route_text(script, guarded, person, "a person", UNVERIFIED) == Follow(
        "handoff", True
    )
    to_state = _with_own("hardship", "human", IntentRoute(to="handoff_hardship"))
    assert router.route_text(script, to_state, person, "a person", VERIFIED) == TakeRoute(
        (), None, "handoff_hardship"
    )


@pytest.mark.rule("R13")
@pytest.mark.rule("R15")
def test_only_a_sure_complaint_keeps_person_words_from_being_a_request() -> None:
    """Person words are a request for a person (R13) whatever else the model is sure
    of; only a complaint (R15: its own cue, or the model sure of it) is not one."""
    human = frozenset({"human"})
    assert router.wants_person(_sure("extension", cues=human))
    assert not router.wants_person(_sure("complaint", cues=human))
    unsure_complaint = Reading(senses=(Sense("complaint", 0.5),), cues=human)
    assert router.wants_person(unsure_complaint)
