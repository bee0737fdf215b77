"""quiet windows: the times of the week a borrower asked not to be contacted (R4)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 03:00:00

Kept on the account as JSON (bot/domain/quiet_windows.py: days, start, end, in the
borrower's own time); NULL means the borrower set none.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("accounts") as batch:
        batch.add_column(sa.Column("quiet_windows", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("accounts") as batch:
        batch.drop_column("quiet_windows")
