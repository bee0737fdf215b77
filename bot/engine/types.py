"""The engine's vocabulary: what goes in (event, state, context) and what comes out.

Everything here is plain frozen data so that a step can be stored, replayed and
compared in tests. Replies carry message ids and parameters, never finished text:
rendering in the borrower's language happens outside the engine.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import Any, NamedTuple

from bot.domain.accounts import Account
from bot.domain.policy import Policy
from bot.domain.quiet_windows import QuietWindow


class EventKind(StrEnum):
    START = "start"  # conversation opened (/start, terminal start)
    TEXT = "text"  # free text typed by the borrower
    CHOICE = "choice"  # a button pressed or a numbered choice picked
    COMMAND = "command"  # /help, /human, /language, /stop ...
    TRIGGER = "trigger"  # something the bot starts itself (a reminder); text = trigger name
    RESUME = "resume"  # a person hands the conversation back; text = the state to resume at


@dataclass(frozen=True)
class Sense:
    """One thing a message may mean ("installment", "dispute"...) and how likely it is."""

    meaning: str
    score: float


class SaidPayment(NamedTuple):
    """A payment named with its day, "I'll pay 300 next friday": what a promise route
    hands `check_promise`, which records that part rather than the whole balance."""

    on: date
    amount: Decimal
    # Every reading of the day when it reads two ways ("next friday" on a Monday):
    # the part is kept while the borrower is asked which one; () when it reads one way.
    readings: tuple[date, ...] = ()


class SaidCharges(NamedTuple):
    """Charges named where the state lists them (`charge_named`), with the message as
    the dispute's reason when it gives one ("" when it only names them)."""

    ids: tuple[str, ...]
    reason: str = ""


@dataclass(frozen=True)
class Reading:
    """What the understanding layer read in one typed message.

    The runtime computes it once per TEXT event (bot/service/meaning.py) and the
    engine only looks at it: the engine stays pure, loads no model and never
    reads the text, for meaning or for a value (a text event without a reading
    means nothing; free text is stored as it is).
    Dates are already read in the account region's order; two dates mean the
    message reads two ways and the bot should ask which.
    """

    senses: tuple[Sense, ...] = ()  # every meaning, best first
    sure: bool = False  # False: ask back with the likeliest meanings
    crisis: bool = False  # R12: a sure crisis, outranks everything
    # R12: a possible crisis (a farewell, giving up): ask whether they are safe.
    possible_crisis: bool = False
    # "I'm ok", "我没事", "冇事": the answer to "are you safe?" that lowers it.
    safe: bool = False
    hardship: bool = False  # hardship was mentioned, even beside an offer (R11)
    answer: bool | None = None  # a plain yes (True) or no (False)
    amount: Decimal | None = None
    monthly: bool = False  # the amount is per month ("800 a month")
    other_period: bool = False  # the amount is per week or fortnight: not a monthly offer
    dates: tuple[date, ...] = ()  # payment dates
    birth_dates: tuple[date, ...] = ()  # the same text read as a birth date
    charges: tuple[str, ...] = ()  # ids of the charges the message names
    # The message as written when, besides naming charges, it says why ("the late
    # fee, I paid on time"): a dispute's reason, so it is not asked for again.
    charge_reason: str = ""
    all_of_it: bool = False  # "all of it", "全部"
    # Meanings the words alone decide, whatever the model says: "human", "stop",
    # "complaint", "hardship" (bot/understanding/cues.py). The engine routes on
    # them in every state (R3, R11, R13, R15).
    cues: frozenset[str] = frozenset()
    # The whole message as the value a question asks for, where the readings above
    # have none: any one amount (nothing taken out first: "15th" at an amount
    # question), a small whole number ("6", "六个月"), a date written with its year.
    # The engine takes typed values from here and never parses the text itself.
    value_amount: Decimal | None = None
    number: int | None = None
    value_date: date | None = None
    # R4: times the message asks the bot to keep quiet ("not during work hours").
    quiet_windows: tuple[QuietWindow, ...] = ()

    @property
    def top(self) -> str | None:
        """The likeliest meaning, whether or not the reader is sure of it."""
        return self.senses[0].meaning if self.senses else None


@dataclass(frozen=True)
class Event:
    kind: EventKind
    text: str = ""  # TEXT: what was typed; COMMAND: the name without '/'; TRIGGER/RESUME: name
    choice: str = ""  # CHOICE: the choice id
    step: int | None = None  # CHOICE: the step the button was shown at (stale check)
    meaning: Reading | None = None  # TEXT: what it means; None: nothing understood


class MoneyValue(NamedTuple):
    """A money parameter: formatted by the renderer with the locale's currency rules.

    A named tuple rather than a frozen dataclass: a step makes a dozen (every charge,
    total and installment), and a frozen dataclass is built one `object.__setattr__`
    call per field, twice the time. Checked for before any plain tuple wherever
    values are told apart (`values.to_json`, the renderer)."""

    amount: Decimal
    currency: str


@dataclass(frozen=True)
class MessageRef:
    """A parameter that is itself a translatable text (a charge kind's name), with its
    own parameters when it has some (a statement line's "to {date}")."""

    message_id: str
    # Pairs rather than a dict: the value stays hashable, like every other parameter.
    params: tuple[tuple[str, date], ...] = ()


@dataclass(frozen=True)
class QuietTimes:
    """R4: the borrower's quiet windows as a value a message can show in plain words
    ("on weekdays between 9:00 and 18:00"); false when there are none."""

    windows: tuple[QuietWindow, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.windows)


