"""disputes hold arrangements; payments stay on the statement until a file has them

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 03:10:00

R8: a dispute on a charge inside an active arrangement puts the arrangement on
hold (status `suspended`); the dispute names it for the person who reviews it.
R7: a payment from the payments file is `reflected` once an account file
imported on or after the day it was paid includes it, so the statement takes it
off the charges until then.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("disputes") as batch:
        batch.add_column(sa.Column("arrangement_id", sa.String(length=32), nullable=True))
    with op.batch_alter_table("payments") as batch:
        batch.add_column(
            sa.Column("reflected", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("payments") as batch:
        batch.drop_column("reflected")
    with op.batch_alter_table("disputes") as batch:
        batch.drop_column("arrangement_id")
