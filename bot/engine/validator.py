"""Semantic checks of a dialog script, beyond its schema.

Finds what would break a conversation or a rule before the script is
published: unknown or unreachable states, dead ends, undefined actions and
placeholders, account details in states shown before verification (R5), a
person out of reach (R13), crisis handling (R12), the lender named at first
contact in every locale (R6), threatening or pressuring words in any locale
(R9, R10), the way to stop in every bot-initiated text and each of its
translations (R3), and texts missing a translation. Each problem names the file, the
line and the state.

`validate_texts` lints what no script holds: every catalog entry and every
text defined in code, and the first-contact texts said outside a dialog.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from bot.domain.accounts import TRANSLATED_LOCALES
from bot.domain.compliance import (
    DEFAULT_MIN_DEADLINE_DAYS,
    bot_initiated_has_opt_out,
    find_violations,
    first_contact_problems,
)
from bot.engine import expressions
from bot.engine.actions import ACTIONS, outcome_values, variables_set
from bot.engine.errors import ScriptProblem
from bot.engine.loader import Path_, line_for
from bot.engine.scope import ACCOUNT_NAMES, PUBLIC_NAMES
from bot.engine.script import (
    MEANINGS,
    POSSIBLE_CRISIS,
    RETURN_TARGET,
    SAID_NAMES,
    STATE_INTENTS,
    ActionCall,
    Message,
    Script,
    State,
)
from bot.engine.types import EscalationReason, Priority

REQUIRED_MESSAGES = (
    "not_understood",
    "unknown_command",
    "stale_choice",
    "offer_person",
    "choice_person",
    "ask_back",  # not sure what was meant: the likeliest meanings as buttons
    "meaning_none",  # ... and "something else"
    "which_date",  # a date that reads two ways
    "date_option",  # one reading, as a button
)
# Meanings never offered as a button, so they need no label.
UNLABELLED_MEANINGS = frozenset({"crisis", "inform", "off_topic"})
# Conversation variables that actions set: their declared contract (bot/engine/actions.py).
ACTION_VARS = variables_set()
# What every charge item carries; the undisputed ones also their mark for the list.
CHARGE_KEYS = {"charge_id", "kind", "description", "amount", "posted_on", "dated", "disputed"}
ITEM_KEYS = {
    "charges": CHARGE_KEYS,
    "undisputed_charges": CHARGE_KEYS | {"mark"},
    "selected_charges": CHARGE_KEYS,
    "plan_options": {"id", "months", "installment"},
    "extension_options": {"id", "days", "new_due_date"},
    "promise_part_dates": {"id", "date"},
    "plan_installments": {"due_date", "amount"},
}
FILTERS_AND_TESTS = frozenset({"true", "false", "none", "True", "False", "None"})


class _Validator:
    def __init__(
        self, script: Script, lines: dict[Path_, int], filename: str, min_deadline_days: int
    ) -> None:
        self.script = script
        self.lines = lines
        self.filename = filename
        self.min_deadline_days = min_deadline_days
        self.problems: list[ScriptProblem] = []
        stores = {s.input.store for s in script.states.values() if s.input}
        self.known = PUBLIC_NAMES | ACCOUNT_NAMES | ACTION_VARS | stores | {"collectible_amount"}

    def fail(self, path: Path_, state: str | None, message: str) -> None:
        self.problems.append(
            ScriptProblem(self.filename, line_for(self.lines, path), state, message)
        )

    # ---- structure ----

    def targets(self, name: str, state: State) -> Iterator[tuple[Path_, str]]:
        base: Path_ = ("states", name)
        for i, t in enumerate(state.next):
            yield (*base, "next", i, "to"), t.to
        for i, c in enumerate(state.choices):
            if c.to:
                yield (*base, "choices", i, "to"), c.to
        if state.dynamic_choices and state.dynamic_choices.to:
            yield (*base, "dynamic_choices", "to"), state.dynamic_choices.to
        for key, routes in state.intents.items():
            for i, route in enumerate(routes):
                if route.to is not None:
                    yield (*base, "intents", key, i, "to"), route.to

    def global_targets(self) -> Iterator[tuple[Path_, str]]:
        for section in ("intents", "commands", "triggers"):
            routes = getattr(self.script, section)
            for key, route in routes.items():
                yield (section, key, "to"), route.to

    def check_targets(self) -> None:
        states = self.script.states
        for field_name in (
            "start",
            "verify_state",
            "home",
            "paused_state",
            "quiet_state",
            "nothing_due_state",
        ):
            target = getattr(self.script, field_name)
            if target is not None and target not in states:
                self.fail((field_name,), None, f"{field_name} names unknown state {target!r}")
        if self.script.verify_state in states and not states[self.script.verify_state].public:
            self.fail(
                ("verify_state",), self.script.verify_state, "the verify state must be public (R5)"
            )
        for name, state in states.items():
            for path, target in self.targets(name, state):
                if target != RETURN_TARGET and target not in states:
                    self.fail(path, name, f"transition to unknown state {target!r}")
        for path, target in self.global_targets():
            if target not in states:
                self.fail(path, None, f"route to unknown state {target!r}")

    def check_reachable(self) -> None:
        states = self.script.states
        seen: set[str] = set()
        todo = [self.script.start, self.script.verify_state]
        extra = (
            self.script.home,
            self.script.paused_state,
            self.script.quiet_state,
            self.script.nothing_due_state,
        )
        todo += [s for s in extra if s is not None]
        todo += [t for _, t in self.global_targets()]
        while todo:
            name = todo.pop()
            if name in seen or name not in states:
                continue
            seen.add(name)
            todo += [t for _, t in self.targets(name, states[name]) if t != RETURN_TARGET]
        for name in states:
            if name not in seen:
                self.fail(("states", name), name, "state is unreachable")

    def check_dead_ends(self) -> None:
        for name, state in self.script.states.items():
            path: Path_ = ("states", name)
            if state.end:
                continue
            if state.next and state.next[-1].when is not None:
                # `next` must always lead somewhere, or the conversation stalls.
                self.fail(
                    ("states", name, "next", len(state.next) - 1),
                    name,
                    "dead end: the last transition needs no `when`",
                )
            if not state.waits:
                if not state.next:
                    self.fail(path, name, "dead end: no transition out of this state")
                continue
            exits = [t for _, t in self.targets(name, state) if t != name]
            needs_next = state.input is not None or any(c.to is None for c in state.choices)
            if needs_next and not state.next:
                self.fail(path, name, "dead end: an answer here has no `next` to go to")
            if not exits and not state.next:
                self.fail(path, name, "dead end: no way out of this state")

    # ---- actions, expressions, placeholders ----

    def check_actions(self, name: str, path: Path_, calls: list[ActionCall]) -> None:
        for i, call in enumerate(calls):
            where = (*path, i)
            if call.name not in ACTIONS:
                self.fail(where, name, f"undefined action {call.name!r}")
            if call.name in ("escalate", "reprioritize"):
                reason = call.args.get("reason", "requested")
                priority = call.args.get("priority", "normal")
                if reason not in {r.value for r in EscalationReason}:
                    self.fail(where, name, f"{call.name}: unknown reason {reason!r}")
                if priority not in {p.value for p in Priority}:
                    self.fail(where, name, f"{call.name}: unknown priority {priority!r}")

    def check_expression(
        self, name: str | None, path: Path_, source: str | None, extra: set[str]
    ) -> None:
        if source is None:
            return
        try:
            used = expressions.names_used(source)
            expressions.check(source)
        except expressions.ExpressionError as exc:
            self.fail(path, name, str(exc))
            return
        outcomes = outcome_values()
        for variable, literal in sorted(expressions.compared_literals(source)):
            if variable in outcomes and literal not in outcomes[variable]:
                choices = ", ".join(sorted(outcomes[variable]))
                self.fail(
                    path,
                    name,
                    f"{variable!r} is never {literal!r}: the action sets one of {choices}",
                )
        unknown = used - self.known - extra - FILTERS_AND_TESTS
        if unknown:
            self.fail(path, name, f"unknown name(s) in expression: {', '.join(sorted(unknown))}")

    def check_message(
        self, name: str, path: Path_, message: Message, state: State, extra: set[str]
    ) -> None:
        self.check_expression(name, (*path, "when"), message.when, set())
        item_keys: set[str] = set()
        if message.each:
            self.check_expression(name, (*path, "each"), message.each, set())
            item_keys = ITEM_KEYS.get(message.each.strip(), set())
        allowed = self.known | extra | item_keys
        text_path: Path_ = (*path, "text")
        for placeholder in sorted(message.placeholders() - allowed):
            self.fail(text_path, name, f"undefined placeholder {{{placeholder}}}")
        if state.public:
            leaked = (message.placeholders() & ACCOUNT_NAMES) - PUBLIC_NAMES
            if leaked:
                self.fail(
                    text_path, name, f"R5: public state shows account detail {sorted(leaked)}"
                )
        if message.count and message.count not in message.placeholders() | allowed:
            self.fail(path, name, f"plural count {message.count!r} is not a known name")

    def check_state(self, name: str, state: State) -> None:
        base: Path_ = ("states", name)
        self.check_actions(name, (*base, "enter"), state.enter)
        self.check_actions(name, (*base, "actions"), state.actions)
        for i, message in enumerate(state.say):
            self.check_message(name, (*base, "say", i), message, state, set())
        for i, choice in enumerate(state.choices):
            self.check_expression(name, (*base, "choices", i, "when"), choice.when, set())
            self.check_actions(name, (*base, "choices", i, "actions"), choice.actions)
        for i, transition in enumerate(state.next):
            self.check_expression(name, (*base, "next", i, "when"), transition.when, set())
        dynamic = state.dynamic_choices
        if dynamic is not None:
            self.check_expression(name, (*base, "dynamic_choices", "each"), dynamic.each, set())
            keys = ITEM_KEYS.get(dynamic.each.strip(), set())
            self.check_message(
                name, (*base, "dynamic_choices", "label"), dynamic.label, state, keys
            )
            self.check_actions(name, (*base, "dynamic_choices", "actions"), dynamic.actions)
        for key, routes in state.intents.items():
            if key not in STATE_INTENTS:
                self.fail((*base, "intents", key), name, f"unknown meaning {key!r}")
            for i, route in enumerate(routes):
                where: Path_ = (*base, "intents", key, i)
                self.check_expression(name, (*where, "when"), route.when, set(SAID_NAMES))
                self.check_actions(name, (*where, "actions"), route.actions)
                if route.choice is not None and route.choice not in {c.id for c in state.choices}:
                    self.fail(where, name, f"{key} routes to unknown choice {route.choice!r}")
        if state.input is not None:
            spec = state.input
            if spec.invalid not in self.script.messages:
                self.fail(
                    (*base, "input", "invalid"),
                    name,
                    f"message {spec.invalid!r} is not in `messages`",
                )
            self.check_expression(name, (*base, "input", "min"), spec.min, set())
            self.check_expression(name, (*base, "input", "max"), spec.max, set())

    # ---- rules ----

    def _runs(self, start: str, action: str, **args: Any) -> bool:
        """Whether entering `start` runs `action` (following automatic transitions)."""
        seen: set[str] = set()
        name = start
        while name in self.script.states and name not in seen:
            seen.add(name)
            state = self.script.states[name]
            for call in state.enter:
                if call.name == action and all(call.args.get(k) == v for k, v in args.items()):
                    return True
            if state.waits or not state.next:
                return False
            name = state.next[-1].to
        return False

    def check_rules(self) -> None:
        script = self.script
        for section in ("intents", "commands"):
            route = getattr(script, section).get("human")
            if route is None:
                self.fail(
                    (section,),
                    None,
                    f"R13: no `human` route in {section}: a person must always be reachable",
                )
            elif not self._runs(route.to, "escalate"):
                self.fail(
                    (section, "human", "to"), route.to, "R13: the human route does not escalate"
                )
            elif not script.states[route.to].public if route.to in script.states else False:
                self.fail((section, "human", "to"), route.to, "R13: the human route must be public")
        crisis = script.intents.get("crisis")
        if crisis is None:
            self.fail(("intents",), None, "R12: no `crisis` intent")
        elif not (
            self._runs(crisis.to, "pause_collection")
            and self._runs(crisis.to, "escalate", priority="urgent")
        ):
            self.fail(
                ("intents", "crisis", "to"),
                crisis.to,
                "R12: crisis must pause collection and escalate urgently",
            )
        possible = script.intents.get(POSSIBLE_CRISIS)
        if possible is not None and not (
            self._runs(possible.to, "pause_collection")
            and (
                self._runs(possible.to, "escalate", priority="high")
                or self._runs(possible.to, "escalate", priority="urgent")
            )
        ):
            self.fail(
                ("intents", POSSIBLE_CRISIS, "to"),
                possible.to,
                "R12: a possible crisis must pause collection and escalate at high priority",
            )
        for key in REQUIRED_MESSAGES:
            if key not in script.messages:
                self.fail(("messages",), None, f"the engine needs message {key!r}")
        self.check_meanings()

    def check_meanings(self) -> None:
        """Global intents are meanings; each routed meaning has a button label for asking back."""
        routed: set[str] = set()
        for key in self.script.intents:
            if key == POSSIBLE_CRISIS:
                continue
            if key not in MEANINGS:
                self.fail(("intents", key), None, f"unknown meaning {key!r}")
            routed.add(key)
        for state in self.script.states.values():
            routed.update(key for key in state.intents if key in MEANINGS)
        for meaning in sorted(routed - UNLABELLED_MEANINGS):
            if f"meaning_{meaning}" not in self.script.messages:
                self.fail(
                    ("messages",),
                    None,
                    f"meaning {meaning!r} is routed but has no button label 'meaning_{meaning}'",
                )

    def check_first_contact(self, translations: Mapping[str, Mapping[str, str]] | None) -> None:
        """R6: the greeting names the lender and says it is automated, in every locale.

        Only the start state's unconditional texts count: a `when` may be false
        for this borrower, and the first message must identify the bot whatever
        the account looks like.
        """
        start = self.script.states.get(self.script.start)
        if start is None:
            return
        base: Path_ = ("states", self.script.start, "say")
        always = [m for m in start.say if m.when is None]
        prefix = f"{self.script.id}.{self.script.start}"
        texts = {"en": " ".join(m.text for m in always)}
        for locale in TRANSLATED_LOCALES if translations is not None else ():
            catalog = (translations or {}).get(locale, {})
            texts[locale] = " ".join(
                catalog.get(f"{prefix}.{m.id}\x04{m.text}", "") for m in always
            )
        for locale, text in texts.items():
            for missing in first_contact_problems(text):
                self.fail(base, self.script.start, f"R6: the {locale} first message {missing}")

    def bot_initiated_turn(self, start: str) -> list[tuple[str, int, Message]]:
        """The messages a trigger sends unasked: (state, index, message) from `start`
        along automatic transitions to the first state that waits for the borrower.

        Only unconditional messages count: a `when` may be false, and the way to
        stop must be said whatever the account looks like.
        """
        turn: list[tuple[str, int, Message]] = []
        seen: set[str] = set()
        name = start
        while name in self.script.states and name not in seen:
            seen.add(name)
            state = self.script.states[name]
            turn.extend((name, i, m) for i, m in enumerate(state.say) if m.when is None)
            if state.waits or not state.next:
                break
            name = state.next[-1].to
        return turn

    def check_opt_out(self, translations: Mapping[str, Mapping[str, str]] | None) -> None:
        """R3: every text a trigger sends (a reminder) says how to stop them, in every locale.

        The English source and each catalog's translation are read as the
        borrower would: the texts of the turn together must carry the opt-out.
        """
        for trigger, route in self.script.triggers.items():
            if route.to not in self.script.states:
                continue  # reported once, as a route to an unknown state
            turn = self.bot_initiated_turn(route.to)
            if not turn:
                self.fail(
                    ("triggers", trigger, "to"), route.to, f"R3: trigger {trigger!r} says nothing"
                )
                continue
            state, index, _ = turn[0]
            path: Path_ = ("states", state, "say", index, "text")
            prefix = self.script.id
            texts = {"en": " ".join(m.text for _, _, m in turn)}
            for locale, catalog in (translations or {}).items():
                said = [catalog.get(f"{prefix}.{s}.{m.id}\x04{m.text}", "") for s, _, m in turn]
                if any(said):  # an empty regional catalog falls back to its parent's text
                    texts[locale] = " ".join(said)
            for locale, text in texts.items():
                # R6: a reminder may be the first thing a linked borrower hears from us.
                for missing in first_contact_problems(text):
                    self.fail(
                        path, state, f"R6: the {locale} text sent by trigger {trigger!r} {missing}"
                    )
                if not bot_initiated_has_opt_out(text, locale):
                    self.fail(
                        path,
                        state,
                        f"R3: the {locale} text sent by trigger {trigger!r} does not say how to"
                        " stop these messages (e.g. 'Reply STOP to stop these reminders')",
                    )

    def check_texts(self, translations: Mapping[str, Mapping[str, str]] | None) -> None:
        table = self.script.message_table()
        for message_id, message in table.items():
            path = self._path_of(message_id)
            state = path[1] if len(path) > 1 and path[0] == "states" else None
            texts = [("en", message.text), ("en", message.plural or "")]
            if translations is not None:
                for locale in TRANSLATED_LOCALES:
                    key = f"{message_id}\x04{message.text}"  # gettext's context separator
                    translated = translations.get(locale, {}).get(key, "")
                    if not translated.strip():
                        self.fail(
                            path,
                            str(state) if state else None,
                            f"text {message_id!r} has no {locale} translation",
                        )
                    texts.append((locale, translated))
            if translations is not None:
                english_override = translations.get("en", {}).get(
                    f"{message_id}\x04{message.text}", ""
                )
                texts.append(("en", english_override))
            for locale, text in texts:
                for violation in find_violations(
                    text, locale, min_deadline_days=self.min_deadline_days
                ):
                    self.fail(
                        path,
                        str(state) if state else None,
                        f"{violation.rule}: {locale} text {message_id!r} says"
                        f" {violation.phrase!r} ({violation.kind})",
                    )

    def _path_of(self, message_id: str) -> Path_:
        parts = message_id.split(".")[1:]
        if len(parts) == 1:
            return ("messages", parts[0])
        state = parts[0]
        if state in self.script.states:
            say = self.script.states[state].say
            for i, message in enumerate(say):
                if message.id == parts[-1]:
                    return ("states", state, "say", i, "text")
            return ("states", state)
        return ()

    def run(self, translations: Mapping[str, Mapping[str, str]] | None) -> list[ScriptProblem]:
        self.check_targets()
        self.check_reachable()
        self.check_dead_ends()
        for name, state in self.script.states.items():
            self.check_state(name, state)
        for section in ("intents", "commands"):
            for key, route in getattr(self.script, section).items():
                self.check_expression(None, (section, key, "when"), route.when, set())
        self.check_rules()
        self.check_first_contact(translations)
        self.check_opt_out(translations)
        self.check_texts(translations)
        return sorted(self.problems, key=lambda p: (p.line, p.message))


def validate_script(
    script: Script,
    lines: dict[Path_, int],
    filename: str,
    *,
    translations: Mapping[str, Mapping[str, str]] | None = None,
    min_deadline_days: int = DEFAULT_MIN_DEADLINE_DAYS,
) -> list[ScriptProblem]:
    """Every problem of the script; an empty list means it may be published.

    `translations` maps a locale to {"msgctxt\x04msgid": translated text}.
    `min_deadline_days` is the shortest time to pay a text may give (R10).
    """
    return _Validator(script, lines, filename, min_deadline_days).run(translations)


@dataclass(frozen=True)
class SentText:
    """A text the bot can send that no script holds: a catalog entry or a code text."""

    file: str
    line: int
    locale: str
    message_id: str
    text: str


def validate_texts(
    texts: Iterable[SentText],
    *,
    first_contact_ids: Iterable[str] = (),
    locales: tuple[str, ...] = ("en", *TRANSLATED_LOCALES),
    min_deadline_days: int = DEFAULT_MIN_DEADLINE_DAYS,
) -> list[ScriptProblem]:
    """R9/R10 on every text, and R6 on each text that can be someone's first message.

    `texts` holds every locale's version of each text (English from the code,
    translations from the catalogs); every first-contact id must be present in
    each of `locales`, or it is reported as missing.
    """
    problems: list[ScriptProblem] = []
    first_contact = set(first_contact_ids)
    seen: set[tuple[str, str]] = set()
    for sent in texts:
        if not sent.text.strip():
            continue
        for violation in find_violations(
            sent.text, sent.locale, min_deadline_days=min_deadline_days
        ):
            problems.append(
                ScriptProblem(
                    sent.file,
                    sent.line,
                    None,
                    f"{violation.rule}: {sent.locale} text {sent.message_id!r} says"
                    f" {violation.phrase!r} ({violation.kind})",
                )
            )
        if sent.message_id in first_contact:
            seen.add((sent.message_id, sent.locale))
            for missing in first_contact_problems(sent.text):
                problems.append(
                    ScriptProblem(
                        sent.file,
                        sent.line,
                        None,
                        f"R6: first-contact {sent.locale} text {sent.message_id!r} {missing}",
                    )
                )
    for message_id in sorted(first_contact):
        for locale in locales:
            if (message_id, locale) not in seen:
                problems.append(
                    ScriptProblem(
                        "locales",
                        1,
                        None,
                        f"R6: first-contact text {message_id!r} has no {locale} version",
                    )
                )
    return sorted(problems, key=lambda p: (p.file, p.line, p.message))
