"""What every way into the runtime shares: its dependencies, claiming an event, and
finding (or starting) the chat's conversation, inside the event's transaction."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.i18n.render import Translator
from bot.service.events import Inbound
from bot.service.inbound import locale_of
from bot.service.inbox import Claim, claim_kept
from bot.service.record import BOT, StoredConversation
from bot.service.versions import ScriptRegistry
from bot.store.conversations import claim_processed, conversation_of_chat
from bot.store.tables import ConversationRow
from bot.understanding.model import IntentModel

Clock = Callable[[], datetime]
# Channels that keep updates in the inbox before confirming them (see polling.py).
INBOX_CHANNELS = frozenset({"telegram"})


class EventTransactions:
    """The runtime's foundation (bot.service.runtime.Runtime builds on it)."""

    def __init__(
        self,
        *,
        sessions: async_sessionmaker[AsyncSession],
        registry: ScriptRegistry,
        translator: Translator,
        button_secret: bytes,
        clock: Clock,
        model: IntentModel,
        script_id: str = "repayment",
    ) -> None:
        """`model`: the intent model `build_app` built once; every message is read with it."""
        self._sessions = sessions
        self._registry = registry
        self._translator = translator
        self._secret = button_secret
        self._clock = clock
        self._script_id = script_id
        self._model = model

    def now(self) -> datetime:
        return self._clock()

    @property
    def registry(self) -> ScriptRegistry:
        return self._registry

    @property
    def sessions(self) -> async_sessionmaker[AsyncSession]:
        """The database, for the clock's jobs (bot.service.periodic)."""
        return self._sessions

    async def _claim(
        self, session: AsyncSession, channel: str, key: str | None, now: datetime
    ) -> bool:
        """Claim the event in this transaction; False when it was handled before.

        An update kept in the inbox is claimed by stamping it handled there (one
        UPDATE). Any other event, or one that never went through the inbox, by one
        INSERT ... ON CONFLICT DO NOTHING into processed_updates. Either way a
        duplicate, even one racing in from another process, is recognised without an
        error that would end the transaction.
        """
        if key is None:
            return True
        if channel in INBOX_CHANNELS:
            kept = await claim_kept(session, channel, key, now)
            if kept is not Claim.NOT_KEPT:
                return kept is Claim.FIRST
        return await claim_processed(session, channel, key, now)

    async def _row(
        self, session: AsyncSession, inbound: Inbound, *, create: bool
    ) -> StoredConversation | None:
        # Locked: one chat's events are handled one after the other (see the store).
        stored: StoredConversation | None = await conversation_of_chat(
            session, inbound.channel, inbound.chat_key
        )
        if stored is not None or not create:
            return stored
        now = self._clock()
        script, policy_hash = self._registry.newest(self._script_id)
        row = ConversationRow(
            channel=inbound.channel,
            chat_key=inbound.chat_key,
            user_key=inbound.user_key,
            owner=BOT,
            script_id=script.id,
            script_version=script.version,
            policy_version=policy_hash,
            locale=locale_of(inbound),
            frames=[],
            choices=[],
            vars={},
            created_at=now,
            updated_at=now,
        )
        session.add(row)
        await session.flush()
        return row

    def _table(self) -> dict[str, object]:
        script, _ = self._registry.newest(self._script_id)
        return script.message_table()  # type: ignore[return-value]
