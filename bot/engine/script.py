"""The dialog script model: what managers write in dialogs/*.yaml, validated.

A script is a set of states. A state may run actions when entered, say
messages, offer choices or expect typed input, and then move on by the first
transition whose guard holds. Texts are written in English in the script;
translations live in gettext catalogs keyed by the message id.
"""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from string import Formatter
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bot.engine.memo import kept_on

RETURN_TARGET = "@return"  # go back to the state a global detour interrupted
HUMAN_CHOICE = "@human"  # a choice the engine accepts in every state (R13)
# Choices the engine offers itself when it asks back: "@meaning:extension"
# (which of the likeliest meanings), "@date:1995-01-02" (which reading of a date).
MEANING_CHOICE = "@meaning:"
DATE_CHOICE = "@date:"
SOMETHING_ELSE = "none"  # "@meaning:none": none of those, ask the state's question again

# What the understanding layer can say a message means (bot/understanding/labels.py;
# a test keeps the two lists equal). Scripts route these by name.
MEANINGS = frozenset(
    {
        "crisis",
        "human",
        "stop",
        "complaint",
        "hardship",
        "help",
        "language",
        "installment",
        "extension",
        "pay_in_full",
        "promise",
        "dispute",
        "confirm",
        "decline",
        "how_to_pay",
        "inform",
        "off_topic",
    }
)
# Not a meaning but a thing said: an amount of money a month (or any amount
# where the state asks for one), routed per state like a meaning.
MONTHLY_OFFER = "monthly_offer"
# Not a meaning but an answer: "I'm safe", "我没事" (or a plain yes) where the state
# asks whether the borrower is safe (R12).
SAFE_ANSWER = "safe"
# Not a meaning but a thing said: a charge named where the state lists charges,
# whatever the message is read to mean ("the late fee, I paid on time").
CHARGE_NAMED = "charge_named"
STATE_INTENTS = MEANINGS | {MONTHLY_OFFER, SAFE_ANSWER, CHARGE_NAMED}
# A global route that is no meaning of its own: a possible crisis (R12), where the
# bot asks whether the borrower is safe.
POSSIBLE_CRISIS = "possible_crisis"
# Names an intent route's `when` may use, about the message itself.
SAID_NAMES = frozenset(
    {
        "said_date",
        "said_dates",
        "said_amount",
        "said_monthly",
        "said_charges",
        "said_all",
    }
)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class InputType(StrEnum):
    AMOUNT = "amount"
    DATE = "date"  # a payment date: "tomorrow", "Dec 1", "下个月15号"
    BIRTH_DATE = "birth_date"  # a date of birth: "5/17/90", "85年3月9号"
    NUMBER = "number"
    TEXT = "text"
    QUIET_HOURS = "quiet_hours"  # R4: "not during work hours", "平日晚上才找我"


class Message(_Model):
    """A text said to the borrower. `plural` and `count` make it a plural form."""

    id: str
    text: str = Field(min_length=1)
    plural: str | None = None
    count: str | None = None  # name of the integer parameter choosing the form
    when: str | None = None  # say it only when this guard holds
    each: str | None = None  # say it once per item of this list (items' keys become params)
    ask: bool = False  # the question itself: said again when an answer is not understood

    @model_validator(mode="after")
    def _plural_needs_count(self) -> Message:
        if (self.plural is None) != (self.count is None):
            raise ValueError("'plural' and 'count' go together")
        return self

    def placeholders(self) -> frozenset[str]:
        return placeholders_of(self.text, self.plural or "")


@lru_cache(maxsize=4096)
def placeholders_of(*texts: str) -> frozenset[str]:
    """Placeholder names in texts; cached by text, as every rendered reply asks."""
    names: set[str] = set()
    for text in texts:
        for _, field_name, _, _ in Formatter().parse(text):
            if field_name:
                names.add(field_name.split(".")[0].split("[")[0])
    return frozenset(names)


class ActionCall(_Model):
    """An action by name with literal arguments, e.g. escalate(reason=crisis)."""

    name: str
    args: dict[str, Any] = Field(default_factory=dict)


def _parse_actions(value: Any) -> Any:
    """Accept `verify_identity`, `[a, b]` or `[{escalate: {reason: crisis}}]`."""
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    calls: list[Any] = []
    for item in items:
        if isinstance(item, str):
            calls.append({"name": item})
        elif isinstance(item, dict) and len(item) == 1 and "name" not in item:
            ((name, args),) = item.items()
            calls.append({"name": name, "args": args or {}})
        else:
            calls.append(item)
    return calls


class Transition(_Model):
    to: str
    when: str | None = None


class ChoiceSpec(_Model):
    id: str
    label: str = Field(min_length=1)
    to: str | None = None  # None: fall through to the state's `next`
    when: str | None = None
    actions: list[ActionCall] = Field(default_factory=list)

    _norm = field_validator("actions", mode="before")(_parse_actions)


class DynamicChoices(_Model):
    """Choices built from a list at run time (plan terms, charges to dispute)."""

    each: str  # expression giving a list of dicts
    id: str  # item key whose value is the choice id
    label: Message  # label text, formatted with the item's keys
    to: str | None = None
    actions: list[ActionCall] = Field(default_factory=list)

    _norm = field_validator("actions", mode="before")(_parse_actions)


