"""Where a typed message leads in a state: its reading in, one decision out.

The runtime reads each message once (bot/service/meaning.py); the engine gets
a `Reading` and only decides where it leads, in this order:

1. crisis, everywhere and before anything (R12); a possible crisis (a farewell,
   giving up) wherever global meanings apply, to ask whether the borrower is safe;
   where the state asks that, "I'm safe" (or a plain yes) is its `safe` answer;
2. a person, everywhere (R13), unless the message disputes something or turns
   a person down ("客服話年費會豁免" is a dispute reason, not a request);
3. in a free-text answer, STOP (R3), a complaint (R15) or hardship (R11), the
   text kept as the answer too;
   3b. quiet times (R4): the answer where the state asks for them, else, written
   as a request about contact ("don't message me at work"), a detour to the
   script's `quiet_state`, which reads them back before anything is saved;
4. an amount of money where the state takes offers (`monthly_offer`), a charge
   named where the state lists charges (`charge_named`);
5. the state's own meanings (its `intents:`), then the script's global ones;
6. the answer the state asks for (a date, a birth date, an amount, a reason);
7. otherwise the two or three likeliest meanings that lead somewhere here, as
   buttons, instead of "I didn't understand" (when the reader is not sure, or is
   sure of a meaning this state has no place for).

A date that reads two ways is asked back with both readings as buttons; the
question is no failed input and no failed verification (R5 counts only answers).

Every function here is pure: it looks at the script, the state, the reading and
the scope the message arrived in, and returns a decision; the step
(machine.py) carries it out. The router never reads the text: what a message
means, and the value it gives, is the reading's to say. It only takes the text
itself as the answer to a question that asks for words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.engine import expressions
from bot.engine.script import (
    CHARGE_NAMED,
    DATE_CHOICE,
    MEANING_CHOICE,
    MONTHLY_OFFER,
    POSSIBLE_CRISIS,
    SAFE_ANSWER,
    SOMETHING_ELSE,
    ActionCall,
    GlobalRoute,
    InputSpec,
    InputType,
    IntentRoute,
    Script,
    State,
)
from bot.engine.types import QuietTimes, Reading, SaidCharges, SaidPayment

# An amount said with one of these (or "a month") is an offer where a state takes offers.
OFFER_MEANINGS = frozenset({"installment", "inform", "hardship"})
# Meanings whose route gets the date the message names.
DATE_MEANINGS = frozenset({"pay_in_full", "promise", "inform", "extension"})
# Never offered as a button: crisis is decided by its own check; the rest lead nowhere.
NOT_ASKED = frozenset({"crisis", "inform", "off_topic"})
ASK_BACK_COUNT = 3  # buttons of likely meanings at most
ASK_BACK_FLOOR = 0.1  # a meaning less likely than this is not worth a button
DATE_READINGS = 2  # readings of one date offered at most
# Rules that hold in free-text answers too (besides crisis and a person, always first).
ALWAYS_ON = ("stop", "complaint", "hardship")
# The cue of a message that asks for quiet at some times (bot/understanding/quiet_hours.py).
QUIET_REQUEST = "quiet_request"
# "When can you contact me?": the settings /reminders opens, from words.
CONTACT_TIMES = "contact_times"
REMINDERS_COMMAND = "reminders"
# Nothing read: a text event that came without a reading means nothing to the engine.
NOTHING_READ = Reading()


# ---- decisions: what the step does with the message ----


@dataclass(frozen=True)
class Follow:
    """Go where one of the script's global meanings leads (crisis, a person, help...)."""

    to: str
    detour: bool


@dataclass(frozen=True)
class HeardQuiet:
    """R4: quiet times asked for in passing ("don't message me at work"): confirm them."""

    to: str
    times: QuietTimes


@dataclass(frozen=True)
class Choose:
    """Press one of the state's own buttons ("yes" at a confirmation is the Yes button)."""

    choice_id: str


@dataclass(frozen=True)
class TakeRoute:
    """A meaning of the state's own: run its actions with what the message named, go on."""

    actions: tuple[ActionCall, ...]
    value: Any
    to: str | None


@dataclass(frozen=True)
class Store:
    """The answer to the state's question: stored, the state's actions run, it goes on."""

    value: Any


@dataclass(frozen=True)
class NoteAndFollow:
    """R3, R11, R15 in a free-text answer: the text is kept as the answer (unless the
    route is a detour that comes back to the question), then the rule's route is followed."""

    answer: Any | None
    to: str
    detour: bool


@dataclass(frozen=True)
class AskWhichDate:
    """A date that reads two ways: both readings as buttons."""

    readings: tuple[date, ...]


