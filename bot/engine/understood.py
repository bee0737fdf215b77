"""A typed message the understanding layer has read, routed by the script.

The runtime reads each message once (bot/service/meaning.py); the engine gets
a `Reading` and only decides where it leads, in this order:

1. crisis, everywhere and before anything (R12), by the reader or the word lists;
2. a person, everywhere (R13), unless the message disputes something or turns
   a person down ("客服話年費會豁免" is a dispute reason, not a request);
3. an amount of money where the state takes offers (`monthly_offer`);
4. the state's own meanings (its `intents:`), then the script's global ones;
5. the answer the state asks for (a date, a birth date, an amount, a reason);
6. otherwise the two or three likeliest meanings that lead somewhere here, as
   buttons, instead of "I didn't understand" (when the reader is not sure, or is
   sure of a meaning this state has no place for).

A date that reads two ways is asked back with both readings as buttons; the
question is no failed input and no failed verification (R5 counts only answers).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from bot.domain import parsing
from bot.domain.intents import Intent, detect_intents
from bot.engine import expressions
from bot.engine.script import (
    DATE_CHOICE,
    MEANING_CHOICE,
    MONTHLY_OFFER,
    SOMETHING_ELSE,
    InputType,
    IntentRoute,
    State,
)
from bot.engine.types import Choice, Part, Reading

if TYPE_CHECKING:
    from bot.engine.machine import _Step

# An amount said with one of these (or "a month") is an offer where a state takes offers.
OFFER_MEANINGS = frozenset({"installment", "inform", "hardship"})
# Meanings whose route gets the date the message names.
DATE_MEANINGS = frozenset({"pay_in_full", "promise", "inform"})
# Never offered as a button: crisis is decided by its own check; the rest lead nowhere.
NOT_ASKED = frozenset({"crisis", "inform", "off_topic"})
ASK_BACK_COUNT = 3  # buttons of likely meanings at most
ASK_BACK_FLOOR = 0.1  # a meaning less likely than this is not worth a button
DATE_READINGS = 2  # readings of one date offered at most


# Rules that hold in free-text answers too (besides crisis and a person, always first).
ALWAYS_ON = ("stop", "complaint", "hardship")


class Understood:
    def __init__(self, step: _Step, reading: Reading) -> None:
        self.step = step
        self.reading = reading

    # ---- typed text ----

    def on_text(self, text: str) -> None:
        step, reading = self.step, self.reading
        state = step._state()
        words = reading.words if reading.words is not None else detect_intents(text)
        if (reading.crisis or Intent.CRISIS in words) and step._global("crisis"):
            return
        if self._wants_person(words) and (
            self._state_route(state, "human") or step._global("human")
        ):
            return
        if self._always_on(state, text, words):
            return
        if self.offer(state):
            return
        top = reading.top if reading.sure else None
        if top is not None and self._state_route(state, top):
            return
        answers = self._answers(state, text)
        detour = top is not None and top != "human" and self._may_detour(state)
        # An amount beside hardship words is the answer itself ("$50, I can't afford more").
        if detour and not (top == "hardship" and answers) and step._global(str(top)):
            return
        if state.input is not None:
            self._answer(state, answers)
            return
        if state.end:
            step._restart()
            return
        # Unsure, or sure of something that leads nowhere here: offer what might.
        if self._ask_back(state):
            return
        step._failed_input(None)

    def _always_on(self, state: State, text: str, words: tuple[Intent, ...]) -> bool:
        """R3, R11, R15 in free-text answers: STOP, a complaint or hardship written as a
        dispute reason or a note for a person is recognised, not just filed. The text is
        kept as the answer too (the dispute keeps its reason, the note is stored)."""
        spec = state.input
        if spec is None or spec.type is not InputType.TEXT:
            return False
        reading = self.reading
        sure = reading.top if reading.sure else None
        rule = next(
            (m for m in ALWAYS_ON if Intent(m) in words or sure == m),
            None,
        )
        route = self.step.script.intents.get(rule) if rule is not None else None
        if rule is None or route is None:
            return False
        answers = self._answers(state, text)
        # A detour (STOP) comes back to this question, which is then asked again.
        if answers and not route.detour:
            self.step.set_var(spec.store, answers[0])
            self.step._run_actions(state.actions, answers[0])
        return self.step._global(rule)

    def _wants_person(self, words: tuple[Intent, ...]) -> bool:
        reading = self.reading
        if reading.sure and reading.top == "human":
            return True
        return Intent.HUMAN in words and reading.top not in ("dispute", "decline")

    def offer(self, state: State) -> bool:
        """An amount where the state takes offers (`monthly_offer`): True when taken."""
        reading = self.reading
        routes = state.intents.get(MONTHLY_OFFER)
        if not routes or reading.amount is None or reading.other_period:
            return False
        if not (reading.monthly or reading.top in OFFER_MEANINGS):
            return False
        return self._take(state, routes, MONTHLY_OFFER)

    def _state_route(self, state: State, meaning: str) -> bool:
        routes = state.intents.get(meaning)
        return bool(routes) and self._take(state, routes or [], meaning)

    def _may_detour(self, state: State) -> bool:
        """Global meanings other than a person would hijack a free-text answer."""
        free_text = state.input is not None and state.input.type is InputType.TEXT
        return state.globals and not free_text

    # ---- routes ----

    def _said(self) -> dict[str, Any]:
        reading = self.reading
        return {
            "said_date": reading.dates[0] if len(reading.dates) == 1 else None,
            "said_amount": reading.amount,
            "said_monthly": reading.monthly,
            "said_charges": list(reading.charges),
            "said_all": reading.all_of_it,
        }

    def _usable(self, state: State, route: IntentRoute, scope: dict[str, Any]) -> bool:
        if not expressions.holds(route.when, scope):
            return False
        if route.choice is None:
            return True
        return any(c.id == route.choice and expressions.holds(c.when, scope) for c in state.choices)

    def _take(self, state: State, routes: list[IntentRoute], key: str) -> bool:
        scope = {**self.step._scope(), **self._said()}
        for route in routes:
            if not self._usable(state, route, scope):
                continue
            if route.choice is not None:
                self.step._on_choice(route.choice)
            else:
                self.step._after_answer(state, route.actions, self._value(key), route.to)
            return True
        return False

    def _value(self, key: str) -> Any:
        """What the route's actions get: what the message named for this meaning."""
        reading = self.reading
        if key == MONTHLY_OFFER:
            return reading.amount
        if key == "dispute":
            return list(reading.charges)
        if key in ("confirm", "decline"):
            return reading.answer
        if key in DATE_MEANINGS and reading.dates:
            return reading.dates[0]
        return None

    def _routable(self, state: State, meaning: str) -> bool:
        if meaning in NOT_ASKED:
            return False
        scope = {**self.step._scope(), **self._said()}
        if any(self._usable(state, r, scope) for r in state.intents.get(meaning, [])):
            return True
        route = self.step.script.intents.get(meaning)
        allowed = meaning == "human" or self._may_detour(state)
        return allowed and route is not None and expressions.holds(route.when, scope)

    # ---- the state's question ----

    def _answers(self, state: State, text: str) -> list[Any]:
        """Every reading of the text as the answer the state asks for, within its limits."""
        spec = state.input
        if spec is None or not text or len(text) > spec.max_length:
            return []
        reading = self.reading
        raw: list[Any]
        if spec.type is InputType.TEXT:
            # Words are expected: a bare number or emoji is no reason or message.
            raw = [text] if any(ch.isalpha() for ch in text) else []
        elif spec.type is InputType.AMOUNT:
            raw = [reading.amount if reading.amount is not None else parsing.parse_amount(text)]
        elif spec.type is InputType.NUMBER:
            raw = [parsing.parse_int(text)]
        elif spec.type is InputType.BIRTH_DATE:
            raw = list(reading.birth_dates) or [parsing.parse_date(text)]
        else:
            raw = list(reading.dates) or [parsing.parse_date(text)]
        fitting = (self.step._within_limits(state, value) for value in raw)
        return list(dict.fromkeys(value for value in fitting if value is not None))

    def _answer(self, state: State, answers: list[Any]) -> None:
        assert state.input is not None  # noqa: S101 - the caller checks
        two_dates = len(answers) > 1 and all(isinstance(a, date) for a in answers)
        # A conversation pinned to a script older than this question takes the likeliest.
        if two_dates and "which_date" in self.step.script.messages:
            self._ask_which_date(answers[:DATE_READINGS])
        elif answers:
            self._store(state, answers[0])
        else:
            self.step._failed_input(state.input.invalid)

    def _store(self, state: State, value: Any) -> None:
        assert state.input is not None  # noqa: S101 - the caller checks
        self.step.set_var(state.input.store, value)
        self.step._after_answer(state, state.actions, value, None)

    # ---- asking back ----

    def _ask_which_date(self, readings: list[date]) -> None:
        """Both readings as buttons; nothing is counted, nothing is checked yet."""
        step = self.step
        script_id = step.script.id
        step._say_shared("which_date")
        choices = tuple(
            Choice(
                f"{DATE_CHOICE}{day.isoformat()}", Part(f"{script_id}.date_option", {"date": day})
            )
            for day in readings
        )
        step._close_reply(choices)

    def _ask_back(self, state: State) -> bool:
        """The likeliest meanings that lead somewhere here, as buttons."""
        step = self.step
        labels = step.script.messages
        meanings: list[str] = []
        for sense in self.reading.senses:
            if len(meanings) == ASK_BACK_COUNT or sense.score < ASK_BACK_FLOOR:
                break
            # A script pinned before asking back existed has no labels: no buttons then.
            if f"meaning_{sense.meaning}" in labels and self._routable(state, sense.meaning):
                meanings.append(sense.meaning)
        if not meanings or "ask_back" not in labels:
            return False
        # Unclear twice in a row is still a doom loop to break (R13).
        step.failed_inputs += 1
        failures = step.failed_inputs
        offer = failures >= step.ctx.policy.escalation.failed_inputs_before_offer
        script_id = step.script.id
        step._say_shared("ask_back")
        if offer:
            step._say_shared("offer_person")
        choices = [
            Choice(f"{MEANING_CHOICE}{m}", Part(f"{script_id}.meaning_{m}")) for m in meanings
        ]
        if offer and "human" not in meanings:
            choices.append(Choice(f"{MEANING_CHOICE}human", Part(f"{script_id}.meaning_human")))
        choices.append(
            Choice(f"{MEANING_CHOICE}{SOMETHING_ELSE}", Part(f"{script_id}.meaning_none"))
        )
        step._close_reply(choices)
        return True

    # ---- the buttons of those questions ----

    def on_choice(self, choice_id: str) -> None:
        step = self.step
        state = step._state()
        if choice_id.startswith(DATE_CHOICE):
            self._date_chosen(state, choice_id.removeprefix(DATE_CHOICE))
            return
        meaning = choice_id.removeprefix(MEANING_CHOICE)
        if meaning == SOMETHING_ELSE:
            step._prompt_again()
            return
        if not self._routable(state, meaning):
            step._failed_input(None)
            return
        if not self._state_route(state, meaning):
            step._global(meaning)

    def _date_chosen(self, state: State, raw: str) -> None:
        spec = state.input
        if spec is None or spec.type not in (InputType.DATE, InputType.BIRTH_DATE):
            self.step._failed_input(None)
            return
        try:
            chosen: date | None = date.fromisoformat(raw)
        except ValueError:
            chosen = None
        value = self.step._within_limits(state, chosen)
        if value is None:
            self.step._failed_input(spec.invalid)
            return
        self._store(state, value)