class InputSpec(_Model):
    type: InputType
    store: str
    min: str | None = None  # expression
    max: str | None = None  # expression
    max_length: int = Field(default=500, ge=1, le=4000)
    invalid: str  # message id (in this state) said when the input does not parse or fit
    # The answer is a message for the person already asked for (a complaint's details,
    # a note for the agent): words asking for a person, or complaining once the
    # complaint is logged, are the message itself, not a second request (R15).
    for_person: bool = False


class IntentRoute(_Model):
    """Where a meaning goes in one state: a state (`to`, with actions) or one of the
    state's own choices (`choice`: "yes" at a confirmation is the Yes button).

    The actions get what the message named: the amount (monthly_offer), the
    date (pay_in_full, promise, inform), the charge ids (dispute) or the yes/no.
    """

    to: str | None = None
    choice: str | None = None
    when: str | None = None  # may use the said_* names (SAID_NAMES)
    actions: list[ActionCall] = Field(default_factory=list)

    _norm = field_validator("actions", mode="before")(_parse_actions)

    @model_validator(mode="after")
    def _one_target(self) -> IntentRoute:
        if (self.to is None) == (self.choice is None):
            raise ValueError("an intent route needs either 'to' or 'choice'")
        if self.choice is not None and self.actions:
            raise ValueError("a route to a choice runs the choice's actions: drop 'actions'")
        return self


def _route_list(value: Any) -> Any:
    """Each meaning maps to one route or to a list tried in order (first whose `when` holds)."""
    if isinstance(value, dict):
        return {key: route if isinstance(route, list) else [route] for key, route in value.items()}
    return value


class State(_Model):
    public: bool = False  # may be shown before identity verification (R5)
    enter: list[ActionCall] = Field(default_factory=list)
    say: list[Message] = Field(default_factory=list)
    choices: list[ChoiceSpec] = Field(default_factory=list)
    dynamic_choices: DynamicChoices | None = None
    input: InputSpec | None = None
    actions: list[ActionCall] = Field(default_factory=list)  # after input or choice
    # Meanings understood here and where they go (STATE_INTENTS), tried before the
    # script's global intents.
    intents: dict[str, list[IntentRoute]] = Field(default_factory=dict)
    next: list[Transition] = Field(default_factory=list)
    globals: bool = True  # whether global intents and commands apply here
    # Offers or asks for money although none of its actions does (it names an amount
    # to pay): the pause guard keeps it shut too (R12, R16).
    asks_for_money: bool = False
    end: bool = False

    _norm_enter = field_validator("enter", mode="before")(_parse_actions)
    _norm_actions = field_validator("actions", mode="before")(_parse_actions)
    _norm_intents = field_validator("intents", mode="before")(_route_list)

    @property
    def waits(self) -> bool:
        """True when the state stops and waits for the borrower."""
        return bool(self.choices or self.dynamic_choices or self.input) or self.end


class GlobalRoute(_Model):
    to: str
    when: str | None = None
    # A detour returns to the interrupted state with `@return` (help, language).
    detour: bool = False


class TriggerRoute(_Model):
    """A bot-initiated event (a reminder, a broken promise) and the state it opens."""

    to: str
    when: str | None = None


class Script(_Model):
    id: str
    version: str
    start: str
    verify_state: str  # where a borrower who is not verified is sent (R5)
    home: str | None = None  # where `@return` goes when no detour is open (verified borrowers)
    # Where an offer or a request for money leads while collection is paused (R12, R16).
    paused_state: str | None = None
    # R4: where "don't message me during work hours", said anywhere, leads (its windows
    # stored as `quiet_new`): a question that confirms them before anything is saved.
    quiet_state: str | None = None
    # Where an offer or a request for money leads when nothing may be collected (R8:
    # every charge disputed); without one, the paused state.
    nothing_due_state: str | None = None
    messages: dict[str, str] = Field(default_factory=dict)  # shared texts by id
    intents: dict[str, GlobalRoute] = Field(default_factory=dict)  # global free-text intents
    commands: dict[str, GlobalRoute] = Field(default_factory=dict)  # /help, /human ...
    triggers: dict[str, TriggerRoute] = Field(default_factory=dict)  # reminders and timers
    states: dict[str, State]

    def message_table(self) -> dict[str, Message]:
        """Every text of the script by its full id, for rendering and extraction.

        Built once per script: every handled event renders with it. Kept with the
        messages and states it was built from: model_copy copies the instance dict,
        and a copy with other texts must build its own.
        """
        return kept_on(self, "_message_table", (self.messages, self.states), self._build_table)

    def _build_table(self) -> dict[str, Message]:
        table: dict[str, Message] = {}
        for key, text in self.messages.items():
            table[f"{self.id}.{key}"] = Message(id=key, text=text)
        for name, state in self.states.items():
            for message in state.say:
                table[f"{self.id}.{name}.{message.id}"] = message
            for choice in state.choices:
                table[f"{self.id}.{name}.choice.{choice.id}"] = Message(
                    id=choice.id, text=choice.label
                )
            if state.dynamic_choices:
                label = state.dynamic_choices.label
                table[f"{self.id}.{name}.{label.id}"] = label
        return table