@dataclass(frozen=True)
class AskBack:
    """Not sure, or sure of something that leads nowhere here: the likely meanings as buttons."""

    meanings: tuple[str, ...]


@dataclass(frozen=True)
class Failed:
    """Not understood: the message says why (`None`: the shared "not understood")."""

    message_id: str | None


@dataclass(frozen=True)
class Restart:
    """Written after the goodbye: a new conversation."""


@dataclass(frozen=True)
class PromptAgain:
    """ "None of those": the state's question again, nothing counted."""


Decision = (
    Follow
    | HeardQuiet
    | Choose
    | TakeRoute
    | Store
    | NoteAndFollow
    | AskWhichDate
    | AskBack
    | Failed
    | Restart
    | PromptAgain
)


# ---- typed text ----


def route_text(
    script: Script, state: State, reading: Reading, text: str, scope: dict[str, Any]
) -> Decision:
    """Where `text`, read as `reading`, leads in `state` (see the module docstring)."""
    said = {**scope, **said_names(reading)}
    crisis = _global(script, "crisis", scope)
    if reading.crisis and crisis is not None:
        return crisis
    possible = _possible_crisis(script, state, reading, scope, said)
    if possible is not None:
        return possible
    if wants_person(reading) and not _for_person(state):
        person = _state_route(state, reading, "human", said) or _global(script, "human", scope)
        if person is not None:
            return person
    always_on = _always_on(script, state, reading, text, scope)
    if always_on is not None:
        return always_on
    quiet = _quiet_request(script, state, reading, text)
    if quiet is not None:
        return quiet
    offer = _offer(state, reading, said) or _charge_named(state, reading, said)
    if offer is not None:
        return offer
    top = reading.top if reading.sure else None
    own = _state_route(state, reading, top, said) if top is not None else None
    if own is not None:
        return own
    answers = answers_to(state, reading, text, scope)
    detour = top is not None and top != "human" and may_detour(state)
    # An amount beside hardship words is the answer itself ("$50, I can't afford more").
    if detour and not (top == "hardship" and answers):
        away = _global(script, str(top), scope)
        if away is not None:
            return away
    if state.input is not None:
        return _answer(script, state.input, answers)
    if state.end:
        return Restart()
    meanings = ask_back_meanings(script, state, reading, said)
    if meanings and "ask_back" in script.messages:
        return AskBack(meanings)
    return Failed(None)


def _possible_crisis(
    script: Script, state: State, reading: Reading, scope: dict[str, Any], said: dict[str, Any]
) -> Follow | TakeRoute | Choose | None:
    """R12: "I'm safe" where the state asks it; a possible crisis anywhere else that
    global meanings apply (in every question, free text included): ask if they are safe."""
    routes = state.intents.get(SAFE_ANSWER)
    if routes and (reading.safe or reading.answer is True) and not reading.possible_crisis:
        # The key passed is not mutated: route_value gives SAFE_ANSWER and None alike nothing.
        return _take(state, routes, reading, SAFE_ANSWER, said)  # pragma: no mutate
    if reading.possible_crisis and state.globals:
        return _global(script, POSSIBLE_CRISIS, scope)
    return None


def wants_person(reading: Reading) -> bool:
    """R13: a person asked for, by the model (sure) or in words; words that also
    dispute something or turn a person down are not a request."""
    if reading.sure and reading.top == "human":
        return True
    # A complaint about staff names a person ("your agent was rude"): it is a
    # complaint (R15), which reaches a person too, not a request for one.
    if "complaint" in reading.cues or (reading.sure and reading.top == "complaint"):
        return False
    return "human" in reading.cues and reading.top not in ("dispute", "decline")


def _for_person(state: State) -> bool:
    """The state takes a message for a person already on the way (InputSpec.for_person)."""
    return state.input is not None and state.input.for_person


def may_detour(state: State) -> bool:
    """Global meanings other than a person would hijack a free-text answer."""
    free_text = state.input is not None and state.input.type is InputType.TEXT
    return state.globals and not free_text


def _always_on(
    script: Script, state: State, reading: Reading, text: str, scope: dict[str, Any]
) -> NoteAndFollow | None:
    """R3, R11, R15 in free-text answers: STOP, a complaint or hardship written as a
    dispute reason or a note for a person is recognised, not just filed. The text is
    kept as the answer too (the dispute keeps its reason, the note is stored)."""
    spec = state.input
    if spec is None or spec.type is not InputType.TEXT:
        return None
    sure = reading.top if reading.sure else None
    # A complaint already logged: complaining words written to the person are its details.
    logged = spec.for_person and "complaint" in (scope.get("escalated_for") or ())
    rule = next(
        (
            m
            for m in ALWAYS_ON
            if (m in reading.cues or sure == m) and not (logged and m == "complaint")
        ),
        None,
    )
    route = script.intents.get(rule) if rule is not None else None
    if route is None or not expressions.holds(route.when, scope):
        return None
    answers = answers_to(state, reading, text, scope)
    # A detour (STOP) comes back to this question, which is then asked again.
    answer = answers[0] if answers and not route.detour else None
    return NoteAndFollow(answer, route.to, route.detour)


