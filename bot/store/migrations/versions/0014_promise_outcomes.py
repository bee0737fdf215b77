"""promise outcomes: each payment an arrangement asked for, kept or broken, its
follow-up and its recovery (issue 31 point 3)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 03:10:00

One row per arrangement and due date (unique): the follow-up job's claim, and the
figures `repaybot promises report` prints (promise-kept rate, broken-promise recovery).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "promise_outcomes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("arrangement_id", sa.String(length=32), nullable=False),
        sa.Column("account_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("amount_due", sa.Numeric(18, 4), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("found_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("followed_up_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("follow_up", sa.String(length=16), nullable=True),
        sa.Column("recovered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("recovered_by", sa.String(length=20), nullable=True),
        sa.ForeignKeyConstraint(["arrangement_id"], ["arrangements.id"]),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.account_id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("arrangement_id", "due_on", name="uq_promise_outcome_due"),
    )
    op.create_index(
        "ix_promise_outcomes_account_id", "promise_outcomes", ["account_id"], unique=False
    )
    op.create_index(
        "ix_promise_outcomes_open", "promise_outcomes", ["outcome", "followed_up_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_promise_outcomes_open", table_name="promise_outcomes")
    op.drop_index("ix_promise_outcomes_account_id", table_name="promise_outcomes")
    op.drop_table("promise_outcomes")
