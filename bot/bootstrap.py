"""The one place that builds and wires the application (as in cosmicpython).

Entry points (CLI, Telegram, tests) ask for an App and get every part built
the same way: settings, migrated database, validated scripts published in the
version registry, catalogs, the intent model, the runtime and the outbox.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

import bot.store.live  # noqa: F401 - commits announce what changed (the console's live view)
from bot.config import Settings
from bot.i18n.build import compile_catalogs
from bot.i18n.render import Translator
from bot.service.outbox import Outbox, WorkerIdentity
from bot.service.runtime import Runtime
from bot.service.scripts import ScriptSet, load_dialogs
from bot.service.versions import ScriptRegistry
from bot.store.db import create_engine, session_factory, upgrade
from bot.understanding.model import IntentModel
from bot.understanding.train import load_or_train

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class App:
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    scripts: ScriptSet
    translator: Translator
    runtime: Runtime
    outbox: Outbox

    async def close(self) -> None:
        """Sign the outbox worker off (its leases are free at once), then disconnect."""
        await self.outbox.stop()
        await self.engine.dispose()


def button_secret(settings: Settings) -> bytes:
    """Signs button data. Every process of a deployment must derive the same one."""
    if settings.secret_key is not None:
        seed = settings.secret_key.get_secret_value()
    elif settings.telegram_token is not None:
        seed = settings.telegram_token.get_secret_value()
    else:
        seed = settings.database_url
    return hashlib.sha256(b"repaybot-buttons:" + seed.encode()).digest()


async def build_app(
    settings: Settings | None = None,
    *,
    clock: Clock = utc_now,
    worker: WorkerIdentity | None = None,
    model: IntentModel | None = None,
) -> App:
    """Migrate the database, load, validate and publish scripts, wire the runtime.

    `model`: the intent model every message is read with; by default the one
    `make setup` built, rebuilt here first when the training data changed, so
    training happens at start-up, before any transaction, never while a
    message waits (a test passes the one model it loaded for the session)."""
    settings = settings or Settings()
    if model is None:
        model = load_or_train()
    await upgrade(settings.database_url)
    scripts = load_dialogs(settings.dialogs_dir, settings.locales_dir)
    compile_catalogs(settings.locales_dir)  # a no-op when `make setup` compiled them
    policy = scripts.policy
    translator = Translator(
        settings.locales_dir,
        defaults={"lender": policy.lender_name},
        localized={"lender": dict(policy.lender_names)},
    )
    engine = create_engine(settings.database_url)
    sessions = session_factory(engine)
    registry = ScriptRegistry(sessions)
    await registry.publish(scripts, now=clock())
    runtime = Runtime(
        sessions=sessions,
        registry=registry,
        translator=translator,
        button_secret=button_secret(settings),
        clock=clock,
        model=model,
        script_id=settings.script_id,
    )
    if worker is None:
        # A worker id of its own for every process; the node name only groups them.
        worker = WorkerIdentity(node=settings.node_name) if settings.node_name else WorkerIdentity()
    outbox = Outbox(
        sessions=sessions,
        clock=clock,
        worker=worker,
        heartbeat=timedelta(seconds=settings.outbox_heartbeat_seconds),
        dead_after=timedelta(seconds=settings.outbox_dead_after_seconds),
        concurrency=settings.outbox_concurrency,
    )
    await outbox.start()
    return App(settings, engine, sessions, scripts, translator, runtime, outbox)
