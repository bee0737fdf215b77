"""negotiation: an arrangement records when, why and by which newer one it ended

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 15:20:00

An account keeps at most one active arrangement; the ones a newer arrangement
replaced stay in the table with status `superseded` and these columns.
A breathing space has an end date, and who set or lifted it is recorded in
`account_events`. Payments from the lender's file land in `payments`.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "account_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.account_id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_account_events_account_id", "account_events", ["account_id"])
    op.create_table(
        "payments",
        sa.Column("reference", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.String(length=64), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.account_id"]),
        sa.PrimaryKeyConstraint("reference"),
    )
    op.create_index("ix_payments_account_id", "payments", ["account_id"])
    with op.batch_alter_table("accounts") as batch:
        batch.add_column(sa.Column("breathing_space_until", sa.Date(), nullable=True))
    with op.batch_alter_table("arrangements") as batch:
        batch.add_column(sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("end_reason", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("superseded_by", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("accounts") as batch:
        batch.drop_column("breathing_space_until")
    op.drop_index("ix_payments_account_id", table_name="payments")
    op.drop_table("payments")
    op.drop_index("ix_account_events_account_id", table_name="account_events")
    op.drop_table("account_events")
    with op.batch_alter_table("arrangements") as batch:
        batch.drop_column("superseded_by")
        batch.drop_column("end_reason")
        batch.drop_column("ended_at")
