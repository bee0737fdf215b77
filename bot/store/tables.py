"""SQLModel tables: everything the bot keeps, on SQLite or PostgreSQL.

Money is Numeric (Decimal), never float; times are UTC. The Alembic migration
in bot/store/migrations mirrors these models, and a test checks they agree.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Column, DateTime, ForeignKey, Index, Numeric, String, UniqueConstraint
from sqlmodel import Field, SQLModel

MONEY = Numeric(18, 4)


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
    timezone: str = Field(max_length=64)
    currency: str = Field(max_length=3)
    due_date: date
    extensions_used: int = 0
    collection_paused: bool = False
    breathing_space: bool = False
    opted_out: bool = False
    unreachable: bool = False
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
    __tablename__ = "conversations"
    __table_args__ = (UniqueConstraint("channel", "chat_key", name="uq_conversation_chat"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=16)
    chat_key: str = Field(max_length=64)
    account_id: str | None = Field(default=None, foreign_key="accounts.account_id", index=True)
    user_key: str | None = Field(default=None, max_length=64)
    script_id: str = Field(max_length=64)
    script_version: str = Field(max_length=64)
    state: dict[str, Any] = _json()
    step: int = 0
    verified: bool = False
    ended: bool = False
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


class EscalationRow(SQLModel, table=True):
    __tablename__ = "escalations"
    __table_args__ = (Index("ix_escalations_queue", "status", "priority"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: str | None = Field(default=None, foreign_key="accounts.account_id")
    conversation_id: int | None = Field(default=None, foreign_key="conversations.id")
    reason: str = Field(max_length=32)
    priority: str = Field(max_length=16)
    status: str = Field(default="open", max_length=16)
    note: str = ""
    due_on: date | None = None
    created_at: datetime = _when()


class OutboxRow(SQLModel, table=True):
    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)

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
    external_message_id: str | None = Field(default=None, max_length=64)
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
    created_at: datetime = _when()


class ChannelLinkRow(SQLModel, table=True):
    __tablename__ = "channel_links"

    channel: str = Field(primary_key=True, max_length=16)
    user_key: str = Field(primary_key=True, max_length=64)
    account_id: str = Field(foreign_key="accounts.account_id", index=True, max_length=64)
    linked_via: str = Field(max_length=16)
    linked_at: datetime = _when()
