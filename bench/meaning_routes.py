"""Where held-out messages lead when typed at the menu, through the real engine.

For each held-out message whose meaning has a place to go from the menu, send
it to a verified borrower at the menu (as the runtime would: read once, then
the engine) and count where it lands: the right place, a question back that
offers the right meaning, or anywhere else. Prints one line per locale.

    .venv/bin/python -m bench.meaning_routes
"""

from __future__ import annotations

from collections import Counter
from functools import cache

from bench.common import DOB
from bench.engine_step import account_of, load_repayment
from bench.seams import NOW, read_text
from bot.domain.accounts import Account
from bot.engine.machine import new_state, step
from bot.engine.types import (
    Context,
    Escalate,
    EscalationReason,
    Event,
    EventKind,
    OptOut,
    StepResult,
)
from bot.understanding.examples import DEV_DIR, load_examples

PLAN_STATES = {"plan_options", "plan_confirm", "plan_refused", "plan_above_total"}
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


def _at_menu_then(locale: str, text: str) -> StepResult:
    """A verified borrower at the menu types `text`: what the engine does with it,
    read first as the runtime reads it."""
    script, policy = _REPAYMENT()
    account = account_of(1, locale)
    ctx = Context(account, policy, NOW)
    state = new_state(script, locale)
    for event in (Event(EventKind.START), _typed(DOB, account)):
        state = step(script, state, event, ctx).state
    return step(script, state, _typed(text, account), ctx)


_REPAYMENT = cache(load_repayment)  # loaded once for every message


def _typed(text: str, account: Account) -> Event:
    meaning = read_text(text, account=account, locale=account.locale, today=NOW.date())
    return Event(EventKind.TEXT, text=text, meaning=meaning)


def _landed(meaning: str, locale: str, text: str) -> str:
    result = _at_menu_then(locale, text)
    effects = result.effects
    if meaning == "stop":
        return "right" if any(isinstance(e, OptOut) for e in effects) else "wrong"
    if meaning == "human" and any(
        isinstance(e, Escalate) and e.reason is EscalationReason.REQUESTED for e in effects
    ):
        return "right"
    if result.state.state in EXPECTED[meaning]:
        return "right"
    offered = [c.choice_id for reply in result.replies for c in reply.choices]
    if f"@meaning:{meaning}" in offered:
        return "asked"
    return "wrong"


def main() -> None:
    per_locale: dict[str, Counter[str]] = {}
    for example in load_examples(DEV_DIR):
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
