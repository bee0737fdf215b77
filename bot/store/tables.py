"""SQLModel tables: everything the bot keeps, on SQLite or PostgreSQL.

Money is Numeric (Decimal), never float; times are UTC. The Alembic migration
in bot/store/migrations mirrors these models, and a test checks they agree.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Numeric,
    String,
    Table,
    UniqueConstraint,
    column,
    literal_column,
)
from sqlmodel import Field, SQLModel

MONEY = Numeric(18, 4)
WEIGHT = Numeric(24, 4)  # days past due × an amount: up to 10^5 days × MONEY


def table_of(model: type[SQLModel]) -> Table:
    """A model's table, for Core statements built once (see bot.service.outbox)."""
    table = getattr(model, "__table__", None)
    if not isinstance(table, Table):
        raise TypeError(f"{model.__name__} is not a table model")
    return table


def _money() -> Any:
    return Field(sa_column=Column(MONEY, nullable=False))


def _when(nullable: bool = False, index: bool = False) -> Any:
    return Field(
        default=None if nullable else ...,
        sa_column=Column(DateTime(timezone=True), nullable=nullable, index=index),
    )


def _json(nullable: bool = False) -> Any:
    return Field(default=None, sa_column=Column(JSON, nullable=nullable))


class AccountRow(SQLModel, table=True):
    __tablename__ = "accounts"

    account_id: str = Field(primary_key=True, max_length=64)
    borrower_name: str = Field(max_length=200)
    phone: str = Field(max_length=20, index=True)
    birth_date: date
    locale: str = Field(max_length=10)
    # The borrower chose `locale` (/language): a re-import of the lender's file keeps it.
    locale_chosen: bool = False
    timezone: str = Field(max_length=64)
    currency: str = Field(max_length=3)
    due_date: date
    extensions_used: int = 0
    collection_paused: bool = False
    breathing_space: bool = False
    # Issue 16 point 2: a breathing space ends on this day (inclusive); None while
    # it is set means until it is lifted. get_account reads the flag from both.
    breathing_space_until: date | None = None
    # The first day of a breathing space the lender's file set; None: already on.
    breathing_space_from: date | None = None
    opted_out: bool = False
    unreachable: bool = False
    # Identity verification belongs to the account, not to a chat (R5): a second
    # chat or a relink never gets fresh guesses.
    verify_failures: int = 0
    verify_locked_until: datetime | None = _when(nullable=True)  # None: until a person unlocks
    # R4: the borrower's own quiet windows (bot/domain/quiet_windows.py to_data/from_data).
    quiet_windows: list[dict[str, object]] | None = _json(nullable=True)
    # R18: the borrower's personal data was erased (bot.service.erasure); the row
    # stays for the figures the lender must keep, and nothing is sent to it again.
    erased_at: datetime | None = _when(nullable=True)
    created_at: datetime = _when()
    updated_at: datetime = _when()


class DisputeRow(SQLModel, table=True):
    __tablename__ = "disputes"

    id: str = Field(primary_key=True, max_length=32)
    account_id: str = Field(foreign_key="accounts.account_id", index=True, max_length=64)
    charge_ids: list[str] = _json()
    amount: Decimal = _money()
    currency: str = Field(max_length=3)
    reason: str
    status: str = Field(default="open", max_length=16)
    answer_due_on: date
    conversation_id: int | None = Field(default=None, foreign_key="conversations.id")
    created_at: datetime = _when()
    # R8: the arrangement this dispute put on hold (status `suspended`), for the review.
    arrangement_id: str | None = Field(default=None, max_length=32)


class ChargeRow(SQLModel, table=True):
    __tablename__ = "charges"

    account_id: str = Field(
        sa_column=Column(
            String(64), ForeignKey("accounts.account_id", ondelete="CASCADE"), primary_key=True
        )
    )
    charge_id: str = Field(primary_key=True, max_length=64)
    kind: str = Field(max_length=16)
    description: str = Field(max_length=200)
    amount: Decimal = _money()
    posted_on: date
    dispute_id: str | None = Field(default=None, foreign_key="disputes.id", max_length=32)


