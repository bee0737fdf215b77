"""runtime: typed conversation record, inbox, script registry, workers, account locks

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 13:30:31

The conversation's JSON `state` (written by two layers) becomes a typed record:
columns for what is queried, JSON for the frame stack, choices and variables.
Conversations in flight are carried over: their place, variables and choices.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _string(length: int | None = None) -> sa.String:
    return sa.String(length=length)


def upgrade() -> None:
    op.create_table(
        "inbox",
        sa.Column("channel", _string(16), nullable=False),
        sa.Column("update_key", _string(64), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("channel", "update_key"),
    )
    with op.batch_alter_table("inbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inbox_handled_at"), ["handled_at"], unique=False)
    op.create_table(
        "script_versions",
        sa.Column("kind", _string(16), nullable=False),
        sa.Column("name", _string(64), nullable=False),
        sa.Column("content_hash", _string(64), nullable=False),
        sa.Column("label", _string(64), nullable=False),
        sa.Column("content", _string(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("kind", "name", "content_hash"),
    )
    op.create_table(
        "workers",
        sa.Column("worker_id", _string(64), nullable=False),
        sa.Column("node", _string(64), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("worker_id"),
    )
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("verify_failures", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("verify_locked_until", sa.DateTime(timezone=True), nullable=True)
        )
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owner", _string(64), nullable=False, server_default="bot"))
        batch_op.add_column(
            sa.Column("policy_version", _string(64), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("locale", _string(10), nullable=False, server_default="en"))
        batch_op.add_column(sa.Column("frames", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("choices", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("vars", sa.JSON(), nullable=True))
        batch_op.add_column(
            sa.Column("failed_inputs", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("started", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.create_index(batch_op.f("ix_conversations_owner"), ["owner"], unique=False)
    _carry_over_conversations()
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.alter_column("frames", existing_type=sa.JSON(), nullable=False)
        batch_op.alter_column("choices", existing_type=sa.JSON(), nullable=False)
        batch_op.alter_column("vars", existing_type=sa.JSON(), nullable=False)
        batch_op.drop_column("state")
    with op.batch_alter_table("escalations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ticket", _string(32), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("owner", _string(64), nullable=False, server_default="queue"))
        batch_op.add_column(sa.Column("outcome", _string(32), nullable=True))
        batch_op.add_column(sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f("ix_escalations_ticket"), ["ticket"], unique=False)
    # The ticket used to sit in `note`.
    op.execute("UPDATE escalations SET ticket = note, note = '' WHERE note LIKE 'T-%'")
    with op.batch_alter_table("link_tokens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("used_by", _string(96), nullable=True))
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lease_owner", _string(64), nullable=True))
        batch_op.add_column(
            sa.Column("keyboard_open", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def _carry_over_conversations() -> None:
    bind = op.get_bind()
    table = sa.table(
        "conversations",
        sa.column("id", sa.Integer()),
        sa.column("state", sa.JSON()),
        sa.column("frames", sa.JSON()),
        sa.column("choices", sa.JSON()),
        sa.column("vars", sa.JSON()),
        sa.column("locale", sa.String()),
        sa.column("failed_inputs", sa.Integer()),
        sa.column("started", sa.Boolean()),
    )
    rows = bind.execute(sa.select(table.c.id, table.c.state)).all()
    for row_id, raw in rows:
        state: dict[str, Any] = json.loads(raw) if isinstance(raw, str) else dict(raw or {})
        engine: dict[str, Any] = dict(state.get("engine") or {})
        variables = dict(engine.get("vars") or {})
        back = variables.pop("return_to", None)
        frames = [str(back)] if back else []
        if engine.get("state"):
            frames.append(str(engine["state"]))
        bind.execute(
            table.update()
            .where(table.c.id == row_id)
            .values(
                frames=frames,
                choices=list(state.get("choices") or []),
                vars=variables,
                locale=str(engine.get("locale") or "en"),
                failed_inputs=int(engine.get("failed_inputs") or 0),
                started=bool(engine),
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("link_tokens", schema=None) as batch_op:
        batch_op.drop_column("used_by")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("keyboard_open")
        batch_op.drop_column("lease_owner")
    with op.batch_alter_table("escalations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_escalations_ticket"))
        batch_op.drop_column("closed_at")
        batch_op.drop_column("outcome")
        batch_op.drop_column("owner")
        batch_op.drop_column("ticket")
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("state", sa.JSON(), nullable=True))
        batch_op.drop_index(batch_op.f("ix_conversations_owner"))
        for name in ("started", "failed_inputs", "vars", "choices", "frames", "locale"):
            batch_op.drop_column(name)
        batch_op.drop_column("policy_version")
        batch_op.drop_column("owner")
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.drop_column("verify_locked_until")
        batch_op.drop_column("verify_failures")
    op.drop_table("workers")
    op.drop_table("script_versions")
    with op.batch_alter_table("inbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inbox_handled_at"))
    op.drop_table("inbox")
