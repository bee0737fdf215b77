"""`repaybot rules`: print the rules register; non-zero exit when a rule is uncovered."""

from __future__ import annotations

from bot.rules.register import PLANNED, build_register, format_register


def print_register() -> int:
    rows = build_register()
    print(format_register(rows))
    uncovered = [
        r for r in rows if r.rule.rule_id not in PLANNED and r.status != "enforced and tested"
    ]
    return 1 if uncovered else 0
