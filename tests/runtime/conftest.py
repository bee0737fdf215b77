"""A third channel, written in a few dozen lines, to show the runtime's seam: a
translator that builds Inbound events and a Sender that keeps what it is given."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlmodel import col

from bot.bootstrap import App, build_app
from bot.config import Settings
from bot.service.accounts_import import import_accounts
from bot.service.events import Handled, Inbound
from bot.service.linking import create_link_token
from bot.service.outbox import OutgoingMessage
from bot.store.tables import ArrangementRow
from bot.understanding.model import IntentModel

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
NOW = datetime(2026, 11, 22, 15, 0, tzinfo=UTC)
CHANNEL = "webchat"


class WebChatSender:
    channel = CHANNEL

    def __init__(self) -> None:
        self.sent: defaultdict[str, list[OutgoingMessage]] = defaultdict(list)

    async def send(self, message: OutgoingMessage) -> str:
        self.sent[message.chat_key].append(message)
        return f"{message.chat_key}-{len(self.sent[message.chat_key])}"


@dataclass
class WebChat:
    app: App
    sender: WebChatSender
    updates: int = 0
    notices: list[str | None] = field(default_factory=list)

    async def say(self, user: str, text: str) -> list[OutgoingMessage]:
        return await self._deliver(Inbound(CHANNEL, user, user, self._key(), text=text), user)

    async def press(self, user: str, label: str, chat: str | None = None) -> list[OutgoingMessage]:
        chat = chat or user
        data = dict(self.sender.sent[chat][-1].buttons)[label]
        return await self._deliver(Inbound(CHANNEL, chat, user, self._key(), button=data), chat)

    async def press_data(self, user: str, chat: str, data: str) -> list[OutgoingMessage]:
        return await self._deliver(Inbound(CHANNEL, chat, user, self._key(), button=data), chat)

    async def link(self, account_id: str) -> str:
        async with self.app.sessions() as session, session.begin():
            return await create_link_token(session, account_id=account_id, now=NOW, valid_days=7)

    async def verify(self, user: str, account_id: str, birth: str) -> list[OutgoingMessage]:
        """Link the chat to the account and give its birth date: the statement and menu."""
        await self.say(user, f"/start {await self.link(account_id)}")
        return await self.say(user, birth)

    async def arrangements(self, account_id: str) -> list[ArrangementRow]:
        """The account's arrangements, oldest first."""
        async with self.app.sessions() as session:
            query = (
                select(ArrangementRow)
                .where(col(ArrangementRow.account_id) == account_id)
                .order_by(col(ArrangementRow.created_at))
            )
            return list((await session.execute(query)).scalars())

    def _key(self) -> str:
        self.updates += 1
        return str(self.updates)

    async def _deliver(self, inbound: Inbound, chat: str) -> list[OutgoingMessage]:
        before = len(self.sender.sent[chat])
        outbox = self.app.outbox
        handled: Handled = await self.app.runtime.on_inbound(inbound, claim_for=outbox)
        self.notices.append(handled.notice)
        await outbox.deliver_chat(CHANNEL, chat, head=handled.head)
        return self.sender.sent[chat][before:]


@asynccontextmanager
async def web_chat(
    settings: Settings, model: IntentModel | None = None, now: datetime = NOW
) -> AsyncIterator[WebChat]:
    """The app on `settings` at `now`, with the fixture accounts, talking through the web chat."""
    app = await build_app(settings, clock=lambda: now, model=model)
    await import_accounts(app.sessions, FIXTURES / "accounts.csv")
    sender = WebChatSender()
    app.outbox.register(sender)
    try:
        yield WebChat(app, sender)
    finally:
        await app.close()


@pytest.fixture
async def web(database_url: str, intent_model: IntentModel) -> AsyncIterator[WebChat]:
    async with web_chat(Settings(database_url=database_url), intent_model) as chat:
        yield chat


async def count_rows(web: WebChat, table: type, **where: object) -> int:
    """Rows of `table` whose columns equal `where`."""
    async with web.app.sessions() as session:
        query = select(func.count()).select_from(table)
        for name, value in where.items():
            query = query.where(getattr(table, name) == value)
        return int((await session.execute(query)).scalar_one())
