"""at most one case not closed per account and reason, held by the database

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 11:00:00

A conversation opening a case and the reminder planner's +30 hand-off, or two
processes opening cases for one account, checked for an open case and wrote theirs
in separate statements: both could write. Several open cases for one account are
legitimate when their reasons differ (a complaint keeps its own ticket and answer
date, R15, beside a crisis at top priority, R12), so what the database holds is one
case not closed per account and reason; a second writer finds the first's case and
adds to it (bot/service/escalations/, `open_case`).

Cases already doubled are folded first: the one a person holds (else the oldest)
stays, at the highest priority among them, and the others are closed as 'merged'.
Closed cases lose `reweigh_at`: nothing weighs a closed case again
(bot/service/worklist.py).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NOT_CLOSED = sa.text("status <> 'closed'")
_SAME = (
    "o.account_id = escalations.account_id AND o.reason = escalations.reason"
    " AND o.status <> 'closed'"
)


def upgrade() -> None:
    # The highest priority of a doubled case first, so the one kept loses nothing.
    op.execute(
        "UPDATE escalations SET priority = CASE"  # noqa: S608
        f" WHEN EXISTS (SELECT 1 FROM escalations o WHERE {_SAME} AND o.priority = 'urgent')"
        " THEN 'urgent'"
        f" WHEN EXISTS (SELECT 1 FROM escalations o WHERE {_SAME} AND o.priority = 'high')"
        " THEN 'high' ELSE priority END"
        " WHERE status <> 'closed' AND account_id IS NOT NULL"
    )
    op.execute(
        "UPDATE escalations SET rank_group = 0 WHERE status <> 'closed' AND priority = 'urgent'"
    )
    taken_first = "CASE WHEN {t}.status = 'taken' THEN 0 ELSE 1 END"
    op.execute(
        "UPDATE escalations SET status = 'closed', outcome = 'merged',"  # noqa: S608
        " closed_at = CURRENT_TIMESTAMP"
        " WHERE status <> 'closed' AND account_id IS NOT NULL AND EXISTS ("
        f"SELECT 1 FROM escalations o WHERE {_SAME} AND ("
        f"{taken_first.format(t='o')} < {taken_first.format(t='escalations')}"
        f" OR ({taken_first.format(t='o')} = {taken_first.format(t='escalations')}"
        " AND o.id < escalations.id)))"
    )
    # A closed case keeps the key it had at its close and no next weighing
    # (bot/service/worklist.py); cases closed before kept the clock's last mark.
    op.execute("UPDATE escalations SET reweigh_at = NULL WHERE status = 'closed'")
    op.create_index(
        "ux_escalations_open_reason",
        "escalations",
        ["account_id", "reason"],
        unique=True,
        sqlite_where=NOT_CLOSED,
        postgresql_where=NOT_CLOSED,
    )


def downgrade() -> None:
    op.drop_index("ux_escalations_open_reason", table_name="escalations")
