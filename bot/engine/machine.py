"""The dialog state machine: (script, state, event, context) -> (state, replies, effects).

Pure and deterministic: the same inputs always give the same outputs, so a
conversation can be replayed from its transcript and tested without I/O.
Rules that hold in every state live here rather than in each script: crisis
comes first (R12), a person is always reachable (R13), nothing about the
account is said before verification (R5). Where typed text leads is decided by
the router (router.py) from the reading the runtime attached; the step carries
the decision out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from bot.engine import expressions, router
from bot.engine.actions import ACTIONS, HARDSHIP_SAID, QUIET_NEW, ActionRun, collectible_now
from bot.engine.memo import kept_on
from bot.engine.said import offered_in, said_in
from bot.engine.scope import computed_from, computed_names
from bot.engine.script import (
    DATE_CHOICE,
    HUMAN_CHOICE,
    MEANING_CHOICE,
    RETURN_TARGET,
    SOMETHING_ELSE,
    ActionCall,
    InputType,
    Script,
    State,
    placeholders_of,
)
from bot.engine.types import (
    NO_PARAMS,
    Choice,
    Context,
    ConversationState,
    Effect,
    Event,
    EventKind,
    MessageRef,
    MoneyValue,
    Part,
    QuietTimes,
    Reading,
    Reply,
    StepResult,
)
from bot.engine.values import from_json
from bot.errors import ScriptFailure

MAX_HOPS = 40  # automatic transitions in one step; more means a loop in the script
MAX_DETOURS = 8  # open detours kept; older return points are forgotten


class _Stale(Exception):
    """A button from an earlier step: answered, nothing changes."""


class _CollectionPaused(Exception):
    """Raised inside a step when a script path reaches an offer while collection is paused."""


class _NothingDue(Exception):
    """Raised inside a step when a script path reaches an offer or a request for money
    and nothing may be collected (R8: every charge disputed; or all paid)."""


class ScriptRuntimeError(ScriptFailure):
    """A script that passed validation misbehaved (a loop, a failing guard)."""


def new_state(script: Script, locale: str) -> ConversationState:
    return ConversationState(
        script_id=script.id, script_version=script.version, state=script.start, locale=locale
    )


def step(script: Script, state: ConversationState, event: Event, ctx: Context) -> StepResult:
    """Handle one event. A stale button changes nothing but says so."""
    return _Step(script, state, ctx).run(event)


class _Step:
    def __init__(self, script: Script, state: ConversationState, ctx: Context) -> None:
        self.script = script
        self.ctx = ctx
        self.original = state
        # The script the result is pinned to: the state's, or the current one on a restart.
        self.script_ref = (state.script_id, state.script_version)
        self.current = state.state
        self.vars: dict[str, Any] = dict(state.vars)
        self.verified = state.verified
        self.locale = state.locale
        self.failed_inputs = state.failed_inputs
        self.ended = state.ended
        self.stack: list[str] = list(state.stack)
        self.parts: list[Part] = []
        self.replies: list[Reply] = []
        self.effects: list[Effect] = []
        self.id_counter = [0]
        self.step_no = state.step + 1
        # The last scope built and what it was built from (see `_scope`).
        self._scope_key: tuple[Any, ...] | None = None
        self._vars_changed = True  # since the last scope was built (see `set_var`)
        self._scope_value: dict[str, Any] = {}
        self._computed: dict[str, Any] = {}
        self._computed_from: tuple[Any, ...] = ()

    # ---- entry point ----

    def run(self, event: Event) -> StepResult:
        if event.kind is EventKind.TRIGGER:
            return self._on_trigger(event.text)
        try:
            self._dispatch(event)
        except _Stale:
            return self._stale()
        except _CollectionPaused:
            self._enter(self._paused_state())
        except _NothingDue:
            self._enter(self.script.nothing_due_state or self._paused_state())
        return self._result()

    def _dispatch(self, event: Event) -> None:
        if event.kind is EventKind.START or self.ended:
            self._restart()
        elif event.kind is EventKind.RESUME:
            self._resume(event.text)
        elif event.kind is EventKind.CHOICE:
            if event.step is not None and event.step != self.original.step:
                raise _Stale
            self._on_choice(event.choice)
        elif event.kind is EventKind.COMMAND:
            self._on_command(event.text)
        else:
            # The runtime's door has cut the text to its one limit (bot/service/text.py).
            self._on_text(event.text.strip(), event.meaning or router.NOTHING_READ)

    def _on_trigger(self, name: str) -> StepResult:
        """Something the bot starts itself: a detour into the trigger's state, or nothing.

        A trigger the script does not route, or whose guard does not hold (a
        paused account, a conversation that ended), changes nothing and says nothing.
        """
        route = self.script.triggers.get(name)
        if route is None or not expressions.holds(route.when, self._scope()):
            return StepResult(self.original, (), ())
        self._follow(route.to, detour=not self.ended)
        self.ended = self._state().end
        return self._result()

    def _resume(self, target: str) -> None:
        """A person hands the conversation back at a named state; open detours are closed."""
        if target not in self.script.states:
            raise ScriptRuntimeError(f"cannot resume at unknown state {target!r}")
        self.stack = []
        self._enter(target)

    def _stale(self) -> StepResult:
        reply = Reply(parts=(Part(f"{self.script.id}.stale_choice"),), step=self.original.step)
        return StepResult(self.original, (reply,), ())

    def _restart(self) -> None:
        # A new conversation runs the current script; a verification lock
        # survives a restart, or /start would be a way around it (R5).
        self.script_ref = (self.script.id, self.script.version)
        failures = self.vars.get("verify_failures")
        self.vars = {} if failures is None else {"verify_failures": failures}
        self._vars_changed = True
        self.verified = False
        self.ended = False
        self.stack = []
        self._enter(self.script.start)

    # ---- events ----

    def _on_choice(self, choice_id: str) -> None:
        if choice_id == HUMAN_CHOICE:
            self._global("human")
            return
        if choice_id.startswith((MEANING_CHOICE, DATE_CHOICE)):
            # A button of the bot's own question back ("did you mean...?").
            decision = router.route_choice(self.script, self._state(), choice_id, self._scope())
            if decision is not None:
                self._carry_out(decision)
            return
        state = self._state()
        scope = self._scope()
        for choice in state.choices:
            if choice.id == choice_id and expressions.holds(choice.when, scope):
                self._after_answer(state, choice.actions, choice_id, choice.to, chosen=True)
                return
        dynamic = state.dynamic_choices
        if dynamic is not None:
            items = expressions.evaluate(dynamic.each, scope) or []
            if any(str(item[dynamic.id]) == choice_id for item in items):
                self._after_answer(state, dynamic.actions, choice_id, dynamic.to, chosen=True)
                return
        self._failed_input(None)

    def _on_command(self, name: str) -> None:
        # Lower-cased first, so stripping more upper-case letters changes nothing: not mutated.
        route = self.script.commands.get(name.lower().lstrip("/"))  # pragma: no mutate
        if route is None or not expressions.holds(route.when, self._scope()):
            self._say_shared("unknown_command")
            self._prompt_again()
            return
        self._follow(route.to, route.detour)

    def _on_text(self, text: str, reading: Reading) -> None:
        """Typed text: the router decides from its reading where it leads.

        Hardship said in any message (even beside an offer, "I lost my job but I can
        pay 60 a month") is kept for the conversation: every plan from then on is
        judged on hardship terms (R11, actions.on_hardship_terms)."""
        if reading.hardship and not self.vars.get(HARDSHIP_SAID):
            self.set_var(HARDSHIP_SAID, True)
        self._carry_out(router.route_text(self.script, self._state(), reading, text, self._scope()))

    def _carry_out(self, decision: router.Decision) -> None:
        """Do what the router decided, in the state the message arrived in."""
        state = self._state()
        if isinstance(decision, router.Follow):
            self._follow(decision.to, decision.detour)
        elif isinstance(decision, router.HeardQuiet):
            self.set_var(QUIET_NEW, decision.times)
            self._follow(decision.to, True)
        elif isinstance(decision, router.Choose):
            self._on_choice(decision.choice_id)
        elif isinstance(decision, router.TakeRoute):
            # A route is its own way out: its actions, not the state's, which handle the
            # state's own answer (`check_promise` needs the date the state asked for).
            self._after_answer(state, decision.actions, decision.value, decision.to, routed=True)
        elif isinstance(decision, router.Store):
            self._store(state, decision.value)
        elif isinstance(decision, router.NoteAndFollow):
            if decision.answer is not None and state.input is not None:
                self._keep_answer(state, decision.answer)
                self._run_actions(state.actions, decision.answer)
            self._follow(decision.to, decision.detour)
        elif isinstance(decision, router.AskWhichDate):
            self._ask_which_date(decision.readings)
        elif isinstance(decision, router.AskBack):
            self._ask_back(decision.meanings)
        elif isinstance(decision, router.Failed):
            self._failed_input(decision.message_id)
        elif isinstance(decision, router.Restart):
            self._restart()
        else:
            self._prompt_again()

    # ---- moving between states ----

    def _global(self, name: str) -> bool:
        route = self.script.intents.get(name)
        if route is None or not expressions.holds(route.when, self._scope()):
            return False
        self._follow(route.to, route.detour)
        return True

    def _follow(self, target: str, detour: bool) -> None:
        """Go to `target`; a detour remembers where it returns (detours nest)."""
        if detour and not self._state().end and not self._lands_here(target):
            # Re-opening a detour already on the stack closes what was opened
            # after it, so help -> language -> help does not grow without end.
            if target in self.stack:
                del self.stack[self.stack.index(target) :]
            self.stack.append(self.current)
            del self.stack[:-MAX_DETOURS]
        self._enter(target)

    def _after_answer(
        self,
        state: State,
        actions: Sequence[ActionCall],
        value: Any,
        target: str | None,
        *,
        chosen: bool = False,
        routed: bool = False,
    ) -> None:
        self.failed_inputs = 0
        self._run_actions(actions, value, chosen=chosen)
        if actions is not state.actions and not routed:
            self._run_actions(state.actions, value, chosen=chosen)
        if target is not None:
            self._enter(target)
        else:
            self._transition(state)

    def _transition(self, state: State) -> None:
        scope = self._scope()
        for transition in state.next:
            if expressions.holds(transition.when, scope):
                self._enter(transition.to)
                return
        raise ScriptRuntimeError(f"state {self.current!r}: no transition applies")

    def _enter(self, name: str, hops: int = 0) -> None:
        if hops > MAX_HOPS:
            raise ScriptRuntimeError(f"more than {MAX_HOPS} automatic transitions: a loop")
        if name == RETURN_TARGET:
            name = self.stack.pop() if self.stack else self._home()
        state = self.script.states[name]
        if not state.public and not self.verified:
            name, state = self.script.verify_state, self.script.states[self.script.verify_state]
        self._guard(state)
        self.current = name
        self.failed_inputs = 0
        self._run_actions(state.enter, None)
        # Nothing changes between saying, offering and choosing where to go: one scope.
        scope = self._say(state)
        if state.waits:
            self._finish_reply(state, scope)
            self.ended = state.end
            return
        for transition in state.next:
            if expressions.holds(transition.when, scope):
                self._enter(transition.to, hops + 1)
                return
        raise ScriptRuntimeError(f"state {name!r}: no transition applies")

    # ---- input ----

    def _store(self, state: State, value: Any) -> None:
        """The answer to the state's question: stored, then the state's actions and next."""
        self._keep_answer(state, value)
        self._after_answer(state, state.actions, value, None)

    def _keep_answer(self, state: State, value: Any) -> None:
        """The answer in the input's variable; a date of birth is only compared by the
        state's actions, never kept (R18): the variable says that one was given."""
        assert state.input is not None  # noqa: S101 - the router only stores an input's answer
        secret = state.input.type is InputType.BIRTH_DATE
        self.set_var(state.input.store, True if secret else value)

    def _failed_input(self, message_id: str | None) -> None:
        """Say what went wrong, ask again, and after repeated failures offer a person (R13)."""
        self.failed_inputs += 1
        failures = self.failed_inputs
        self._say_shared(message_id or "not_understood")
        threshold = self.ctx.policy.escalation.failed_inputs_before_offer
        # The offer is said once, when the threshold is reached; the button stays.
        self._prompt_again(offer_person=failures >= threshold, say_offer=failures == threshold)
        self.failed_inputs = failures

    # say_offer matters only with offer_person, and the one caller that offers a person
    # passes both: its default changes nothing, so the line is not mutated.
    def _prompt_again(
        self,
        offer_person: bool = False,
        say_offer: bool = True,  # pragma: no mutate
    ) -> None:
        state = self._state()
        self._guard(state)
        failures = self.failed_inputs
        scope = self._say(state, prompts_only=True)
        if offer_person and say_offer and not self._has_person_choice(state):
            self._say_shared("offer_person")
        self._finish_reply(state, scope, offer_person=offer_person)
        self.failed_inputs = failures

    # ---- asking back ----

    def _ask_which_date(self, readings: Sequence[date]) -> None:
        """Both readings of a date as buttons; nothing is counted, nothing is checked yet."""
        script_id = self.script.id
        self._say_shared("which_date")
        choices = tuple(
            Choice(
                f"{DATE_CHOICE}{day.isoformat()}", Part(f"{script_id}.date_option", {"date": day})
            )
            for day in readings
        )
        self._close_reply(choices)

    def _ask_back(self, meanings: Sequence[str]) -> None:
        """The likely meanings as buttons. Unclear twice in a row is still a doom loop
        to break (R13): it counts as a failed input, and at the threshold a person is
        offered too."""
        self.failed_inputs += 1
        offer = self.failed_inputs >= self.ctx.policy.escalation.failed_inputs_before_offer
        script_id = self.script.id
        self._say_shared("ask_back")
        if offer:
            self._say_shared("offer_person")
        choices = [
            Choice(f"{MEANING_CHOICE}{m}", Part(f"{script_id}.meaning_{m}")) for m in meanings
        ]
        if offer and "human" not in meanings:
            choices.append(Choice(f"{MEANING_CHOICE}human", Part(f"{script_id}.meaning_human")))
        choices.append(
            Choice(f"{MEANING_CHOICE}{SOMETHING_ELSE}", Part(f"{script_id}.meaning_none"))
        )
        self._close_reply(choices)

    # ---- saying things ----

    def _say_shared(self, key: str) -> None:
        self.parts.append(Part(f"{self.script.id}.{key}", self._params_for(key, {})))

    def _params_for(self, key: str, scope: dict[str, Any]) -> dict[str, Any]:
        message = self.script.messages.get(key)
        if message is None:
            return {}
        scope = scope or self._scope()
        return {n: scope[n] for n in placeholders_of(message) if n in scope}

    def _say(self, state: State, prompts_only: bool = False) -> dict[str, Any]:
        """Say what the state says; returns the scope it was said with."""
        scope = self._scope()
        parts = self.parts
        for message_id, ask, guard, names, each in said_in(self.script.id, self.current, state):
            if prompts_only and not ask:
                continue
            if guard is not None and not guard(scope):
                continue
            if each:
                for item in expressions.evaluate(each, scope) or []:
                    parts.append(Part(message_id, _params(names, scope, item)))
            else:
                parts.append(Part(message_id, _params(names, scope)))
        return scope

    def _finish_reply(
        self, state: State, scope: dict[str, Any], offer_person: bool = False
    ) -> None:
        """The state's buttons under what was said, with the scope it was said with."""
        choices = self._choices(state, scope)
        if offer_person and not self._has_person_choice(state):
            choices.append(Choice(HUMAN_CHOICE, Part(f"{self.script.id}.choice_person")))
        if self.parts or choices:
            self._close_reply(choices)

    def _close_reply(self, choices: Sequence[Choice]) -> None:
        """What was said so far becomes one message, with these buttons under it."""
        self.replies.append(Reply(tuple(self.parts), tuple(choices), self.step_no))
        self.parts = []

    def _has_person_choice(self, state: State) -> bool:
        """Whether the state already offers a person: then the engine adds no second one."""
        targets = [self.script.states.get(c.to) for c in state.choices if c.to is not None]
        return any(
            target is not None and any(call.name == "escalate" for call in target.enter)
            for target in targets
        )

    def _choices(self, state: State, scope: dict[str, Any]) -> list[Choice]:
        choices: list[Choice] = []
        dynamic = state.dynamic_choices
        if dynamic is not None:
            label_id = f"{self.script.id}.{self.current}.{dynamic.label.id}"
            for item in expressions.evaluate(dynamic.each, scope) or []:
                params = _params(dynamic.label.placeholders(), scope, item)
                choices.append(Choice(str(item[dynamic.id]), Part(label_id, params)))
        # Options computed from data come first, fixed ones (back, a person) last.
        for guard, choice in offered_in(self.script.id, self.current, state):
            if guard is None or guard(scope):
                choices.append(choice)
        return choices

    # ---- helpers ----

    def _state(self) -> State:
        return self.script.states[self.current]

    def _lands_here(self, target: str) -> bool:
        """Whether `target` leads straight to where the borrower is: the detour is the
        one already open (the person route from the waiting room), not a new one."""
        name, seen = target, set()
        while name not in seen and name in self.script.states:
            if name == self.current:
                return True
            seen.add(name)
            state = self.script.states[name]
            if state.waits or not state.next:
                return False
            name = state.next[-1].to
        return False

    def _guard(self, state: State) -> None:
        """Nothing that offers or asks for money is entered or said again while paused.
        (The pause is read first: it is two flags, and rarely set.)"""
        if self._collection_paused() and _asks_for_money(state):
            raise _CollectionPaused(self.current)
        if self.verified and _asks_directly(state) and self._nothing_due():
            raise _NothingDue(self.current)

    def _collection_paused(self) -> bool:
        """The one guard every offer and request for money passes (R8 holds disputed
        charges out of every amount; R12 crisis and R16 breathing space stop them all)."""
        account = self.ctx.account
        return account.collection_paused or account.breathing_space

    def _nothing_due(self) -> bool:
        """Nothing may be asked for: no offer, promise or link is made for 0 (R8), charges
        disputed earlier in this step included."""
        return collectible_now(self.ctx.account, self.vars.get("disputed_now")) <= 0

    def _paused_state(self) -> str:
        if self.script.paused_state is None:
            raise ScriptRuntimeError("collection is paused and the script has no paused_state")
        return self.script.paused_state

    def _home(self) -> str:
        """Where `@return` goes with no detour open: the menu for a verified borrower."""
        home = self.script.home
        if home is not None and self.verified:
            return home
        return self.script.start

    def _scope(self) -> dict[str, Any]:
        """The names guards and messages see, rebuilt only when what they are built from
        changed: a step asks for them several times, mostly with nothing changed between.

        The scope reads the variables, verification, locale and failed inputs only (the
        context is fixed for the step). Variables change only through `set_var`, an
        action or a restart, each of which marks them changed. When only variables the
        computed names do not read changed (most actions' results), they are laid over
        the computed names already worked out. Callers never change the scope.
        """
        key = (self.verified, self.locale, self.failed_inputs)
        if self._vars_changed or key != self._scope_key:
            inputs = computed_from(self.vars)
            if key != self._scope_key or inputs != self._computed_from:
                self._computed = computed_names(inputs, *key, self.ctx)
                self._computed_from = inputs
            self._scope_value = {**self._computed, **self.vars}
            self._scope_key = key
            self._vars_changed = False
        return self._scope_value

    def set_var(self, name: str, value: Any) -> None:
        """The one way the engine writes a variable (actions write theirs through their
        run): the next scope is rebuilt with it."""
        self.vars[name] = value
        self._vars_changed = True

    def _run_actions(
        self, calls: Sequence[ActionCall], value: Any, *, chosen: bool = False
    ) -> None:
        for call in calls:
            if ACTIONS[call.name].asks_for_money and self._collection_paused():
                raise _CollectionPaused(call.name)
            if ACTIONS[call.name].asks_for_money and self.verified and self._nothing_due():
                raise _NothingDue(call.name)
            run = ActionRun(
                ctx=self.ctx,
                vars=self.vars,
                value=value,
                args=call.args,
                effects=self.effects,
                verified=self.verified,
                locale=self.locale,
                id_counter=self.id_counter,
                chosen=chosen,
            )
            ACTIONS[call.name].run(run)
            self._vars_changed = True  # an action may change any variable
            self.verified = run.verified
            self.locale = run.locale

    def _result(self) -> StepResult:
        if self.parts:
            self._close_reply(())
        script_id, script_version = self.script_ref
        # Built directly rather than with `replace`, which looks the fields up each time.
        state = ConversationState(
            script_id=script_id,
            script_version=script_version,
            state=self.current,
            locale=self.locale,
            step=self.step_no,
            verified=self.verified,
            failed_inputs=self.failed_inputs,
            ended=self.ended,
            vars=self.vars,
            stack=tuple(self.stack),
        )
        return StepResult(state, tuple(self.replies), tuple(self.effects))


def _asks_for_money(state: State) -> bool:
    """A state that offers a plan, an extension or a promise, or asks for money: one
    of its actions says so in its contract (ActionSpec.asks_for_money).

    Asked on every state entered, so worked out once per state (`kept_on`).
    """
    if state.asks_for_money:
        return True
    made_from = (state.enter, state.actions, state.choices, state.intents, state.dynamic_choices)
    return kept_on(state, "_asks_for_money", made_from, lambda: _works_out_asks_for_money(state))


def _asks_directly(state: State) -> bool:
    """A state that names an amount to pay or runs an offer as it is entered or
    answered: with nothing to collect it is not entered (R8). A menu whose choices
    and typed meanings lead to offers is entered (its buttons hide by `has_balance`,
    and each offer's own action is stopped)."""
    if state.asks_for_money:
        return True
    made_from = (state.enter, state.actions)
    return kept_on(
        state,
        "_asks_directly",
        made_from,
        lambda: _any_asks_for_money(tuple(c.name for c in (*state.enter, *state.actions))),
    )


def _works_out_asks_for_money(state: State) -> bool:
    calls = [*state.enter, *state.actions]
    calls += [a for choice in state.choices for a in choice.actions]
    calls += [a for routes in state.intents.values() for route in routes for a in route.actions]
    if state.dynamic_choices is not None:
        calls += state.dynamic_choices.actions
    return _any_asks_for_money(tuple(c.name for c in calls))


@lru_cache(maxsize=1024)
def _any_asks_for_money(names: tuple[str, ...]) -> bool:
    return any(ACTIONS[name].asks_for_money for name in names if name in ACTIONS)


def _params(
    names: frozenset[str], scope: dict[str, Any], item: dict[str, Any] | None = None
) -> Mapping[str, Any]:
    """What a message names, from the item it is said for first, then the scope
    (looked up in both rather than merging the whole scope for every item)."""
    if not names:  # most questions and labels name nothing: one shared empty mapping
        return NO_PARAMS
    # Each value is looked up once, and one of the common types goes as it is
    # without a call (see `_param`).
    if item is None:
        return {
            n: v if type(v) in _AS_THEY_ARE else _param(v)
            for n in names
            if (v := scope.get(n, _ABSENT)) is not _ABSENT
        }
    return {
        n: v if type(v) in _AS_THEY_ARE else _param(v)
        for n in names
        if (v := item.get(n, _ABSENT)) is not _ABSENT or (v := scope.get(n, _ABSENT)) is not _ABSENT
    }


_ABSENT = object()  # a name missing from the scope, told apart from a None value


# Parameters of these types go to the renderer as they are (a bool is not an int here:
# the type is compared, not subclassing).
_AS_THEY_ARE = frozenset({str, int, Decimal, date, MoneyValue, MessageRef, QuietTimes})


def _param(value: Any) -> Any:
    if type(value) in _AS_THEY_ARE:
        return value
    value = from_json(value) if isinstance(value, dict) else value
    if isinstance(value, list):
        return tuple(str(v) for v in value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return Decimal(str(value))
    return value
