"""Mutation score per module from `mutmut results --all true` on standard input.

A mutant counts as caught when a test failed on it (killed) or it ran out of
time; "survived" and "no tests" are mutants nobody would notice. Mutants a
partial run has not reached yet ("not checked") are counted apart: the score
is over the mutants checked, and the last column says how many are left. Usage:

    mutmut results --all true | python tools/mutation_score.py
"""

from __future__ import annotations

import re
import sys
from collections import Counter, defaultdict

CAUGHT = {"killed", "timeout", "caught by type check"}
NOT_CHECKED = "not checked"
# bot.domain.plans.x_split_evenly__mutmut_3 or bot.domain.policy.xǁPolicyǁminimum_for__mutmut_1
LINE = re.compile(r"^\s*(?P<module>[\w.]+?)\.xǁ?[^:]*__mutmut_\d+: (?P<status>.+)$")


def scores(lines: list[str]) -> dict[str, Counter[str]]:
    by_module: dict[str, Counter[str]] = defaultdict(Counter)
    for line in lines:
        match = LINE.match(line)
        if match:
            by_module[match["module"]][match["status"].strip()] += 1
    return by_module


def main() -> int:
    by_module = scores(sys.stdin.read().splitlines())
    if not by_module:
        print("no mutants found: run `mutmut run` first", file=sys.stderr)
        return 1
    width = max(len(m) for m in by_module)
    layers: dict[str, Counter[str]] = defaultdict(Counter)
    print(f"{'module':<{width}}  {'caught':>6}  {'checked':>7}  score  not caught")
    for module in sorted(by_module):
        counts = by_module[module]
        layers[module.rsplit(".", 1)[0]].update(counts)
        print(_row(module, counts, width))
    print()
    for layer in sorted(layers):
        print(_row(layer, layers[layer], width))
    return 0


def _row(name: str, counts: Counter[str], width: int) -> str:
    checked = sum(n for status, n in counts.items() if status != NOT_CHECKED)
    caught = sum(n for status, n in counts.items() if status in CAUGHT)
    missed = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()) if s not in CAUGHT)
    score = f"{100 * caught / checked:5.1f}%" if checked else "    - "
    return f"{name:<{width}}  {caught:>6}  {checked:>7}  {score}  {missed}"


if __name__ == "__main__":
    sys.exit(main())