def _quiet_request(
    script: Script, state: State, reading: Reading, text: str
) -> Follow | HeardQuiet | Store | None:
    """R4 from any state that takes a detour: a request about when to write, before
    the model's meaning ("stop messaging me at night" is not a STOP)."""
    if not reading.quiet_windows:
        # "When can you contact me?": where /reminders leads, as a detour.
        asked = CONTACT_TIMES in reading.cues and may_detour(state)
        settings = script.commands.get(REMINDERS_COMMAND) if asked else None
        return Follow(settings.to, True) if settings is not None else None
    times = QuietTimes(reading.quiet_windows)
    spec = state.input
    if spec is not None and spec.type is InputType.QUIET_HOURS:
        if len(text) > spec.max_length:
            return None  # too long to be an answer: the state's own check says so
        return Store(times)  # the answer asked for, before any meaning of its words
    target = script.quiet_state
    if target is None or QUIET_REQUEST not in reading.cues or not may_detour(state):
        return None
    return HeardQuiet(target, times)


def _offer(state: State, reading: Reading, said: dict[str, Any]) -> TakeRoute | Choose | None:
    """An amount where the state takes offers (`monthly_offer`)."""
    routes = state.intents.get(MONTHLY_OFFER)
    if not routes or reading.amount is None or reading.other_period:
        return None
    if not (reading.monthly or reading.top in OFFER_MEANINGS):
        return None
    return _take(state, routes, reading, MONTHLY_OFFER, said)


def _charge_named(
    state: State, reading: Reading, said: dict[str, Any]
) -> TakeRoute | Choose | None:
    """A charge named where the state lists charges (`charge_named`), whatever else
    the words are read to mean: "the late fee, I paid on time" is that charge. Words
    that make a complaint ("I want to complain about the late fee") are one (R15)."""
    routes = state.intents.get(CHARGE_NAMED)
    if not routes or not reading.charges or "complaint" in reading.cues:
        return None
    return _take(state, routes, reading, CHARGE_NAMED, said)


# ---- routes ----


def said_names(reading: Reading) -> dict[str, Any]:
    """The said_* names a state route's guard may use: what the message named."""
    return {
        "said_date": reading.dates[0] if len(reading.dates) == 1 else None,
        # Every reading: two when the day reads two ways (then `said_date` is None).
        "said_dates": list(reading.dates),
        "said_amount": reading.amount,
        "said_monthly": reading.monthly,
        "said_charges": list(reading.charges),
        "said_all": reading.all_of_it,
    }


def _global(script: Script, meaning: str, scope: dict[str, Any]) -> Follow | None:
    route: GlobalRoute | None = script.intents.get(meaning)
    if route is None or not expressions.holds(route.when, scope):
        return None
    return Follow(route.to, route.detour)


def _state_route(
    state: State, reading: Reading, meaning: str, said: dict[str, Any]
) -> TakeRoute | Choose | None:
    routes = state.intents.get(meaning)
    return _take(state, routes, reading, meaning, said) if routes else None


def _usable(state: State, route: IntentRoute, said: dict[str, Any]) -> bool:
    if not expressions.holds(route.when, said):
        return False
    if route.choice is None:
        return True
    return any(c.id == route.choice and expressions.holds(c.when, said) for c in state.choices)


def _take(
    state: State, routes: list[IntentRoute], reading: Reading, key: str, said: dict[str, Any]
) -> TakeRoute | Choose | None:
    """The first of the state's routes for `key` whose guard holds."""
    for route in routes:
        if not _usable(state, route, said):
            continue
        if route.choice is not None:
            return Choose(route.choice)
        return TakeRoute(tuple(route.actions), route_value(reading, key), route.to)
    return None


def route_value(reading: Reading, key: str) -> Any:
    """What the route's actions get: what the message named for this meaning."""
    if key == MONTHLY_OFFER:
        return reading.amount
    if key == "dispute":
        return list(reading.charges)
    if key == CHARGE_NAMED:
        return SaidCharges(reading.charges, reading.charge_reason)
    if key in ("confirm", "decline"):
        return reading.answer
    once = not (reading.monthly or reading.other_period)  # not "300 a month"
    if key == "promise" and reading.dates and reading.amount is not None and once:
        readings = tuple(reading.dates[:DATE_READINGS]) if len(reading.dates) > 1 else ()
        return SaidPayment(reading.dates[0], reading.amount, readings)
    if key in DATE_MEANINGS and reading.dates:
        return reading.dates[0]
    return None