# A parameter value the renderer knows how to format per locale. Lists are
# joined one item a line (support contacts).
Param = (
    MoneyValue | MessageRef | QuietTimes | date | datetime | int | Decimal | str | tuple[str, ...]
)


# The parameters of a part that has none: one shared, read-only mapping.
NO_PARAMS: Mapping[str, Param] = MappingProxyType({})


class Part(NamedTuple):
    """One paragraph of a message: a message id from a script and its parameters.

    A named tuple for the reason MoneyValue is one: a step says several parts."""

    message_id: str
    params: Mapping[str, Param] = NO_PARAMS


@dataclass(frozen=True)
class Choice:
    choice_id: str
    label: Part


@dataclass(frozen=True)
class Reply:
    """One chat message: its paragraphs, then the choices offered with it."""

    parts: tuple[Part, ...]
    choices: tuple[Choice, ...] = ()
    step: int = 0  # the conversation step these choices belong to


# ---- effects: what the service applies in the same transaction as the new state ----


@dataclass(frozen=True)
class RecordDispute:
    charge_ids: tuple[str, ...]
    amount: Decimal
    currency: str
    reason: str
    case_number: str
    # R8: the active arrangement the dispute reaches, put on hold until it is reviewed.
    suspends: str | None = None


class Installment(NamedTuple):
    """One payment of an arrangement (a named tuple, as MoneyValue: a long hardship
    plan has dozens)."""

    due_date: date
    amount: Decimal


class ArrangementKind(StrEnum):
    INSTALLMENT_PLAN = "installment_plan"
    EXTENSION = "extension"
    PROMISE_TO_PAY = "promise_to_pay"


@dataclass(frozen=True)
class CreateArrangement:
    arrangement_id: str
    kind: ArrangementKind
    amount: Decimal
    currency: str
    installments: tuple[Installment, ...] = ()
    new_due_date: date | None = None


class EscalationReason(StrEnum):
    REQUESTED = "requested"
    CRISIS = "crisis"
    HARDSHIP = "hardship"
    VERIFICATION_LOCKED = "verification_locked"
    REVIEW_DECISION = "review_decision"  # R14
    COMPLAINT = "complaint"  # R15
    REPEATED_FAILURE = "repeated_failure"  # R13
    OUTSIDE_POLICY = "outside_policy"
    SCRIPT_FAILURE = "script_failure"  # the script broke at run time: a person takes over
    # A stage of the reminder cadence that is a person's (policy `person: true`, day +30):
    # the planner opens it, the borrower did not ask, so nothing tells them it waits.
    REMINDER_STAGE = "reminder_stage"


class Priority(StrEnum):
    URGENT = "urgent"
    HIGH = "high"
    NORMAL = "normal"


@dataclass(frozen=True)
class Escalate:
    reason: EscalationReason
    priority: Priority
    ticket: str = ""  # the reference the borrower is given (R15)
    note: str = ""


@dataclass(frozen=True)
class NoteForPerson:
    """What the borrower wrote for the person on their case (a complaint's details),
    added to that case's note, so whoever takes it reads it there and in the export."""

    ticket: str
    text: str


@dataclass(frozen=True)
class Reprioritize:
    """The conversation's open cases for `reason` move to `priority` (a possible crisis
    raised when the borrower is not safe, lowered when they say they are), with a note
    for the person on them."""

    reason: EscalationReason
    priority: Priority
    note: str = ""


@dataclass(frozen=True)
class PauseCollection:
    """R12: crisis words stop every payment request and reminder at once."""

    reason: str


@dataclass(frozen=True)
class SetLocale:
    locale: str


@dataclass(frozen=True)
class OptOut:
    """R3: no more bot-initiated messages on this channel."""


@dataclass(frozen=True)
class OptIn:
    """R3: the borrower, writing to us, asked for reminder messages again."""


@dataclass(frozen=True)
class SetQuietWindows:
    """R4: the borrower's own quiet windows, confirmed; empty clears them."""

    windows: tuple[QuietWindow, ...]


@dataclass(frozen=True)
class MarkVerified:
    """R5: the borrower proved who they are in this conversation."""


Effect = (
    RecordDispute
    | CreateArrangement
    | Escalate
    | NoteForPerson
    | Reprioritize
    | PauseCollection
    | SetLocale
    | OptOut
    | OptIn
    | SetQuietWindows
    | MarkVerified
)


# ---- state and context ----


@dataclass(frozen=True)
class ConversationState:
    """Where a conversation stands. Stored as JSON between events."""

    script_id: str
    script_version: str
    state: str
    locale: str
    step: int = 0
    verified: bool = False
    failed_inputs: int = 0  # failed inputs in a row in the current state (R13)
    ended: bool = False
    # JSON types, money, dates and decimals; the store writes them in values.py's tagged
    # JSON form and reads them back as they were, so the engine never converts them.
    vars: dict[str, Any] = field(default_factory=dict)
    # Where each open detour returns, innermost last: help opened from the menu,
    # then language opened from help, is ("menu", "help").
    stack: tuple[str, ...] = ()


@dataclass(frozen=True)
class Context:
    """What the engine may know about the world for one step."""

    account: Account
    policy: Policy
    now: datetime  # timezone-aware, in the borrower's zone
    # Used to make ids (case numbers, arrangement ids) deterministic per step.
    id_seed: str = ""

    @property
    def today(self) -> date:
        return self.now.date()


@dataclass(frozen=True)
class StepResult:
    state: ConversationState
    replies: tuple[Reply, ...]
    effects: tuple[Effect, ...]
