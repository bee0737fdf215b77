"""The typed conversation record: who owns a chat, where it stands, what it showed.

One row per chat (`conversations`), read and written only by the runtime. The
engine sees a ConversationState; the record adds what only the service knows:
the owner (the bot or a person), the keyboard last shown (so a typed "2" or a
button can be matched), the pinned script and policy versions.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from bot.engine.types import ConversationState
from bot.engine.values import from_json, to_json

BOT = "bot"


class StoredConversation(Protocol):
    """A conversation row as read: the ORM object, or a Core row where the event's
    own path reads it (an ORM load was about a twentieth of the bot's CPU). Read
    only: a record is written back with one UPDATE (runtime `_save`)."""

    @property
    def id(self) -> int | None: ...
    @property
    def channel(self) -> str: ...
    @property
    def chat_key(self) -> str: ...
    @property
    def account_id(self) -> str | None: ...
    @property
    def user_key(self) -> str | None: ...
    @property
    def owner(self) -> str: ...
    @property
    def script_id(self) -> str: ...
    @property
    def script_version(self) -> str: ...
    @property
    def policy_version(self) -> str: ...
    @property
    def locale(self) -> str: ...
    @property
    def frames(self) -> list[str]: ...
    @property
    def choices(self) -> list[list[str]]: ...
    @property
    def vars(self) -> dict[str, Any]: ...
    @property
    def step(self) -> int: ...
    @property
    def failed_inputs(self) -> int: ...
    @property
    def verified(self) -> bool: ...
    @property
    def ended(self) -> bool: ...
    @property
    def started(self) -> bool: ...


def agent_owner(agent: str) -> str:
    return f"agent:{agent}"


# The conversation row's columns a record decides (ConversationRecord.columns).
RECORD_COLUMNS = (
    "account_id",
    "user_key",
    "owner",
    "script_id",
    "script_version",
    "policy_version",
    "locale",
    "frames",
    "choices",
    "vars",
    "step",
    "failed_inputs",
    "verified",
    "ended",
    "started",
)


@dataclass(frozen=True)
class ConversationRecord:
    conversation_id: int
    channel: str
    chat_key: str
    account_id: str | None
    user_key: str | None
    owner: str
    script_id: str
    script_version: str
    policy_version: str
    locale: str
    frames: tuple[str, ...]  # detours' return states, then the current state (last)
    choices: tuple[tuple[str, str], ...]
    vars: dict[str, Any] = field(default_factory=dict)
    step: int = 0
    failed_inputs: int = 0
    verified: bool = False
    ended: bool = False
    started: bool = False

    @property
    def owned_by_bot(self) -> bool:
        return self.owner == BOT

    @property
    def current(self) -> str | None:
        return self.frames[-1] if self.frames else None

    @classmethod
    def from_row(cls, row: StoredConversation) -> ConversationRecord:
        if row.id is None:
            raise ValueError("conversation row was not flushed")
        return cls(
            conversation_id=row.id,
            channel=row.channel,
            chat_key=row.chat_key,
            account_id=row.account_id,
            user_key=row.user_key,
            owner=row.owner,
            script_id=row.script_id,
            script_version=row.script_version,
            policy_version=row.policy_version,
            locale=row.locale,
            frames=tuple(row.frames or ()),
            choices=tuple((str(c[0]), str(c[1])) for c in row.choices or ()),
            vars=from_json(row.vars or {}),
            step=row.step,
            failed_inputs=row.failed_inputs,
            verified=row.verified,
            ended=row.ended,
            started=row.started,
        )

    def columns(self) -> dict[str, Any]:
        """The conversation row's columns this record decides, as stored (RECORD_COLUMNS)."""
        return {
            "account_id": self.account_id,
            "user_key": self.user_key,
            "owner": self.owner,
            "script_id": self.script_id,
            "script_version": self.script_version,
            "policy_version": self.policy_version,
            "locale": self.locale,
            "frames": list(self.frames),
            "choices": [list(c) for c in self.choices],
            "vars": to_json(self.vars),
            "step": self.step,
            "failed_inputs": self.failed_inputs,
            "verified": self.verified,
            "ended": self.ended,
            "started": self.started,
        }

    def engine_state(self) -> ConversationState:
        return ConversationState(
            script_id=self.script_id,
            script_version=self.script_version,
            state=self.current or "",
            locale=self.locale,
            step=self.step,
            verified=self.verified,
            failed_inputs=self.failed_inputs,
            ended=self.ended,
            vars=dict(self.vars),
            stack=self.frames[:-1],
        )

    def after_step(
        self, state: ConversationState, choices: tuple[tuple[str, str], ...] | None
    ) -> ConversationRecord:
        """The record once the engine moved; `choices` None keeps the keyboard shown."""
        return replace(
            self,
            script_id=state.script_id,
            script_version=state.script_version,
            locale=state.locale,
            frames=(*state.stack, state.state),
            choices=self.choices if choices is None else choices,
            vars=dict(state.vars),
            step=state.step,
            failed_inputs=state.failed_inputs,
            verified=state.verified,
            ended=state.ended,
            started=True,
        )

    def restarted_for(self, account_id: str) -> ConversationRecord:
        """A chat linked to another account starts afresh and unverified (R5)."""
        return replace(
            self,
            account_id=account_id,
            owner=BOT,
            frames=(),
            choices=(),
            vars={},
            step=self.step,
            failed_inputs=0,
            verified=False,
            ended=False,
            started=False,
        )
