"""outbox: a chat's messages and its open keyboards found by index

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 05:20:00

Every claim asks for the chat's oldest unsent message and which of its
messages still show buttons; every sent mark whether another waits; every
pressed button and every keyboard taken away looks a message up by the id the
channel gave it. Without an index on the chat, those read every unsent row or
the whole outbox, which only grows (issue 11).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_KEYBOARD_OPEN = sa.column("keyboard_open").is_(True)


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.create_index(
            "ix_outbox_chat",
            ["channel", "chat_key", "status", "external_message_id"],
            unique=False,
        )
        batch.create_index(
            "ix_outbox_open_keyboards",
            ["channel", "chat_key"],
            unique=False,
            sqlite_where=_KEYBOARD_OPEN,
            postgresql_where=_KEYBOARD_OPEN,
        )


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_index("ix_outbox_open_keyboards")
        batch.drop_index("ix_outbox_chat")
