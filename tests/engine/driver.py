"""Drive the pure engine through a conversation, as the service would."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from bot.domain.accounts import Account, Charge, ChargeKind
from bot.domain.policy import Policy
from bot.engine.loader import load_policy, load_script
from bot.engine.machine import new_state, step
from bot.engine.script import Script
from bot.engine.types import (
    Context,
    ConversationState,
    CreateArrangement,
    Effect,
    Event,
    EventKind,
    MarkVerified,
    RecordDispute,
    Reply,
)
from bot.engine.values import from_json, to_json
from bot.service.meaning import read_message
from bot.understanding.model import IntentModel
from tests.trained import trained_model

E = TypeVar("E")
ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


@cache
def repayment_script() -> Script:
    """Loaded once per test run: scripts are frozen, and parsing YAML dominates otherwise."""
    path = ROOT / "dialogs" / "repayment.yaml"
    script, _ = load_script(path.read_text(encoding="utf-8"), str(path))
    return script


@cache
def shipped_policy() -> Policy:
    path = ROOT / "dialogs" / "policy.yaml"
    return load_policy(path.read_text(encoding="utf-8"), str(path))


def make_account(
    *,
    currency: str = "USD",
    due: date = date(2026, 11, 18),
    principal: str = "1200.00",
    interest: str = "85.50",
    fee: str = "35.00",
    extensions_used: int = 0,
    disputed: frozenset[str] = frozenset(),
    locale: str = "en",
) -> Account:
    return Account(
        account_id="ACC-1",
        borrower_name="Alex Doe",
        phone="+15550100001",
        birth_date=date(1990, 5, 17),
        locale=locale,
        timezone="America/New_York",
        currency=currency,
        due_date=due,
        charges=(
            Charge(
                "C1", ChargeKind.PRINCIPAL, "Card balance", Decimal(principal), date(2026, 10, 1)
            ),
            Charge(
                "C2", ChargeKind.INTEREST, "October interest", Decimal(interest), date(2026, 10, 31)
            ),
            Charge("C3", ChargeKind.LATE_FEE, "Late payment fee", Decimal(fee), date(2026, 11, 19)),
        ),
        disputed_charge_ids=disputed,
        extensions_used=extensions_used,
    )


def as_stored(variables: dict[str, Any]) -> dict[str, Any]:
    """The variables after a trip through the conversation row's JSON column, checked
    to be what they were, type for type (a tuple would come back a list)."""
    stored = from_json(json.loads(json.dumps(to_json(variables))))
    assert_same_values(stored, variables)
    return dict(stored)


def assert_same_values(back: Any, before: Any, where: str = "vars") -> None:
    assert type(back) is type(before), f"{where}: {type(before).__name__} came back as {back!r}"
    if isinstance(before, dict):
        assert list(back) == list(before), f"{where}: keys {list(before)} came back {list(back)}"
        for key in before:
            assert_same_values(back[key], before[key], f"{where}.{key}")
    elif isinstance(before, list):
        assert len(back) == len(before), f"{where}: length changed"
        for index, (item_back, item) in enumerate(zip(back, before, strict=True)):
            assert_same_values(item_back, item, f"{where}[{index}]")
    else:
        assert back == before, f"{where}: {before!r} came back as {back!r}"


@dataclass
class Driver:
    account: Account = field(default_factory=make_account)
    script: Script = field(default_factory=repayment_script)
    policy: Policy = field(default_factory=shipped_policy)
    now: datetime = NOW
    state: ConversationState | None = None
    replies: list[Reply] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)
    all_replies: list[Reply] = field(default_factory=list)
    # What typed text is read with: the real understanding layer, as the runtime reads it.
    model: IntentModel = field(default_factory=trained_model)

    def __post_init__(self) -> None:
        self.state = new_state(self.script, self.account.locale)

    def send(self, event: Event) -> list[Reply]:
        assert self.state is not None
        ctx = Context(self.account, self.policy, self.now, id_seed=f"test:{self.state.step}")
        result = step(self.script, self.state, event, ctx)
        # Between events the service keeps the variables as JSON: every step of every
        # engine test checks they come back exactly as the engine left them.
        self.state = replace(result.state, vars=as_stored(result.state.vars))
        self.replies = list(result.replies)
        self.all_replies.extend(result.replies)
        self.effects.extend(result.effects)
        for effect in result.effects:  # what the service would store
            if isinstance(effect, RecordDispute):
                held = self.account.disputed_charge_ids | set(effect.charge_ids)
                self.account = replace(self.account, disputed_charge_ids=frozenset(held))
            if isinstance(effect, CreateArrangement) and effect.new_due_date is not None:
                self.account = replace(
                    self.account,
                    due_date=effect.new_due_date,
                    extensions_used=self.account.extensions_used + 1,
                )
        return self.replies

    def start(self) -> list[Reply]:
        return self.send(Event(EventKind.START))

    def text(self, text: str) -> list[Reply]:
        """Typed text, read by the understanding layer as the runtime reads it."""
        assert self.state is not None
        reading = read_message(
            text,
            account=self.account,
            locale=self.state.locale,
            today=self.now.date(),
            model=self.model,
        )
        return self.send(Event(EventKind.TEXT, text=text, meaning=reading))

    def command(self, name: str) -> list[Reply]:
        return self.send(Event(EventKind.COMMAND, text=name))

    def choose(self, choice_id: str) -> list[Reply]:
        assert self.state is not None
        return self.send(Event(EventKind.CHOICE, choice=choice_id, step=self.state.step))

    def to_dispute_reason(self) -> None:
        """From the menu: dispute the late fee (C3) and reach the reason prompt."""
        self.choose("dispute")
        self.choose("C3")
        self.choose("continue")
        assert self.at == "dispute_reason"

    def verified_start(self) -> list[Reply]:
        self.start()
        return self.text("1990-05-17")

    @property
    def at(self) -> str:
        assert self.state is not None
        return self.state.state

    def said(self) -> list[str]:
        """Message ids of the last step's replies, in order."""
        return [part.message_id for reply in self.replies for part in reply.parts]

    def choices(self) -> list[str]:
        return [c.choice_id for reply in self.replies for c in reply.choices]

    def params(self, message_id: str) -> dict[str, object]:
        for reply in self.replies:
            for part in reply.parts:
                if part.message_id == message_id:
                    return dict(part.params)
        raise AssertionError(f"{message_id} not said; said {self.said()}")

    def of_type(self, kind: type[E]) -> list[E]:
        return [e for e in self.effects if isinstance(e, kind)]

    @property
    def verified(self) -> bool:
        return bool(self.of_type(MarkVerified))
