"""the console's approvals and timers: arrangement requests, escalation timer marks

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 03:10:00

An arrangement a person records outside the bot's policy waits in
arrangement_requests until a supervisor decides (issue 29 point 4). Each escalation
keeps when the borrower was told the wait runs long and when an untaken handoff went
back to the bot, so each happens once. Escalations get an index on their
conversation: every action and the conversation page look them up by it.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "arrangement_requests",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("account_id", sa.String(length=64), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("ticket", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("owed", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("installments", sa.JSON(), nullable=False),
        sa.Column("new_due_date", sa.Date(), nullable=True),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("terms", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("requested_by", sa.String(length=64), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(length=64), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.String(), nullable=False),
        sa.Column("arrangement_id", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.account_id"]),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversations.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("arrangement_requests") as batch:
        batch.create_index(
            batch.f("ix_arrangement_requests_account_id"), ["account_id"], unique=False
        )
        batch.create_index(
            batch.f("ix_arrangement_requests_conversation_id"), ["conversation_id"], unique=False
        )
        batch.create_index(batch.f("ix_arrangement_requests_status"), ["status"], unique=False)
    with op.batch_alter_table("escalations") as batch:
        batch.add_column(sa.Column("wait_noticed_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("returned_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_index(
            batch.f("ix_escalations_conversation_id"), ["conversation_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("escalations") as batch:
        batch.drop_index(batch.f("ix_escalations_conversation_id"))
        batch.drop_column("returned_at")
        batch.drop_column("wait_noticed_at")
    op.drop_table("arrangement_requests")
