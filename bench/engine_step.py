"""One pure engine step on the repayment script, against a dictionary state machine."""

from __future__ import annotations

import time
from datetime import date
from decimal import Decimal
from typing import Any

from bench.common import DOB, ROOT, Figure, mean, percentile
from bench.seams import NOW, read_text
from bot.domain.accounts import Account, Charge, ChargeKind
from bot.engine.loader import load_policy, load_script
from bot.engine.machine import new_state, step
from bot.engine.types import Context, Event, EventKind


def _account() -> Account:
    return Account(
        account_id="BENCH-1",
        borrower_name="Alex Doe",
        phone="+15550100001",
        birth_date=date.fromisoformat(DOB),
        locale="en",
        timezone="America/New_York",
        currency="USD",
        due_date=date(2026, 11, 18),
        charges=(
            Charge(
                "C1", ChargeKind.PRINCIPAL, "Card balance", Decimal("1200.00"), date(2026, 10, 1)
            ),
            Charge("C2", ChargeKind.INTEREST, "Interest", Decimal("85.50"), date(2026, 10, 31)),
            Charge("C3", ChargeKind.LATE_FEE, "Late fee", Decimal("35.00"), date(2026, 11, 19)),
        ),
    )


def _engine_steps(steps: int, slowest: dict[str, float] | None = None) -> list[float]:
    script_path = ROOT / "dialogs" / "repayment.yaml"
    policy_path = ROOT / "dialogs" / "policy.yaml"
    script, _ = load_script(script_path.read_text(encoding="utf-8"), str(script_path))
    policy = load_policy(policy_path.read_text(encoding="utf-8"), str(policy_path))
    account = _account()
    timings: list[float] = []
    state = new_state(script, "en")
    event = Event(EventKind.START)
    turn = 0
    readings: dict[str, Any] = {}

    def typed(text: str) -> Event:
        # As the runtime does: the text is read once, before the step, and not timed here
        # (the full-stack figures include it).
        if text not in readings:
            readings[text] = read_text(text, account=account, locale="en", today=NOW.date())
        return Event(EventKind.TEXT, text=text, meaning=readings[text])

    while len(timings) < steps:
        ctx = Context(account, policy, NOW, id_seed=f"bench:{state.step}")
        started = time.perf_counter()
        result = step(script, state, event, ctx)
        took = time.perf_counter() - started
        timings.append(took)
        if slowest is not None:
            where = f"{state.state} <- {event.kind.value}"
            slowest[where] = max(slowest.get(where, 0.0), took)
        state = result.state
        turn += 1
        choices = [c.choice_id for r in result.replies for c in r.choices]
        if state.ended or turn > 8:  # a conversation is over: the next borrower starts
            state, event, turn = new_state(script, "en"), Event(EventKind.START), 0
        elif turn == 1:
            event = typed(DOB)
        elif choices:
            event = Event(EventKind.CHOICE, choice=choices[0], step=state.step)
        else:
            event = typed("I can pay 100 a month")
    return timings


# The bare baseline: states in a dict, replies formatted from the account.
_MACHINE = {
    "greet": {"start": ("verify", "Hello, this is the assistant of {lender}.")},
    "verify": {"text": ("menu", "Thank you, {name}. Total due: {total}.")},
    "menu": {"choice": ("plan", "Pick a plan: 3 payments of {third}.")},
    "plan": {"choice": ("done", "Your plan is set up, {name}.")},
    "done": {"start": ("verify", "Hello again from {lender}.")},
}


def _dict_steps(steps: int) -> list[float]:
    params = {"lender": "Harbor", "name": "Alex", "total": "$1,320.50", "third": "$440.17"}
    inputs = {
        "greet": "start",
        "verify": "text",
        "menu": "choice",
        "plan": "choice",
        "done": "start",
    }
    state: dict[str, object] = {"state": "greet", "step": 0, "vars": {}}
    timings: list[float] = []
    for _ in range(steps):
        kind = inputs[str(state["state"])]
        started = time.perf_counter()
        target, template = _MACHINE[str(state["state"])][kind]
        reply = template.format(**params)
        state = {"state": target, "step": int(str(state["step"])) + 1, "vars": {"last": reply}}
        timings.append(time.perf_counter() - started)
    return timings


def run(quick: bool) -> list[Figure]:
    steps = 1_000 if quick else 5_000
    _engine_steps(200)  # warm caches (catalogs, compiled guards)
    slowest: dict[str, float] = {}
    engine = _engine_steps(steps, slowest)
    bare = _dict_steps(steps * 10)
    worst = sorted(slowest.items(), key=lambda item: -item[1])[:3]
    note = "slowest: " + ", ".join(f"{where} {took * 1e3:.1f} ms" for where, took in worst)
    return [
        Figure(
            "engine step, mean",
            mean(engine) * 1e6,
            mean(bare) * 1e6,
            "µs",
            "dict state machine",
            False,
        ),
        Figure(
            "engine step, p99",
            percentile(engine, 99) * 1e6,
            percentile(bare, 99) * 1e6,
            "µs",
            "dict state machine",
            False,
            note,
        ),
    ]
