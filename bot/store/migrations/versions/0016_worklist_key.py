"""the worklist's key on each escalation, and an index that gives the queue's pages

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 07:00:00

The queue orders open escalations crisis first, then complaints and verification
locks, then days past due × amount (issue 29 point 7). Working that product out for
every open case on every request cost some 100 ms at 10,000 cases, and no index
could give the first page. Each escalation now keeps its group, what may be
collected, the lender's due date and the product as counted on the account's own
date (bot/service/worklist.py keeps them current), and a partial index over the
cases not closed follows the ORDER BY. Each also keeps when its account's next day
begins (`reweigh_at`, indexed): the desk's clock finds the cases a new day has
reached without reading the others. The backfill sets every case's group, amount
and due date as its account stands now, and a weight counted in UTC; `reweigh_at` is
the case's opening, so the clock's first tick counts each case not closed again in
its account's zone (a closed case keeps what it had when it closed from now on).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NOT_CLOSED = sa.text("status <> 'closed'")


def upgrade() -> None:
    with op.batch_alter_table("escalations") as batch:
        batch.add_column(sa.Column("rank_group", sa.Integer(), nullable=False, server_default="2"))
        batch.add_column(
            sa.Column(
                "amount_due", sa.Numeric(precision=18, scale=4), nullable=False, server_default="0"
            )
        )
        batch.add_column(sa.Column("due_date", sa.Date(), nullable=True))
        batch.add_column(
            sa.Column(
                "weight", sa.Numeric(precision=24, scale=4), nullable=False, server_default="0"
            )
        )
        batch.add_column(sa.Column("reweigh_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_index(batch.f("ix_escalations_account_id"), ["account_id"], unique=False)
    op.execute(
        "UPDATE escalations SET rank_group = CASE"
        " WHEN reason = 'crisis' OR priority = 'urgent' THEN 0"
        " WHEN reason IN ('complaint', 'verification_locked') THEN 1 ELSE 2 END"
    )
    # What may be collected (R7, R8): undisputed charges less payments the charges do
    # not reflect yet, never below zero; days past due counted in UTC until reweighed.
    owed = (
        "(SELECT COALESCE(SUM(c.amount), 0) FROM charges c"
        " WHERE c.account_id = escalations.account_id AND c.dispute_id IS NULL)"
        " - (SELECT COALESCE(SUM(p.amount), 0) FROM payments p"
        " WHERE p.account_id = escalations.account_id AND NOT p.reflected)"
    )
    due = "(SELECT a.due_date FROM accounts a WHERE a.account_id = escalations.account_id)"
    if op.get_bind().dialect.name == "sqlite":
        amount = f"MAX({owed}, 0)"
        days = f"MAX(CAST(julianday('now') - julianday({due}) AS INTEGER), 0)"
    else:
        amount = f"GREATEST({owed}, 0)"
        days = f"GREATEST(CURRENT_DATE - {due}, 0)"
    op.execute(
        f"UPDATE escalations SET amount_due = COALESCE({amount}, 0), due_date = {due}"  # noqa: S608
    )
    op.execute(
        f"UPDATE escalations SET weight = COALESCE({days}, 0) * amount_due"  # noqa: S608
    )
    # Due at once: the desk's first tick counts each case again in its account's zone.
    op.execute("UPDATE escalations SET reweigh_at = created_at WHERE status <> 'closed'")
    with op.batch_alter_table("escalations") as batch:
        # The model has no server defaults: every writer sets these columns.
        batch.alter_column("rank_group", server_default=None)
        batch.alter_column("amount_due", server_default=None)
        batch.alter_column("weight", server_default=None)
    op.create_index(
        "ix_escalations_worklist",
        "escalations",
        ["rank_group", sa.text("weight DESC"), "created_at", "id"],
        unique=False,
        sqlite_where=NOT_CLOSED,
        postgresql_where=NOT_CLOSED,
    )
    op.create_index(
        "ix_escalations_reweigh",
        "escalations",
        ["reweigh_at"],
        unique=False,
        sqlite_where=NOT_CLOSED,
        postgresql_where=NOT_CLOSED,
    )


def downgrade() -> None:
    op.drop_index("ix_escalations_reweigh", table_name="escalations")
    op.drop_index("ix_escalations_worklist", table_name="escalations")
    with op.batch_alter_table("escalations") as batch:
        batch.drop_index(batch.f("ix_escalations_account_id"))
        batch.drop_column("reweigh_at")
        batch.drop_column("weight")
        batch.drop_column("due_date")
        batch.drop_column("amount_due")
        batch.drop_column("rank_group")
