"""The outbox's statements, built once: building a statement (coercing each clause,
computing its cache key) costs more than running it on SQLite. They are Core
statements on the table, which skip the ORM's bulk-update machinery."""

from __future__ import annotations

from sqlalchemy import bindparam, exists, func, select, update

from bot.store.tables import OutboxRow, WorkerRow, table_of

UNSENT = ("pending", "sending")

OUTBOX = table_of(OutboxRow)
o = OUTBOX.c
WORKERS = table_of(WorkerRow)
THIS_CHAT = (o.channel == bindparam("the_channel"), o.chat_key == bindparam("the_chat"))
# The chat's earlier messages that still show buttons, returned with the claim (one
# statement, not two). Channel message ids hold no control character, so the unit
# separator joins them.
SEPARATOR = "\x1f"
_shown = OUTBOX.alias("shown")
_OPEN_KEYBOARDS = (
    select(func.aggregate_strings(_shown.c.external_message_id, SEPARATOR))
    .where(
        _shown.c.channel == bindparam("the_channel"),
        _shown.c.chat_key == bindparam("the_chat"),
        _shown.c.keyboard_open.is_(True),
    )
    .scalar_subquery()
    .label("open_keyboards")
)
CLAIM = (
    update(OUTBOX)
    .where(o.id == select(func.min(o.id)).where(*THIS_CHAT, o.status.in_(UNSENT)).scalar_subquery())
    .where(o.status.in_(UNSENT), o.next_attempt_at <= bindparam("now"))
    .values(
        status="sending",
        lease_owner=bindparam("worker"),
        next_attempt_at=bindparam("lease_until"),
        attempts=o.attempts + 1,
    )
    .returning(o.id, o.payload, o.attempts, o.conversation_id, o.priority, _OPEN_KEYBOARDS)
)
CLOSE_KEYBOARDS = (
    update(OUTBOX)
    # keyboard_open: only open ones change, and the partial index finds just those.
    .where(*THIS_CHAT, o.keyboard_open.is_(True))
    .where(o.external_message_id.in_(bindparam("ids", expanding=True)))
    .values(keyboard_open=False)
)
# Whether the chat has another unsent message, returned with the sent mark: most
# replies are one message, and then there is nothing to claim next (one statement
# per message fewer than claiming to find nothing). The row's conversation comes
# back too, for the console's live view (bot.store.live).
_waiting = OUTBOX.alias("waiting")
_MORE_WAITING = (
    exists()
    .where(
        _waiting.c.channel == bindparam("the_channel"),
        _waiting.c.chat_key == bindparam("the_chat"),
        _waiting.c.status.in_(UNSENT),
        _waiting.c.id != bindparam("row_id"),
    )
    .label("more_waiting")
)
MARK_SENT = (
    update(OUTBOX)
    .where(o.id == bindparam("row_id"))
    .values(
        status="sent",
        sent_at=bindparam("when"),
        external_message_id=bindparam("external_id"),
        keyboard_open=bindparam("with_buttons"),
        lease_owner=None,
    )
    .returning(_MORE_WAITING, o.conversation_id)
)
