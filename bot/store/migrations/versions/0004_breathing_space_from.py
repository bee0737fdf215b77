"""breathing space from the lender's file: a first day besides the last

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 16:45:00

The import sets a breathing space with a start and an end date (issue 16
point 2); one starting later pauses nothing until that day. The event that
records it keeps the start too.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("accounts") as batch:
        batch.add_column(sa.Column("breathing_space_from", sa.Date(), nullable=True))
    with op.batch_alter_table("account_events") as batch:
        batch.add_column(sa.Column("since", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("account_events") as batch:
        batch.drop_column("since")
    with op.batch_alter_table("accounts") as batch:
        batch.drop_column("breathing_space_from")
