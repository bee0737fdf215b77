"""Whether a state asks for money is worked out once per state (issue 11 point 3);
a copy of the state with other actions must never be answered from that memo."""

from __future__ import annotations

from bot.engine.machine import _asks_for_money
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
