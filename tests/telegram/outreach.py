"""Outreach for the sending tests: many chats each with a reminder queued, as the
reminder sender queues them (outbox rows of priority 1), and a copy of the dialogs
whose policy pays for a higher rate, so a load test runs in seconds."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.store.tables import ConversationRow, OutboxRow, table_of

ROOT = Path(__file__).resolve().parents[2]
FIRST_CHAT = 10_000_000
OUTREACH = 1


def dialogs_sending_at(tmp_path: Path, rate: int, *, paid: bool) -> Path:
    """The project's dialogs with `sending` set in the policy."""
    target = tmp_path / "dialogs"
    shutil.copytree(ROOT / "dialogs", target)
    policy = target / "policy.yaml"
    policy.write_text(
        policy.read_text(encoding="utf-8")
        + f"\nsending:\n  allow_paid_broadcast: {str(paid).lower()}\n"
        + f"  messages_per_second: {rate}\n",
        encoding="utf-8",
    )
    return target


def reminder_text(chat_id: int) -> str:
    return f"Reminder {chat_id}: your payment is due."


async def queue_outreach(
    sessions: async_sessionmaker[AsyncSession], count: int, now: datetime
) -> list[int]:
    """`count` chats, each with one reminder waiting; their chat ids."""
    chats = list(range(FIRST_CHAT, FIRST_CHAT + count))
    conversations = table_of(ConversationRow)
    async with sessions() as session, session.begin():
        await session.execute(
            insert(conversations),
            [
                {
                    "channel": "telegram",
                    "chat_key": str(chat),
                    "user_key": str(chat),
                    "owner": "bot",
                    "script_id": "repayment",
                    "script_version": "",
                    "policy_version": "",
                    "locale": "en",
                    "frames": [],
                    "choices": [],
                    "vars": {},
                    "step": 0,
                    "failed_inputs": 0,
                    "verified": False,
                    "ended": False,
                    "started": False,
                    "created_at": now,
                    "updated_at": now,
                }
                for chat in chats
            ],
        )
        ids = dict(
            (await session.execute(select(conversations.c.chat_key, conversations.c.id))).all()
        )
        await session.execute(
            insert(table_of(OutboxRow)),
            [
                {
                    "conversation_id": ids[str(chat)],
                    "channel": "telegram",
                    "chat_key": str(chat),
                    "idempotency_key": f"reminder:{chat}",
                    "payload": {"text": reminder_text(chat)},
                    "status": "pending",
                    "attempts": 0,
                    "next_attempt_at": now,
                    "keyboard_open": False,
                    "priority": OUTREACH,
                    "created_at": now,
                }
                for chat in chats
            ],
        )
    return chats
