"""Where held-out messages lead when typed at the menu, through the real engine.

For each held-out message whose meaning has a place to go from the menu, send
it to a verified borrower at the menu (as the runtime would: read once, then
the engine) and count where it lands: the right place, a question back that
offers the right meaning, or anywhere else. Prints one line per locale.

    .venv/bin/python -m bench.meaning_routes
"""

from __future__ import annotations

from collections import Counter

from bot.engine.types import Escalate, EscalationReason, OptOut
from bot.understanding.examples import HELDOUT_DIR, load_examples
from tests.engine.driver import Driver, make_account

PLAN_STATES = {"plan_options", "plan_confirm", "plan_counter", "plan_refused", "plan_above_total"}
DATE_STATES = {"promise", "promise_confirm", "promise_past", "promise_too_far"}
# Meaning -> states that are right to land in, from the menu.
EXPECTED = {
    "installment": PLAN_STATES,
    "extension": {"extension"},
    "pay_in_full": DATE_STATES | {"plan_above_total"},
    "promise": DATE_STATES,
    "dispute": {"dispute_select"},
    "hardship": {"hardship"} | PLAN_STATES,
    "crisis": {"crisis"},
    "human": {"handoff_wait"},
    "complaint": {"complaint"},
    "language": {"language"},
    "help": {"help"},
    "stop": set(),  # a detour that returns at once: judged by its effect
}


def _landed(meaning: str, locale: str, text: str) -> str:
    driver = Driver(account=make_account(locale=locale))
    driver.verified_start()
    driver.text(text)
    if meaning == "stop":
        return "right" if driver.of_type(OptOut) else "wrong"
    if meaning == "human" and any(
        e.reason is EscalationReason.REQUESTED for e in driver.of_type(Escalate)
    ):
        return "right"
    if driver.at in EXPECTED[meaning]:
        return "right"
    if f"@meaning:{meaning}" in driver.choices():
        return "asked"
    return "wrong"


def main() -> None:
    per_locale: dict[str, Counter[str]] = {}
    for example in load_examples(HELDOUT_DIR):
        meaning = example.intent.value
        if meaning not in EXPECTED:
            continue
        outcome = _landed(meaning, example.locale, example.text)
        per_locale.setdefault(example.locale, Counter())[outcome] += 1
    total: Counter[str] = Counter()
    for locale, counts in sorted(per_locale.items()):
        total += counts
        _print(locale, counts)
    _print("all", total)


def _print(name: str, counts: Counter[str]) -> None:
    n = sum(counts.values())
    right, asked = counts["right"], counts["asked"]
    print(
        f"{name:8} {n:4} messages: {right / n:6.1%} to the right place, "
        f"{asked / n:5.1%} asked back offering it, {(n - right - asked) / n:5.1%} elsewhere"
    )


if __name__ == "__main__":
    main()
