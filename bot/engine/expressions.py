"""Guards and computed values in a sandboxed expression language.

Scripts are data edited by managers, so their conditions must never reach
Python's eval: Jinja2's immutable sandbox evaluates expressions like
`verify_failures >= max_attempts` or `plan_options | length > 0` without
access to attributes that could mutate state or escape.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

from jinja2 import TemplateSyntaxError, meta, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

from bot.errors import ScriptFailure

_ENV = ImmutableSandboxedEnvironment()


class ExpressionError(ScriptFailure, ValueError):
    """An expression that does not compile or fails when evaluated."""


@lru_cache(maxsize=1024)
def _compile(source: str) -> Any:
    try:
        return _ENV.compile_expression(source, undefined_to_none=True)
    except TemplateSyntaxError as exc:
        raise ExpressionError(f"invalid expression {source!r}: {exc.message}") from exc


def check(source: str) -> None:
    """Raise ExpressionError when the expression does not compile."""
    _compile(source)


def names_used(source: str) -> set[str]:
    """Top-level variable names an expression reads, for the validator."""
    try:
        ast = _ENV.parse("{{ " + source + " }}")
    except TemplateSyntaxError as exc:
        raise ExpressionError(f"invalid expression {source!r}: {exc.message}") from exc
    return set(meta.find_undeclared_variables(ast))


def compared_literals(source: str) -> set[tuple[str, str]]:
    """(name, literal) for every `name == 'literal'` or `name != 'literal'` in an expression.

    The validator checks such literals against the outcomes an action can set,
    so a typo like 'in_pass' is caught before a borrower meets it.
    """
    try:
        ast = _ENV.parse("{{ " + source + " }}")
    except TemplateSyntaxError as exc:
        raise ExpressionError(f"invalid expression {source!r}: {exc.message}") from exc
    found: set[tuple[str, str]] = set()
    for compare in ast.find_all(nodes.Compare):
        operands = [compare.expr, *(op.expr for op in compare.ops)]
        names = [o.name for o in operands if isinstance(o, nodes.Name)]
        literals = [o.value for o in operands if isinstance(o, nodes.Const)]
        if all(op.op in ("eq", "ne") for op in compare.ops):
            found.update((n, str(v)) for n in names for v in literals if isinstance(v, str))
    return found


Compiled = Callable[[Mapping[str, Any]], Any]
_OPERATORS: dict[str, Callable[[Any, Any], Any]] = {
    "eq": operator.eq,
    "ne": operator.ne,
    "gt": operator.gt,
    "gteq": operator.ge,
    "lt": operator.lt,
    "lteq": operator.le,
    "in": lambda a, b: a in b,
    "notin": lambda a, b: a not in b,
}


class _Unsupported(Exception):
    """The expression uses more than the fast subset: the sandbox evaluates it."""


def _lower(node: nodes.Node) -> Compiled:
    """A closure for the subset scripts use (names, literals, comparisons, not/and/or,
    `| length`), so a guard costs a few function calls instead of a Jinja context.
    Nothing here can reach an attribute or call anything: it is safe by construction."""
    if isinstance(node, nodes.Name):
        name = node.name
        return lambda scope: scope.get(name)
    if isinstance(node, nodes.Const):
        value = node.value
        return lambda scope: value
    if isinstance(node, nodes.Not):
        if isinstance(node.node, nodes.Name):  # `not paused`: one call, not two
            negated = node.node.name
            return lambda scope: not scope.get(negated)
        inner = _lower(node.node)
        return lambda scope: not inner(scope)
    if isinstance(node, nodes.And):
        left, right = _lower(node.left), _lower(node.right)
        return lambda scope: left(scope) and right(scope)
    if isinstance(node, nodes.Or):
        left, right = _lower(node.left), _lower(node.right)
        return lambda scope: left(scope) or right(scope)
    if isinstance(node, nodes.Filter) and node.name == "length" and not node.args:
        if node.node is None:
            raise _Unsupported
        inner = _lower(node.node)
        return lambda scope: len(inner(scope))
    if isinstance(node, nodes.Compare) and len(node.ops) == 1:
        op = node.ops[0]
        if op.op not in _OPERATORS:
            raise _Unsupported
        compare = _OPERATORS[op.op]
        if isinstance(node.expr, nodes.Name) and isinstance(op.expr, nodes.Const):
            # `stage == 'late'`, `days_past_due > 0`: most guards, in one call.
            name, value = node.expr.name, op.expr.value
            return lambda scope: compare(scope.get(name), value)
        left, right = _lower(node.expr), _lower(op.expr)
        return lambda scope: compare(left(scope), right(scope))
    raise _Unsupported


@lru_cache(maxsize=1024)
def _fast(source: str) -> Compiled | None:
    return _lowered(_parsed(source))


def _lowered(node: nodes.Node | None) -> Compiled | None:
    """The fast closure of a parsed expression, or None when the sandbox must run it."""
    if node is None:
        return None
    try:
        return _lower(node)
    except _Unsupported:
        return None


def evaluate(source: str, scope: dict[str, Any]) -> Any:
    fast = _fast(source)
    if fast is not None:
        try:
            return fast(scope)
        except TypeError:
            pass  # e.g. `none > 0`: let the sandbox give its own answer or error
    try:
        return _compile(source)(**scope)
    except ExpressionError:
        raise
    except Exception as exc:  # the sandbox raises many kinds; all mean a bad script
        raise ExpressionError(f"expression {source!r} failed: {exc}") from exc


def holds(source: str | None, scope: dict[str, Any]) -> bool:
    """A missing guard always holds."""
    if source is None:
        return True
    # `evaluate`'s fast path inlined: a step checks a few dozen guards.
    fast = _fast(source)
    if fast is not None:
        try:
            return bool(fast(scope))
        except TypeError:
            pass
    return bool(evaluate(source, scope))


# A guard compiled to one call: truthy when it holds.
Guard = Callable[[dict[str, Any]], object]


def guard_of(source: str) -> Guard:
    """`holds` for one guard as a single call, for guards checked at every step."""
    body = _parsed(source)
    fast = _lowered(body)
    if fast is None or body is None:
        return lambda scope: bool(evaluate(source, scope))
    if _cannot_fail(body):
        # Names, constants, ==, !=, not, and, or: nothing here raises, so the
        # closure is the guard itself, without a handler around it.
        return fast
    checked = fast

    def check(scope: dict[str, Any]) -> bool:
        try:
            return bool(checked(scope))
        except TypeError:  # as in `holds`: the sandbox answers
            return bool(evaluate(source, scope))

    return check


# Kept per arguments (mutmut reaches a body only when it is not decorated).
guard = lru_cache(maxsize=1024)(guard_of)


def _parsed(source: str) -> nodes.Node | None:
    """The one expression `source` holds, or None for a syntax error or a template
    that is more than one expression (the sandbox says what is wrong)."""
    try:
        body = _ENV.parse("{{ " + source + " }}").body
    except TemplateSyntaxError:
        return None
    if len(body) != 1 or not isinstance(body[0], nodes.Output) or len(body[0].nodes) != 1:
        return None
    node: nodes.Node = body[0].nodes[0]
    return node


def _cannot_fail(node: nodes.Node) -> bool:
    """Whether the fast closure of `node` can raise: comparing order (`>`) or taking
    a length can meet None; equality, truth and the logic between them cannot."""
    if isinstance(node, nodes.Name | nodes.Const):
        return True
    if isinstance(node, nodes.Not):
        return _cannot_fail(node.node)
    if isinstance(node, nodes.And | nodes.Or):
        return _cannot_fail(node.left) and _cannot_fail(node.right)
    if isinstance(node, nodes.Compare) and len(node.ops) == 1:
        return (
            node.ops[0].op in ("eq", "ne")
            and _cannot_fail(node.expr)
            and _cannot_fail(node.ops[0].expr)
        )
    return False
