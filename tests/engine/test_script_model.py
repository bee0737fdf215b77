"""The script model: action shorthands, route lists, placeholders, waiting states, text ids."""

from __future__ import annotations

from typing import Any

import pytest

from bot.engine.script import ActionCall, Message, Script, State


@pytest.mark.parametrize(
    ("written", "calls"),
    [
        (None, []),
        ("verify_identity", [ActionCall(name="verify_identity")]),
        (["a", "b"], [ActionCall(name="a"), ActionCall(name="b")]),
        (
            [{"escalate": {"reason": "crisis"}}],
            [ActionCall(name="escalate", args={"reason": "crisis"})],
        ),
        ([{"pause_collection": None}], [ActionCall(name="pause_collection")]),
        ([{"name": "x", "args": {"k": 1}}], [ActionCall(name="x", args={"k": 1})]),
    ],
)
def test_actions_may_be_written_short(written: Any, calls: list[ActionCall]) -> None:
    state = State.model_validate({"enter": written, "actions": written, "end": True})
    assert state.enter == calls
    assert state.actions == calls


def test_a_mapping_of_two_actions_is_not_a_shorthand() -> None:
    with pytest.raises(ValueError, match="name"):
        State.model_validate({"enter": [{"a": {}, "b": {}}]})


def test_a_meaning_maps_to_one_route_or_a_list_tried_in_order() -> None:
    state = State.model_validate(
        {
            "intents": {
                "human": {"to": "agent"},
                "dispute": [{"to": "a", "when": "x"}, {"to": "b"}],
            }
        }
    )
    assert [r.to for r in state.intents["human"]] == ["agent"]
    assert [(r.to, r.when) for r in state.intents["dispute"]] == [("a", "x"), ("b", None)]


def test_placeholders_are_the_top_level_names_in_text_and_plural() -> None:
    message = Message(
        id="m",
        text="{name} owes {amount.value} on {dates[0]}; {{literal}}",
        plural="{name} owe {count} times",
        count="count",
    )
    assert message.placeholders() == {"name", "amount", "dates", "count"}
    assert Message(id="m", text="No names {}").placeholders() == set()


@pytest.mark.parametrize(
    ("spec", "waits"),
    [
        ({}, False),
        ({"next": [{"to": "x"}]}, False),
        ({"choices": [{"id": "y", "label": "Yes"}]}, True),
        (
            {"dynamic_choices": {"each": "xs", "id": "id", "label": {"id": "l", "text": "{id}"}}},
            True,
        ),
        ({"input": {"type": "amount", "store": "a", "invalid": "bad"}}, True),
        ({"end": True}, True),
    ],
)
def test_a_state_waits_when_it_asks_or_ends(spec: dict[str, Any], waits: bool) -> None:
    assert State.model_validate(spec).waits is waits


def test_every_text_has_a_full_id_in_the_message_table() -> None:
    script = Script.model_validate(
        {
            "id": "s",
            "version": "1",
            "start": "a",
            "verify_state": "a",
            "messages": {"hello": "Hello"},
            "states": {
                "a": {
                    "say": [{"id": "ask", "text": "Which?"}],
                    "choices": [{"id": "yes", "label": "Yes"}],
                    "dynamic_choices": {
                        "each": "plan_options",
                        "id": "id",
                        "label": {"id": "plan", "text": "{months} months"},
                    },
                }
            },
        }
    )
    table = script.message_table()
    assert {k: (m.id, m.text) for k, m in table.items()} == {
        "s.hello": ("hello", "Hello"),
        "s.a.ask": ("ask", "Which?"),
        "s.a.choice.yes": ("yes", "Yes"),
        "s.a.plan": ("plan", "{months} months"),
    }
    assert script.message_table() is table
