"""The one place that builds and wires the application (as in cosmicpython).

Entry points (CLI, Telegram, tests) ask for an App and get every part built
the same way: settings, migrated database, validated scripts, catalogs.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.i18n.build import compile_catalogs
from bot.i18n.render import Translator
from bot.service.conversations import Clock, ConversationService, utc_now
from bot.service.scripts import ScriptSet, load_dialogs
from bot.store.db import create_engine, session_factory, upgrade


@dataclass
class App:
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    scripts: ScriptSet
    translator: Translator
    conversations: ConversationService

    async def close(self) -> None:
        await self.engine.dispose()


async def build_app(settings: Settings | None = None, *, clock: Clock = utc_now) -> App:
    """Migrate the database, load and validate scripts, compile catalogs if needed."""
    settings = settings or Settings()
    await upgrade(settings.database_url)
    scripts = load_dialogs(settings.dialogs_dir, settings.locales_dir)
    compile_catalogs(settings.locales_dir)
    translator = Translator(settings.locales_dir, defaults={"lender": scripts.policy.lender_name})
    engine = create_engine(settings.database_url)
    sessions = session_factory(engine)
    conversations = ConversationService(
        sessions=sessions,
        scripts=scripts,
        translator=translator,
        script_id=settings.script_id,
        clock=clock,
    )
    return App(settings, engine, sessions, scripts, translator, conversations)
