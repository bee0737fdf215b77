"""a language the borrower chose outlives a re-import of the lender's file

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 08:00:00

/language wrote the account's locale, and the next import of the lender's file
wrote the file's locale over it. The account now says whether the borrower
chose its locale; an import then leaves it as it is.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("accounts") as batch:
        batch.add_column(
            sa.Column("locale_chosen", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("accounts") as batch:
        batch.drop_column("locale_chosen")