class ConversationRow(SQLModel, table=True):
    """The typed conversation record (bot.service.record), one row per chat.

    Only the runtime writes it. Columns the console and reports query (owner,
    locale, verification) are columns; the frame stack, the choices last shown
    and the script's variables are JSON.
    """

    __tablename__ = "conversations"
    __table_args__ = (UniqueConstraint("channel", "chat_key", name="uq_conversation_chat"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=16)
    chat_key: str = Field(max_length=64)
    account_id: str | None = Field(default=None, foreign_key="accounts.account_id", index=True)
    user_key: str | None = Field(default=None, max_length=64)
    owner: str = Field(default="bot", max_length=64, index=True)  # "bot" or "agent:<name>"
    script_id: str = Field(max_length=64)
    script_version: str = Field(max_length=64)  # content hash in script_versions
    policy_version: str = Field(default="", max_length=64)
    locale: str = Field(default="en", max_length=10)
    frames: list[str] = _json()  # open detours' return states, then the current state
    choices: list[list[str]] = _json()  # [id, label] of the keyboard last shown
    vars: dict[str, Any] = _json()
    step: int = 0
    failed_inputs: int = 0
    verified: bool = False
    ended: bool = False
    started: bool = False
    created_at: datetime = _when()
    updated_at: datetime = _when()


class TranscriptRow(SQLModel, table=True):
    """R17: every message in and out, with time, account and script version."""

    __tablename__ = "transcript"

    id: int | None = Field(default=None, primary_key=True)
    conversation_id: int = Field(foreign_key="conversations.id", index=True)
    account_id: str | None = Field(default=None, max_length=64, index=True)
    direction: str = Field(max_length=3)
    kind: str = Field(max_length=16)
    text: str
    payload: dict[str, Any] | None = _json(nullable=True)
    script_version: str = Field(max_length=64)
    created_at: datetime = _when(index=True)


class ArrangementRow(SQLModel, table=True):
    __tablename__ = "arrangements"

    id: str = Field(primary_key=True, max_length=32)
    account_id: str = Field(foreign_key="accounts.account_id", index=True, max_length=64)
    kind: str = Field(max_length=20)
    status: str = Field(default="active", max_length=16)
    amount: Decimal = _money()
    currency: str = Field(max_length=3)
    installments: list[dict[str, str]] = _json()
    new_due_date: date | None = None
    script_version: str = Field(max_length=64)
    conversation_id: int | None = Field(default=None, foreign_key="conversations.id")
    created_at: datetime = _when()
    # An account has at most one active arrangement: a newer one the borrower
    # confirmed ends the old one, which keeps the record of why, when and by which.
    ended_at: datetime | None = _when(nullable=True)
    end_reason: str | None = Field(default=None, max_length=32)
    superseded_by: str | None = Field(default=None, max_length=32)


class PromiseOutcomeRow(SQLModel, table=True):
    """What became of one payment an arrangement asked for (a promised date, an
    installment, an extended due date): kept or broken, the follow-up the bot sent,
    and whether a broken one was recovered. One row per arrangement and due date;
    the unique key is what makes the follow-up job act once however often it runs."""

    __tablename__ = "promise_outcomes"
    __table_args__ = (
        UniqueConstraint("arrangement_id", "due_on", name="uq_promise_outcome_due"),
        Index("ix_promise_outcomes_open", "outcome", "followed_up_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    arrangement_id: str = Field(foreign_key="arrangements.id", max_length=32)
    account_id: str = Field(foreign_key="accounts.account_id", index=True, max_length=64)
    kind: str = Field(max_length=20)  # the arrangement's kind
    due_on: date
    amount_due: Decimal = _money()  # everything the arrangement asked for up to due_on
    currency: str = Field(max_length=3)
    outcome: str = Field(max_length=16)  # "kept" or "broken"
    found_at: datetime = _when()
    # The follow-up: when it was sent (or held back for good), and what became of it:
    # "sent", or the rule that held it ("R3", "R12", "R16", "person", "unreachable").
    followed_up_at: datetime | None = _when(nullable=True)
    follow_up: str | None = Field(default=None, max_length=16)
    # A broken one made good after all: "payment" or "new_arrangement".
    recovered_at: datetime | None = _when(nullable=True)
    recovered_by: str | None = Field(default=None, max_length=20)


class ArrangementRequestRow(SQLModel, table=True):
    """An arrangement a person recorded outside the bot's policy (issue 29): pending
    while it goes past their role's limits, then approved (and recorded as an
    arrangement row) or rejected by a supervisor."""

    __tablename__ = "arrangement_requests"

    id: str = Field(primary_key=True, max_length=32)
    account_id: str = Field(foreign_key="accounts.account_id", index=True, max_length=64)
    conversation_id: int = Field(foreign_key="conversations.id", index=True)
    ticket: str = Field(max_length=32)
    kind: str = Field(max_length=20)
    amount: Decimal = _money()  # what the borrower pays in all
    owed: Decimal = _money()  # what could be asked for when it was requested
    currency: str = Field(max_length=3)
    installments: list[dict[str, str]] = _json()
    new_due_date: date | None = None
    reason: str
    # The terms as the limits measure them, and "beyond": the requester's limits they pass.
    terms: dict[str, Any] = _json()
    status: str = Field(default="pending", max_length=16, index=True)
    requested_by: str = Field(max_length=64)
    requested_at: datetime = _when()
    decided_by: str | None = Field(default=None, max_length=64)
    decided_at: datetime | None = _when(nullable=True)
    decision_note: str = ""
    arrangement_id: str | None = Field(default=None, max_length=32)


class PaymentRow(SQLModel, table=True):
    """A payment from the lender's file; its reference makes a re-import a no-op."""

    __tablename__ = "payments"

    reference: str = Field(primary_key=True, max_length=64)
    account_id: str = Field(foreign_key="accounts.account_id", index=True, max_length=64)
    amount: Decimal = _money()
    currency: str = Field(max_length=3)
    paid_on: date
    imported_at: datetime = _when()
    # R7: the lender's next account file includes it. Until then the statement and
    # the plan show it paid; after, the charges do, and it is not taken off twice.
    reflected: bool = False


class AccountEventRow(SQLModel, table=True):
    """Who changed an account's standing, and when: breathing space set or lifted."""

    __tablename__ = "account_events"

    id: int | None = Field(default=None, primary_key=True)
    account_id: str = Field(foreign_key="accounts.account_id", index=True, max_length=64)
    kind: str = Field(max_length=32)  # breathing_space_set, breathing_space_lifted
    since: date | None = None  # the first day, when the lender's file gave one
    until: date | None = None
    actor: str = Field(max_length=64)  # "import" or the operator who ran the command
    created_at: datetime = _when()


# The worklist's order (crisis, then complaints and locks, then days past due ×
# amount, then the oldest): the queue's first page is the first rows of this index,
# so 10,000 open cases cost what 50 do. Closed cases, never in the queue, stay out.
_NOT_CLOSED = column("status") != literal_column("'closed'")


class EscalationRow(SQLModel, table=True):
    __tablename__ = "escalations"
    __table_args__ = (
        Index("ix_escalations_queue", "status", "priority"),
        Index(
            "ix_escalations_worklist",
            "rank_group",
            column("weight").desc(),
            "created_at",
            "id",
            sqlite_where=_NOT_CLOSED,
            postgresql_where=_NOT_CLOSED,
        ),
        Index(
            "ix_escalations_reweigh",
            "reweigh_at",
            sqlite_where=_NOT_CLOSED,
            postgresql_where=_NOT_CLOSED,
        ),
        # One case not closed per account and reason, whoever writes at the same
        # moment (bot/service/escalations/, `open_case`; migration 0018).
        Index(
            "ux_escalations_open_reason",
            "account_id",
            "reason",
            unique=True,
            sqlite_where=_NOT_CLOSED,
            postgresql_where=_NOT_CLOSED,
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    ticket: str = Field(default="", max_length=32, index=True)  # what the borrower was told
    account_id: str | None = Field(default=None, foreign_key="accounts.account_id", index=True)
    conversation_id: int | None = Field(default=None, foreign_key="conversations.id", index=True)
    reason: str = Field(max_length=32)
    priority: str = Field(max_length=16)
    status: str = Field(default="open", max_length=16)
    owner: str = Field(default="queue", max_length=64)  # a queue until a person takes it (R15)
    note: str = ""
    outcome: str | None = Field(default=None, max_length=32)
    due_on: date | None = None
    created_at: datetime = _when()
    closed_at: datetime | None = _when(nullable=True)
    # The desk's timers (issue 29): when the borrower was told the wait runs past the
    # first-response time, and when an untaken handoff went back to the bot. Set once.
    wait_noticed_at: datetime | None = _when(nullable=True)
    returned_at: datetime | None = _when(nullable=True)
    # The worklist's key (bot/service/worklist.py keeps it current while the case is
    # not closed): its group (0 crisis or urgent, 1 complaint or lock, 2 the rest),
    # what may be collected (undisputed charges less payments not in them yet, R7,
    # R8), the lender's due date, and days past due × that amount as counted on
    # the account's own date; `reweigh_at`, when that account's next day begins (the
    # desk's clock weighs the case again then, finding it by ix_escalations_reweigh).
    rank_group: int = 2
    amount_due: Decimal = Field(
        default=Decimal(0), sa_column=Column(MONEY, nullable=False, default=Decimal(0))
    )
    due_date: date | None = None
    weight: Decimal = Field(
        default=Decimal(0), sa_column=Column(WEIGHT, nullable=False, default=Decimal(0))
    )
    reweigh_at: datetime | None = _when(nullable=True)


class EscalationTicketRow(SQLModel, table=True):
    """A ticket a borrower was given that the case no longer shows: a request added
    to an account's open case of that reason (bot/service/escalations/, `_fold_into`)
    keeps its ticket here, so whoever quotes it (the borrower, the lender's CRM)
    still finds the case."""

    __tablename__ = "escalation_tickets"

    ticket: str = Field(max_length=32, primary_key=True)
    escalation_id: int = Field(foreign_key="escalations.id", index=True)
    created_at: datetime = _when()


# The outbox rows of a chat that still show buttons: asked at every claim, and few
# (only the messages whose keyboards are still open), so a partial index.
_KEYBOARD_OPEN = column("keyboard_open").is_(True)


class OutboxRow(SQLModel, table=True):
    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_due", "status", "next_attempt_at"),
        # A chat's messages: its oldest unsent one (every claim), whether another
        # waits (every sent mark), one by the id the channel gave it (a pressed
        # button, keyboards taken away), each read from the index alone. Without
        # it those read every unsent row, or the whole outbox.
        Index("ix_outbox_chat", "channel", "chat_key", "status", "external_message_id"),
        Index(
            "ix_outbox_open_keyboards",
            "channel",
            "chat_key",
            sqlite_where=_KEYBOARD_OPEN,
            postgresql_where=_KEYBOARD_OPEN,
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    conversation_id: int = Field(foreign_key="conversations.id", index=True)
    channel: str = Field(max_length=16)
    chat_key: str = Field(max_length=64)
    idempotency_key: str = Field(max_length=128, unique=True)
    payload: dict[str, Any] = _json()
    status: str = Field(default="pending", max_length=16)
    attempts: int = 0
    next_attempt_at: datetime = _when()
    last_error: str | None = Field(default=None, max_length=200)
    lease_owner: str | None = Field(default=None, max_length=64)  # the worker sending it
    external_message_id: str | None = Field(default=None, max_length=64)
    keyboard_open: bool = False  # sent with buttons that have not been taken away yet
    # Who waits for it: 0 a reply to a borrower writing now, 1 outreach (a reminder).
    # Replies go first, and outreach never takes the last of the bot's sending rate.
    priority: int = 0
    created_at: datetime = _when()
    sent_at: datetime | None = _when(nullable=True)


class ProcessedUpdateRow(SQLModel, table=True):
    """Exactly once: an inbound update id is claimed in the transaction that handles it."""

    __tablename__ = "processed_updates"

    channel: str = Field(primary_key=True, max_length=16)
    update_key: str = Field(primary_key=True, max_length=64)
    processed_at: datetime = _when()


class LinkTokenRow(SQLModel, table=True):
    __tablename__ = "link_tokens"

    token_hash: str = Field(primary_key=True, max_length=64)
    account_id: str = Field(foreign_key="accounts.account_id", index=True, max_length=64)
    expires_at: datetime = _when()
    used_at: datetime | None = _when(nullable=True)
    used_by: str | None = Field(default=None, max_length=96)  # channel:user who redeemed it
    created_at: datetime = _when()


class ChannelLinkRow(SQLModel, table=True):
    __tablename__ = "channel_links"

    channel: str = Field(primary_key=True, max_length=16)
    user_key: str = Field(primary_key=True, max_length=64)
    account_id: str = Field(foreign_key="accounts.account_id", index=True, max_length=64)
    linked_via: str = Field(max_length=16)
    linked_at: datetime = _when()


class InboxRow(SQLModel, table=True):
    """An update written down before the channel confirms it, so a crash loses nothing."""

    __tablename__ = "inbox"

    channel: str = Field(primary_key=True, max_length=16)
    update_key: str = Field(primary_key=True, max_length=64)
    payload: dict[str, Any] = _json()
    received_at: datetime = _when()
    handled_at: datetime | None = _when(nullable=True, index=True)


class ScriptVersionRow(SQLModel, table=True):
    """Every script and policy version ever used, by content hash; never changed."""

    __tablename__ = "script_versions"

    kind: str = Field(primary_key=True, max_length=16)  # "script" or "policy"
    name: str = Field(primary_key=True, max_length=64)  # the script id, or "policy"
    content_hash: str = Field(primary_key=True, max_length=64)
    label: str = Field(max_length=64)  # the version its author wrote in the file
    content: str
    published_at: datetime = _when()


class WorkerRow(SQLModel, table=True):
    """A running bot process; leases name their worker, so a dead one's are taken back."""

    __tablename__ = "workers"

    worker_id: str = Field(primary_key=True, max_length=64)
    node: str = Field(max_length=64)
    started_at: datetime = _when()
    heartbeat_at: datetime = _when()


class FailedUpdateRow(SQLModel, table=True):
    """An update whose handling failed every try, parked with why for a person.

    Parking stamps its inbox row handled, so a restart does not replay it (nor
    apologise again); `repaybot inbox retry ID` hands it to the runtime once more.
    """

    __tablename__ = "failed_updates"
    __table_args__ = (UniqueConstraint("channel", "event_key", name="uq_failed_update_event"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=16)
    event_key: str | None = Field(default=None, max_length=64)  # Telegram's update_id
    chat_key: str = Field(max_length=64)
    inbound: dict[str, Any] = _json()  # the event as the runtime got it, to replay
    error: str = Field(max_length=200)  # the last failure's kind and message, one line
    traceback: str  # the last failure's, for whoever fixes the cause
    attempts: int = 0
    status: str = Field(default="parked", max_length=16, index=True)  # parked, replayed
    failed_at: datetime = _when()
    replayed_at: datetime | None = _when(nullable=True)


# ---- people: the agents' console and the CRM API (issue 29) ----


class ConsoleUserRow(SQLModel, table=True):
    """A person who signs in to the console: an agent, supervisor, manager or admin."""

    __tablename__ = "console_users"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=64, unique=True)
    role: str = Field(max_length=16)
    password_hash: str = Field(max_length=200)  # argon2id, never the password
    locale: str = Field(default="en", max_length=10)  # the console's language for them
    available: bool = True  # an agent marks themselves away; the queue shows it
    disabled: bool = False
    created_at: datetime = _when()


class ApiTokenRow(SQLModel, table=True):
    """A CRM integration's bearer token: only its SHA-256 is kept (the token is random)."""

    __tablename__ = "api_tokens"

    token_hash: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=64, index=True)
    role: str = Field(max_length=16)
    created_at: datetime = _when()
    revoked_at: datetime | None = _when(nullable=True)


class ConsoleSessionRow(SQLModel, table=True):
    """A signed-in browser. The cookie holds a random id; the table its hash, so a
    sign-out or an admin's revocation is refused on the very next request."""

    __tablename__ = "console_sessions"

    id_hash: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(foreign_key="console_users.id", index=True)
    csrf_token: str = Field(max_length=64)
    address: str = Field(default="", max_length=64)
    created_at: datetime = _when()
    last_seen_at: datetime = _when()
    expires_at: datetime = _when()
    revoked_at: datetime | None = _when(nullable=True)


class SignInThrottleRow(SQLModel, table=True):
    """Failed sign-ins per account name and per address, kept across restarts."""

    __tablename__ = "sign_in_throttle"

    scope: str = Field(primary_key=True, max_length=16)  # "name" or "address"
    key: str = Field(primary_key=True, max_length=96)
    failures: int = 0
    locked_until: datetime | None = _when(nullable=True)
    updated_at: datetime = _when()


class AuditRow(SQLModel, table=True):
    """Every action a person takes: who, what, on what, when, before and after."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    actor: str = Field(max_length=64, index=True)
    action: str = Field(max_length=32)
    target: str = Field(default="", max_length=96)
    before: dict[str, Any] | None = _json(nullable=True)
    after: dict[str, Any] | None = _json(nullable=True)
    address: str = Field(default="", max_length=64)
    created_at: datetime = _when(index=True)


# ---- reminders the bot sends itself (issue 31) ----


class ReminderRow(SQLModel, table=True):
    """One reminder of the cadence: queued once per account, stage and due date.

    The unique key is what makes planning idempotent: however often and on however
    many processes the planner runs, a second insert of the same reminder does
    nothing. `send_at` is the next moment the contact rules allow (UTC); `reason`
    the rule that last moved or held it (R1, R2, R3 ...). Status: queued, sending,
    sent, held, superseded, person (a person takes the stage), skipped.
    """

    __tablename__ = "reminders"
    __table_args__ = (
        UniqueConstraint("account_id", "stage", "cycle", name="uq_reminder_stage_cycle"),
        Index("ix_reminders_due", "status", "send_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: str = Field(
        sa_column=Column(
            String(64),
            ForeignKey("accounts.account_id", ondelete="CASCADE"),
            nullable=False,
            # No index of its own: the unique key's index leads with it (migration 0017).
        )
    )
    stage: str = Field(max_length=32)
    cycle: date  # the due date the cadence counts from
    conversation_id: int | None = Field(default=None)
    status: str = Field(default="queued", max_length=16)
    send_at: datetime | None = _when(nullable=True)
    reason: str | None = Field(default=None, max_length=32)
    attempts: int = 0
    created_at: datetime = _when()
    updated_at: datetime = _when()
    sent_at: datetime | None = _when(nullable=True)


# ---- sending within Telegram's limits, and what the bot knows about itself (issue 31) ----


class SendRateRow(SQLModel, table=True):
    """One bot token's sending pace, shared by every process (bot/store/send_rate.py).

    `next_slot`: the earliest moment (seconds since the epoch) the next message may
    go; each send moves it on by 1/rate in one conditional UPDATE. `paused_until`:
    Telegram's last 429 asked the whole bot to wait until then."""

    __tablename__ = "send_rates"

    key: str = Field(primary_key=True, max_length=64)  # a hash of the bot token
    next_slot: float = 0.0
    paused_until: float = 0.0


class BotFactRow(SQLModel, table=True):
    """What the bot learned about itself once and keeps: its Telegram username (so
    `repaybot link` never asks Telegram, nor loads a framework, to print a link)."""

    __tablename__ = "bot_facts"

    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(max_length=200)
    updated_at: datetime = _when()
