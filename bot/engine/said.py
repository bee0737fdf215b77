"""What a state says and offers, worked out once per state and script.

Every step that enters a state checks each message's guard and builds its id and
placeholder names; the statement alone has a dozen messages and the menu eight
buttons. None of that changes between steps, so it is kept with the state
(`kept_on`, rebuilt for a copy with other messages or choices), per script and
state name, which the ids contain.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple, TypeVar

from bot.engine.expressions import Guard, guard
from bot.engine.memo import kept_on
from bot.engine.script import State
from bot.engine.types import Choice, Part

T = TypeVar("T")


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
    return _kept_per_script(state, "_said", (state.say,), script_id, name, _said_plan)


def offered_in(script_id: str, name: str, state: State) -> tuple[Offered, ...]:
    return _kept_per_script(state, "_offered", (state.choices,), script_id, name, _offered_plan)


def _said_plan(script_id: str, name: str, state: State) -> tuple[Said, ...]:
    return tuple(
        Said(
            f"{script_id}.{name}.{message.id}",
            message.ask,
            None if message.when is None else guard(message.when),
            message.placeholders(),
            message.each,
        )
        for message in state.say
    )


def _offered_plan(script_id: str, name: str, state: State) -> tuple[Offered, ...]:
    return tuple(
        Offered(
            None if choice.when is None else guard(choice.when),
            Choice(choice.id, Part(f"{script_id}.{name}.choice.{choice.id}")),
        )
        for choice in state.choices
    )


def _kept_per_script(
    state: State,
    key: str,
    made_from: tuple[object, ...],
    script_id: str,
    name: str,
    build: Callable[[str, str, State], T],
) -> T:
    """`build`'s plan kept on the state (see `kept_on`) for each script id and state
    name, which the ids it holds contain."""
    kept: dict[tuple[str, str], T] = kept_on(state, key, made_from, dict)
    made = kept.get((script_id, name))
    if made is None:
        made = kept[(script_id, name)] = build(script_id, name, state)
    return made
