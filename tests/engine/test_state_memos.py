"""Whether a state asks for money is worked out once per state (issue 11 point 3);
a copy of the state with other actions must never be answered from that memo."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from bot.engine.expressions import ExpressionError, guard, holds
from bot.engine.machine import _asks_for_money
from bot.engine.said import offered_in, said_in
from bot.engine.script import ActionCall
from tests.engine.driver import repayment_script


def test_a_copied_state_that_asks_for_money_is_guarded_as_such() -> None:
    greeting = repayment_script().states["greeting"]
    assert _asks_for_money(greeting) is False  # worked out and kept
    # model_copy copies the instance dict, memo included: it must not be used.
    paying = greeting.model_copy(update={"enter": [ActionCall(name="prepare_plan_options")]})
    assert _asks_for_money(paying) is True
    flagged = greeting.model_copy(update={"asks_for_money": True})
    assert _asks_for_money(flagged) is True
    assert _asks_for_money(greeting) is False
    assert _asks_for_money(paying) is True  # its own memo now


def test_a_copied_script_with_other_texts_renders_its_own() -> None:
    script = repayment_script()
    key = f"{script.id}.not_understood"
    original = script.message_table()[key].text  # built and kept
    messages = {**script.messages, "not_understood": "Sorry, say that again?"}
    edited = script.model_copy(update={"messages": messages})
    assert edited.message_table()[key].text == "Sorry, say that again?"
    assert script.message_table()[key].text == original


def test_a_copied_state_with_other_messages_or_buttons_says_and_offers_its_own() -> None:
    script = repayment_script()
    menu = script.states["menu"]
    said = said_in(script.id, "menu", menu)  # worked out and kept
    assert [s.message_id for s in said] == [
        "repayment.menu.ask_menu",
        "repayment.menu.ask_menu_paused",
    ]
    assert said_in(script.id, "menu", menu) is said
    shorter = menu.model_copy(update={"say": menu.say[:1], "choices": menu.choices[-1:]})
    assert [s.message_id for s in said_in(script.id, "menu", shorter)] == [
        "repayment.menu.ask_menu"
    ]
    assert [o.choice.choice_id for o in offered_in(script.id, "menu", shorter)] == ["done"]
    # Another script (or name) holding the same state object gets its own ids.
    other = offered_in("collections", "menu", menu)
    assert other[0].choice.label.message_id == "collections.menu.choice.pay_full"
    assert len(offered_in(script.id, "menu", menu)) == len(menu.choices)


def test_a_kept_guard_answers_as_holds_does_the_sandbox_included() -> None:
    cases: list[tuple[str, dict[str, Any]]] = [
        ("days_past_due > 0", {"days_past_due": 3}),
        ("days_past_due > 0", {"days_past_due": None}),  # TypeError: the sandbox answers
        ("stage == 'late' and not collection_paused", {"stage": "late"}),
        ("charges | length > 1", {"charges": [1, 2]}),
        ("charges | map(attribute='x') | list", {"charges": []}),  # not the fast subset
        ("not collection_paused", {}),
        ("arrangement_kind == 'extension' or has_disputes", {"has_disputes": [1]}),
        ("dispute_count", {"dispute_count": 0}),
        ("'late' in stage", {"stage": None}),  # TypeError: the sandbox answers
    ]
    for source, scope in cases:
        assert outcome(guard(source), scope) == outcome(partial(holds, source), scope)
    assert outcome(guard("days_past_due > 0"), {"days_past_due": None}) == "ExpressionError"


def outcome(check: Callable[[dict[str, Any]], object], scope: dict[str, Any]) -> object:
    try:
        return bool(check(scope))
    except ExpressionError as error:
        return type(error).__name__
