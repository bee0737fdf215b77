"""The loader points every problem at a file, a line and, where there is one, a state."""

from __future__ import annotations

import pytest

from bot.engine.errors import ScriptError, ScriptProblem
from bot.engine.loader import line_for, load_policy, load_script, parse_yaml, state_of

NESTED = "a:\n  b: yes\n  c:\n    - x\n    - {d: off}\n"


def test_each_key_and_item_has_the_line_it_is_written_on() -> None:
    data, lines = parse_yaml(NESTED, "f.yaml")
    # YAML 1.2: `yes` and `off` are words, not booleans.
    assert data == {"a": {"b": "yes", "c": ["x", {"d": "off"}]}}
    assert lines == {
        (): 1,
        ("a",): 1,
        ("a", "b"): 2,
        ("a", "c"): 3,
        ("a", "c", 0): 4,
        ("a", "c", 1): 5,
        ("a", "c", 1, "d"): 5,
    }


def test_a_mapping_key_line_wins_over_its_value_line() -> None:
    _, lines = parse_yaml("top:\n\n  key:\n\n    value\n", "f.yaml")
    assert lines[("top", "key")] == 3


def test_an_empty_file_has_no_lines() -> None:
    assert parse_yaml("", "f.yaml") == (None, {})


def test_a_deeper_path_takes_the_line_of_its_deepest_known_prefix() -> None:
    _, lines = parse_yaml(NESTED, "f.yaml")
    assert line_for(lines, ("a", "c", 1, "d", "e", 0)) == 5
    assert line_for(lines, ("a", "c", 7)) == 3
    assert line_for(lines, ("z",)) == 1
    assert line_for({}, ("a",)) == 1
    assert line_for({("a",): 4}, ()) == 1


def test_the_state_of_a_path_is_the_name_under_states() -> None:
    assert state_of(("states", "verify", "say", 0)) == "verify"
    assert state_of(("states", "verify")) == "verify"
    assert state_of(("states",)) is None
    assert state_of(("messages", "verify")) is None
    assert state_of(()) is None


def test_invalid_yaml_is_reported_on_its_line() -> None:
    with pytest.raises(ScriptError) as caught:
        load_script("id: s\nstates:\n  a: [1\n", "f.yaml")
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.state) == ("f.yaml", 4, None)
    assert problem.message.startswith("invalid YAML: while parsing a flow sequence")


@pytest.mark.parametrize("text", ["- 1\n- 2\n", "", "just text\n"])
def test_a_script_or_policy_must_be_a_mapping(text: str) -> None:
    expected = [ScriptProblem("f.yaml", 1, None, "expected a mapping at the top level")]
    with pytest.raises(ScriptError) as caught:
        load_script(text, "f.yaml")
    assert caught.value.problems == expected
    with pytest.raises(ScriptError) as caught:
        load_policy(text, "f.yaml")
    assert caught.value.problems == expected


def test_schema_errors_name_the_field_path_line_and_state() -> None:
    text = (
        'id: s\nversion: "1"\nstart: a\nverify_state: a\nstates:\n  a:\n    say:\n      - {id: m}\n'
    )
    with pytest.raises(ScriptError) as caught:
        load_script(text, "f.yaml")
    assert caught.value.problems == [
        ScriptProblem("f.yaml", 8, "a", "states.a.say.0.text: Field required")
    ]
