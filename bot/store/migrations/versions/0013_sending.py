"""sending and records: outbox priority, the shared pace per bot token, the bot's own
facts, and when an account's personal data was erased

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 03:00:00

Issue 31 points 4 and 6: replies go before outreach (outbox.priority: 0 a reply,
1 outreach); one row per bot token holds the pace every process sends at and a
pause a 429 asked for (send_rates); the bot's username, asked once, is kept
(bot_facts) so printing a link needs no call to Telegram. Point 7: an account
whose personal data was erased (R18) keeps its row, stamped accounts.erased_at.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("priority", sa.Integer(), nullable=False, server_default="0"))
    with op.batch_alter_table("accounts") as batch:
        batch.add_column(sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "send_rates",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("next_slot", sa.Float(), nullable=False),
        sa.Column("paused_until", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "bot_facts",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )


def downgrade() -> None:
    op.drop_table("bot_facts")
    op.drop_table("send_rates")
    with op.batch_alter_table("accounts") as batch:
        batch.drop_column("erased_at")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("priority")
