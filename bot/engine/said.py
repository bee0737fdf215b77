"""What a state says and offers, worked out once per state and script.

Every step that enters a state checks each message's guard and builds its id and
placeholder names; the statement alone has a dozen messages and the menu eight
buttons. None of that changes between steps, so it is kept with the state
(`kept_on`, rebuilt for a copy with other messages or choices), per script and
state name, which the ids contain.
"""

from __future__ import annotations

from typing import NamedTuple

from bot.engine.expressions import Guard, guard
from bot.engine.memo import kept_on
from bot.engine.script import State
from bot.engine.types import Choice, Part


class Said(NamedTuple):
    message_id: str
    ask: bool  # said again when an answer is not understood
    guard: Guard | None  # None: always said
    names: frozenset[str]  # the placeholders it fills
    each: str | None  # said once per item of this list


class Offered(NamedTuple):
    guard: Guard | None  # None: always offered
    choice: Choice  # a fixed button has no parameters: built once, shared (immutable)


def said_in(script_id: str, name: str, state: State) -> tuple[Said, ...]:
    plans: dict[tuple[str, str], tuple[Said, ...]] = kept_on(state, "_said", (state.say,), dict)
    plan = plans.get((script_id, name))
    if plan is None:
        plan = plans[(script_id, name)] = tuple(
            Said(
                f"{script_id}.{name}.{message.id}",
                message.ask,
                None if message.when is None else guard(message.when),
                message.placeholders(),
                message.each,
            )
            for message in state.say
        )
    return plan


def offered_in(script_id: str, name: str, state: State) -> tuple[Offered, ...]:
    plans: dict[tuple[str, str], tuple[Offered, ...]] = kept_on(
        state, "_offered", (state.choices,), dict
    )
    plan = plans.get((script_id, name))
    if plan is None:
        plan = plans[(script_id, name)] = tuple(
            Offered(
                None if choice.when is None else guard(choice.when),
                Choice(choice.id, Part(f"{script_id}.{name}.choice.{choice.id}")),
            )
            for choice in state.choices
        )
    return plan
