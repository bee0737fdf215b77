"""A portfolio on a clock the test moves: the reminders' planner and sender run on it
against a real database (SQLite and PostgreSQL) and the runtime's own outbox."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import col

from bot.bootstrap import App, build_app
from bot.config import Settings
from bot.service.accounts_import import import_accounts
from bot.service.events import Inbound
from bot.service.linking import create_link_token
from bot.service.outbox import OutgoingMessage
from bot.store.tables import ReminderRow
from bot.understanding.model import IntentModel
from tests.runtime.conftest import WebChatSender

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CHANNEL = "webchat"
# 10:00 in New York, 15:00 in London, 23:00 in Shanghai.
START = datetime(2026, 11, 22, 15, 0, tzinfo=UTC)


@dataclass
class Clock:
    now: datetime = START

    def __call__(self) -> datetime:
        return self.now

    def move(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@dataclass
class Portfolio:
    app: App
    clock: Clock
    sender: WebChatSender
    updates: int = 0
    chats: dict[str, str] = field(default_factory=dict)  # account -> chat

    async def link(self, account_id: str, chat: str) -> None:
        """The borrower opens the lender's link: the chat is linked to the account."""
        async with self.app.sessions() as session, session.begin():
            token = await create_link_token(
                session, account_id=account_id, now=self.clock.now, valid_days=7
            )
        await self.say(chat, f"/start {token}")
        self.chats[account_id] = chat

    async def say(self, chat: str, text: str) -> list[OutgoingMessage]:
        self.updates += 1
        before = len(self.sender.sent[chat])
        inbound = Inbound(CHANNEL, chat, chat, str(self.updates), text=text)
        handled = await self.app.runtime.on_inbound(inbound, claim_for=self.app.outbox)
        await self.app.outbox.deliver_chat(CHANNEL, chat, head=handled.head)
        return self.sender.sent[chat][before:]

    async def delivered(self, chat: str) -> list[OutgoingMessage]:
        """Send what the outbox holds for the chat; what reached it since the last look."""
        await self.app.outbox.deliver_chat(CHANNEL, chat)
        return self.sender.sent[chat]

    async def reminders(self) -> list[ReminderRow]:
        async with self.app.sessions() as session:
            query = select(ReminderRow).order_by(col(ReminderRow.account_id), col(ReminderRow.id))
            return list((await session.execute(query)).scalars())


@pytest.fixture
async def portfolio(database_url: str, intent_model: IntentModel) -> AsyncIterator[Portfolio]:
    clock = Clock()
    app = await build_app(Settings(database_url=database_url), clock=clock, model=intent_model)
    await import_accounts(app.sessions, FIXTURES / "accounts.csv")
    sender = WebChatSender()
    app.outbox.register(sender)
    try:
        yield Portfolio(app, clock, sender)
    finally:
        await app.close()