def routable(script: Script, state: State, meaning: str, said: dict[str, Any]) -> bool:
    """Whether `meaning` leads somewhere from `state`: worth a button when asking back."""
    if meaning in NOT_ASKED:
        return False
    if any(_usable(state, r, said) for r in state.intents.get(meaning, [])):
        return True
    route = script.intents.get(meaning)
    allowed = meaning == "human" or may_detour(state)
    return allowed and route is not None and expressions.holds(route.when, said)


# ---- the state's question ----


def within_limits(spec: InputSpec, value: Any, scope: dict[str, Any]) -> Any:
    """The value when it fits the input's `min` and `max`, else None."""
    if value is None or not (spec.min or spec.max):
        return value
    low = expressions.evaluate(spec.min, scope) if spec.min else None
    high = expressions.evaluate(spec.max, scope) if spec.max else None
    if low is not None and value < low:
        return None
    if high is not None and value > high:
        return None
    return value


def answers_to(state: State, reading: Reading, text: str, scope: dict[str, Any]) -> list[Any]:
    """Every reading of the text as the answer the state asks for, within its limits."""
    spec = state.input
    if spec is None or not text or len(text) > spec.max_length:
        return []
    raw: list[Any]
    if spec.type is InputType.TEXT:
        # Words are expected: a bare number or emoji is no reason or message.
        raw = [text] if any(ch.isalpha() for ch in text) else []
    elif spec.type is InputType.AMOUNT:
        raw = [reading.amount if reading.amount is not None else reading.value_amount]
    elif spec.type is InputType.NUMBER:
        raw = [reading.number]
    elif spec.type is InputType.BIRTH_DATE:
        raw = list(reading.birth_dates) or [reading.value_date]
    elif spec.type is InputType.QUIET_HOURS:
        raw = [QuietTimes(reading.quiet_windows)] if reading.quiet_windows else []
    else:
        raw = list(reading.dates) or [reading.value_date]
    fitting = (within_limits(spec, value, scope) for value in raw)
    return list(dict.fromkeys(value for value in fitting if value is not None))


def _answer(script: Script, spec: InputSpec, answers: list[Any]) -> Decision:
    two_dates = len(answers) > 1 and all(isinstance(a, date) for a in answers)
    # A conversation pinned to a script older than this question takes the likeliest.
    if two_dates and "which_date" in script.messages:
        return AskWhichDate(tuple(answers[:DATE_READINGS]))
    if answers:
        return Store(answers[0])
    return Failed(spec.invalid)


# ---- asking back ----


def ask_back_meanings(
    script: Script, state: State, reading: Reading, said: dict[str, Any]
) -> tuple[str, ...]:
    """The likeliest meanings that lead somewhere here, best first."""
    labels = script.messages
    meanings: list[str] = []
    for sense in reading.senses:
        if len(meanings) == ASK_BACK_COUNT or sense.score < ASK_BACK_FLOOR:
            break
        # A script pinned before asking back existed has no labels: no buttons then.
        if f"meaning_{sense.meaning}" in labels and routable(script, state, sense.meaning, said):
            meanings.append(sense.meaning)
    return tuple(meanings)


# ---- the buttons of those questions ----


def route_choice(
    script: Script, state: State, choice_id: str, scope: dict[str, Any]
) -> Decision | None:
    """A button of the bot's own question back: a meaning ("did you mean...?") or
    one reading of a date. None: the meaning's route no longer applies."""
    if choice_id.startswith(DATE_CHOICE):
        return _date_chosen(state, choice_id.removeprefix(DATE_CHOICE), scope)
    meaning = choice_id.removeprefix(MEANING_CHOICE)
    if meaning == SOMETHING_ELSE:
        return PromptAgain()
    said = {**scope, **said_names(NOTHING_READ)}
    if not routable(script, state, meaning, said):
        return Failed(None)
    return _state_route(state, NOTHING_READ, meaning, said) or _global(script, meaning, scope)


def _date_chosen(state: State, raw: str, scope: dict[str, Any]) -> Decision:
    spec = state.input
    if spec is None or spec.type not in (InputType.DATE, InputType.BIRTH_DATE):
        return Failed(None)
    try:
        chosen: date | None = date.fromisoformat(raw)
    except ValueError:
        chosen = None
    value = within_limits(spec, chosen, scope)
    if value is None:
        return Failed(spec.invalid)
    return Store(value)
