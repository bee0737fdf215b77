"""reminders: drop ix_reminders_account_id, which the unique key already gives

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 11:00:00

`account_id` is the leading column of the unique (account_id, stage, cycle) key, so
every query that finds an account's reminders (the planner's key ranges, a person's
stage, the preview, a held reminder put back, the foreign key's cascade) is served by
that key's index on SQLite and PostgreSQL alike (EXPLAIN, docs/performance.md). The
second index only cost every insert: the planner writes up to a million reminders a
run, and on PostgreSQL it took about a quarter of the insert's time (issue 31 point 8).
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_reminders_account_id", table_name="reminders")


def downgrade() -> None:
    op.create_index("ix_reminders_account_id", "reminders", ["account_id"])
