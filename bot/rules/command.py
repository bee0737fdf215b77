"""`repaybot rules`: print the rules register; non-zero exit when a rule is uncovered."""

from __future__ import annotations

from bot.rules.register import PARTIAL, PLANNED, build_register, format_register


def print_register() -> int:
    rows = build_register()
    print(format_register(rows))
    uncovered = [
        r
        for r in rows
        if r.rule.rule_id not in PLANNED
        and r.status != "enforced and tested"
        and r.status != PARTIAL.get(r.rule.rule_id)
    ]
    return 1 if uncovered else 0
