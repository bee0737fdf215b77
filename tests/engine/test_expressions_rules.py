"""Script guards: a small sandboxed language, with a fast path for the subset scripts use."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.engine.expressions import (
    ExpressionError,
    _fast,
    check,
    compared_literals,
    evaluate,
    holds,
    names_used,
)

ROOT = Path(__file__).resolve().parents[2]


FAST_CASES: list[tuple[str, dict[str, Any], Any]] = [
    ("x == 1", {"x": 1}, True),
    ("x == 1", {"x": 2}, False),
    ("x != 1", {"x": 2}, True),
    ("x != 1", {"x": 1}, False),
    ("x > 1", {"x": 1}, False),
    ("x > 1", {"x": 2}, True),
    ("x >= 1", {"x": 1}, True),
    ("x >= 1", {"x": 0}, False),
    ("x < 1", {"x": 1}, False),
    ("x < 1", {"x": 0}, True),
    ("x <= 1", {"x": 1}, True),
    ("x <= 1", {"x": 2}, False),
    ("'a' in x", {"x": ["a"]}, True),
    ("'a' in x", {"x": ["b"]}, False),
    ("'a' not in x", {"x": ["b"]}, True),
    ("'a' not in x", {"x": ["a"]}, False),
    ("not x", {"x": 0}, True),
    ("not x", {"x": 1}, False),
    ("not x", {}, True),
    ("x == 'done'", {}, False),
    ("x != 'done'", {"x": "open"}, True),
    ("x > 0", {"x": 3}, True),
    ("x and y", {"x": 1, "y": 2}, 2),
    ("x and y", {"x": 0, "y": 2}, 0),
    ("x or y", {"x": 0, "y": 2}, 2),
    ("x or y", {"x": 3, "y": 2}, 3),
    ("items | length", {"items": [1, 2, 3]}, 3),
    ("items | length > 0", {"items": []}, False),
    ("missing", {}, None),
    ("'text'", {}, "text"),
    ("x == 'done' and not (y or z)", {"x": "done", "y": 0, "z": ""}, True),
]
# Outside the fast subset, the sandbox answers the same way.
SANDBOX_CASES: list[tuple[str, dict[str, Any], Any]] = [
    ("1 < x < 3", {"x": 2}, True),
    ("1 < x < 3", {"x": 3}, False),
    ("x in [1, 2]", {"x": 2}, True),
    ("x + 1", {"x": 2}, 3),
    ("x is none", {"x": None}, True),
]


@pytest.mark.parametrize(("source", "scope", "expected"), FAST_CASES + SANDBOX_CASES)
def test_expressions_evaluate_like_jinja(source: str, scope: dict[str, Any], expected: Any) -> None:
    assert evaluate(source, scope) == expected
    assert holds(source, scope) is bool(expected)


@pytest.mark.parametrize(("source", "scope", "expected"), FAST_CASES)
def test_the_fast_path_alone_gives_the_same_answers(
    source: str, scope: dict[str, Any], expected: Any
) -> None:
    # evaluate() falls back to the sandbox when the fast closure fails: checked alone,
    # a fault in the fast path cannot hide behind the fallback.
    fast = _fast(source)
    assert fast is not None
    assert fast(scope) == expected


def test_a_missing_guard_always_holds() -> None:
    assert holds(None, {}) is True


def test_a_guard_that_fails_at_run_time_names_itself() -> None:
    with pytest.raises(ExpressionError, match=r"^expression 'x > 0' failed: .*not supported"):
        evaluate("x > 0", {"x": None})
    with pytest.raises(ExpressionError, match=r"^expression 'x > 0' failed: .*not supported"):
        holds("x > 0", {"x": None})  # the guard's own fast path falls back the same way
    with pytest.raises(ExpressionError, match=r"^expression 'x.y\(\)' failed"):
        evaluate("x.y()", {"x": 1})


@pytest.mark.parametrize("function", [check, names_used, compared_literals])
def test_a_guard_that_does_not_compile_names_itself(function: Any) -> None:
    with pytest.raises(ExpressionError, match=r"^invalid expression 'x ==': unexpected"):
        function("x ==")


def test_an_invalid_guard_is_refused_when_evaluated() -> None:
    with pytest.raises(ExpressionError, match=r"^invalid expression 'x =='"):
        evaluate("x ==", {})


def test_names_used_are_the_variables_read() -> None:
    assert names_used("x == y and z | length > 0 and 'w' in v") == {"x", "y", "z", "v"}
    assert names_used("1 == 1") == set()


def test_compared_literals_are_the_strings_a_name_is_tested_against() -> None:
    assert compared_literals(
        "x == 'a' and 'b' != y and z > 'c' and w == 1 and q == r and t == 'u' == 'v'"
    ) == {("x", "a"), ("y", "b"), ("t", "u"), ("t", "v")}
    assert compared_literals("x") == set()


def _guards(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [v for k, v in node.items() if k in ("when", "each") and isinstance(v, str)]
        return found + [g for v in node.values() for g in _guards(v)]
    if isinstance(node, list):
        return [g for v in node for g in _guards(v)]
    return []


def test_every_guard_of_the_shipped_script_takes_the_fast_path() -> None:
    """A guard costs a few calls, not a Jinja context: the script's guards all fit the subset."""
    script = yaml.safe_load((ROOT / "dialogs" / "repayment.yaml").read_text(encoding="utf-8"))
    guards = sorted(set(_guards(script)))
    assert len(guards) > 20
    slow = [g for g in guards if _fast(g) is None]
    assert slow == []


@pytest.mark.parametrize(
    "source",
    ["x ==", "1 < x < 3", "x in [1, 2]", "x + 1", "x.y", "x | upper", "x | length(1)", "{{ x }}"],
)
def test_anything_beyond_the_subset_is_left_to_the_sandbox(source: str) -> None:
    assert _fast(source) is None
