"""escalation_tickets: the tickets a case was given besides the one it shows

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 14:30:00

Since migration 0018 a second request for an account's open case of the same reason
is added to that case (bot/service/escalations/, `_fold_into`). The case then shows
one ticket, the newest the borrower was given while nobody held it, or the one it
had while a person holds it; the other ticket was told to the borrower all the same.
This table keeps it, so the desk and the CRM API still find the case by it.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "escalation_tickets",
        sa.Column("ticket", sa.String(length=32), primary_key=True),
        sa.Column("escalation_id", sa.Integer(), sa.ForeignKey("escalations.id"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_escalation_tickets_escalation_id", "escalation_tickets", ["escalation_id"])


def downgrade() -> None:
    op.drop_index("ix_escalation_tickets_escalation_id", table_name="escalation_tickets")
    op.drop_table("escalation_tickets")
