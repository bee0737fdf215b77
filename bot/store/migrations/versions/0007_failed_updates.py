"""failed_updates: an update that fails every try is parked, not replayed forever

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 09:00:00

An update whose handling raised was left unhandled in the inbox, so every start
handed it to the runtime again, and the borrower got one more apology each
time (issue 33). After a few tries it is now parked here with its traceback,
its inbox row stamped handled; `repaybot inbox failed` lists the parked ones
and `repaybot inbox retry ID` replays one.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "failed_updates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("event_key", sa.String(length=64), nullable=True),
        sa.Column("chat_key", sa.String(length=64), nullable=False),
        sa.Column("inbound", sa.JSON(), nullable=False),
        sa.Column("error", sa.String(length=200), nullable=False),
        sa.Column("traceback", sa.String(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("replayed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("channel", "event_key", name="uq_failed_update_event"),
    )
    with op.batch_alter_table("failed_updates") as batch:
        batch.create_index(batch.f("ix_failed_updates_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("failed_updates") as batch:
        batch.drop_index(batch.f("ix_failed_updates_status"))
    op.drop_table("failed_updates")
