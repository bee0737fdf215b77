"""Guards and computed values in a sandboxed expression language.

Scripts are data edited by managers, so their conditions must never reach
Python's eval: Jinja2's immutable sandbox evaluates expressions like
`verify_failures >= max_attempts` or `plan_options | length > 0` without
access to attributes that could mutate state or escape.
"""

from __future__ import annotations

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


def evaluate(source: str, scope: dict[str, Any]) -> Any:
    try:
        return _compile(source)(**scope)
    except ExpressionError:
        raise
    except Exception as exc:  # the sandbox raises many kinds; all mean a bad script
        raise ExpressionError(f"expression {source!r} failed: {exc}") from exc


def holds(source: str | None, scope: dict[str, Any]) -> bool:
    """A missing guard always holds."""
    return True if source is None else bool(evaluate(source, scope))
