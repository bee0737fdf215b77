"""One pure engine step on the repayment script, against a dictionary state machine."""

from __future__ import annotations

import gc
import itertools
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from typing import Any

from bench.common import DOB, ROOT, Figure, mean, percentile
from bench.seams import NOW, read_text
from bot.domain.accounts import Account, Charge, ChargeKind
from bot.domain.policy import Policy
from bot.engine.loader import load_policy, load_script
from bot.engine.machine import new_state, step
from bot.engine.script import Script
from bot.engine.types import Context, Event, EventKind, Reply
from bot.heap import settle


def account_of(number: int, locale: str = "en") -> Account:
    """A borrower of its own for each conversation (its id and balance differ), so the
    engine's caches help within a conversation, as in service, and never across."""
    return Account(
        account_id=f"BENCH-{number}",
        borrower_name="Alex Doe",
        phone="+15550100001",
        birth_date=date.fromisoformat(DOB),
        locale=locale,
        timezone="America/New_York",
        currency="USD",
        due_date=date(2026, 11, 18),
        charges=(
            Charge(
                "C1",
                ChargeKind.PRINCIPAL,
                "Card balance",
                Decimal("1200.00") + Decimal(number % 997) / 100,
                date(2026, 10, 1),
            ),
            Charge("C2", ChargeKind.INTEREST, "Interest", Decimal("85.50"), date(2026, 10, 31)),
            Charge("C3", ChargeKind.LATE_FEE, "Late fee", Decimal("35.00"), date(2026, 11, 19)),
        ),
    )


# The conversations a step is timed in, walked in turn: what borrowers do most, each
# path through its heaviest steps (verification with the statement, a plan worked out
# from "I can pay ... a month" and its schedule, an offer below the standard terms
# (judged on hardship terms), a promise, an
# extension, a dispute, hardship, a person). "@id" presses the button of that id on
# the last reply, "@first" its first button; anything else is typed.
CONVERSATIONS: tuple[tuple[str, ...], ...] = (
    (DOB, "I can pay 200 a month", "yes"),
    ("1980-01-31", DOB, "@plan", "@first", "@yes"),
    (DOB, "@pay_full", "2026-12-05", "@yes"),
    (DOB, "@extension", "@first", "@yes"),
    (DOB, "@dispute", "@C3", "@continue", "I never got a late notice"),
    (DOB, "I can pay 60 a month", "@yes"),  # below the standard terms: hardship terms
    (DOB, "I lost my job and can't pay", "@plan", "@first", "@yes"),
    (DOB, "I want to talk to a person", "Please call me after 6pm"),
)


_BORROWERS = itertools.count(1)


class _OffPath(RuntimeError):
    """The script no longer offers a button a bench conversation presses."""


def load_repayment() -> tuple[Script, Policy]:
    """The shipped repayment script and policy, as the bot loads them."""
    script_path = ROOT / "dialogs" / "repayment.yaml"
    policy_path = ROOT / "dialogs" / "policy.yaml"
    script, _ = load_script(script_path.read_text(encoding="utf-8"), str(script_path))
    return script, load_policy(policy_path.read_text(encoding="utf-8"), str(policy_path))


def _engine_steps(steps: int, by_step: dict[str, list[float]] | None = None) -> list[float]:
    script, policy = load_repayment()
    readings: dict[str, Any] = {}

    def typed(text: str, account: Account) -> Event:
        # As the runtime does: the text is read once, before the step, and not timed here
        # (the full-stack figures include it). The reading does not depend on the balance.
        if text not in readings:
            readings[text] = read_text(text, account=account, locale="en", today=NOW.date())
        return Event(EventKind.TEXT, text=text, meaning=readings[text])

    def pressed(said: str, replies: tuple[Reply, ...], at_step: int) -> Event:
        offered = [c.choice_id for r in replies for c in r.choices]
        wanted = offered[0] if said == "@first" and offered else said[1:]
        if wanted not in offered:
            raise _OffPath(f"{said!r} is not offered: {offered}")
        return Event(EventKind.CHOICE, choice=wanted, step=at_step)

    timings: list[float] = []
    while len(timings) < steps:
        for conversation in CONVERSATIONS:
            account = account_of(next(_BORROWERS))
            state = new_state(script, "en")
            event = Event(EventKind.START)
            for said in (*conversation, None):
                ctx = Context(account, policy, NOW, id_seed=f"bench:{state.step}")
                started = time.perf_counter()
                result = step(script, state, event, ctx)
                took = time.perf_counter() - started
                timings.append(took)
                if by_step is not None:
                    by_step.setdefault(f"{state.state} <- {event.kind.value}", []).append(took)
                state = result.state
                if said is None:
                    break
                if said.startswith("@"):
                    event = pressed(said, result.replies, state.step)
                else:
                    event = typed(said, account)
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


@contextmanager
def _as_served() -> Iterator[list[float]]:
    """The heap as the serving process keeps it (`bot.heap.settle`, after start-up),
    undone afterwards for the benchmarks that follow in this process. Yields the
    pauses of the collections that ran meanwhile, in seconds."""
    threshold = gc.get_threshold()
    pauses: list[float] = []
    began = [0.0]

    def timed(phase: str, _: dict[str, int]) -> None:
        if phase == "start":
            began[0] = time.perf_counter()
        else:
            pauses.append(time.perf_counter() - began[0])

    settle()
    gc.callbacks.append(timed)
    try:
        yield pauses
    finally:
        gc.callbacks.remove(timed)
        gc.unfreeze()
        gc.set_threshold(*threshold)


WARM_UP_STEPS = 30_000  # about 6,000 conversations


def run(quick: bool) -> list[Figure]:
    steps = 1_000 if quick else 5_000
    # Warm up as a process that has served for a while: every path taken, and more
    # borrowers than the engine's caches keep (4,096 per cache, a few entries per
    # conversation), so that each new borrower evicts an old one, as in service.
    # A young process, whose caches only grow, reads a lower p99.
    _engine_steps(WARM_UP_STEPS)
    by_step: dict[str, list[float]] = {}
    with _as_served() as pauses:
        engine = _engine_steps(steps, by_step)
        bare = _dict_steps(steps * 10)
    worst = sorted(by_step.items(), key=lambda item: -percentile(item[1], 99))[:3]
    note = "slowest p99: " + ", ".join(
        f"{where} {percentile(took, 99) * 1e6:.0f} µs" for where, took in worst
    )
    longest = f", longest {max(pauses) * 1e3:.1f} ms" if pauses else ""
    collections = f"{len(pauses)} garbage collections{longest} (heap as served, bot.heap)"
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
            f"{note}; {collections}",
        ),
    ]
