"""Every script and policy version that was ever used, kept by content hash.

Publishing is idempotent: loading `dialogs/` stores a version only when its
text changed, so restarts and several processes add nothing. A conversation
pins the hashes it started with and runs on them until it ends, even after a
newer version is published; a new conversation takes the newest. The
managers' editor will publish through `publish` too.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col

from bot.domain.policy import Policy
from bot.engine.loader import load_policy, load_script
from bot.engine.script import Script
from bot.errors import ConfigurationError
from bot.service.scripts import ScriptSet
from bot.store.tables import ScriptVersionRow

SCRIPT = "script"
POLICY = "policy"


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class Pinned:
    """The script and policy one conversation runs on."""

    script: Script
    policy: Policy


class ScriptRegistry:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._scripts: dict[tuple[str, str], Script] = {}
        self._policies: dict[str, Policy] = {}
        self._newest_script: dict[str, str] = {}
        self._newest_policy = ""

    async def publish(self, loaded: ScriptSet, *, now: datetime) -> None:
        """Keep what changed, then make the published texts the newest versions."""
        for script_id, source in loaded.sources.items():
            digest = content_hash(source)
            label = loaded.scripts[script_id].version
            await self._store(SCRIPT, script_id, digest, label, source, now)
            self._scripts[(script_id, digest)] = _pinned_script(loaded.scripts[script_id], digest)
            self._newest_script[script_id] = digest
        digest = content_hash(loaded.policy_source)
        await self._store(POLICY, POLICY, digest, loaded.policy.version, loaded.policy_source, now)
        self._policies[digest] = loaded.policy
        self._newest_policy = digest

    def newest(self, script_id: str) -> tuple[Script, str]:
        """The newest script and policy hash: what a new conversation starts on."""
        digest = self._newest_script.get(script_id)
        if digest is None:
            raise ConfigurationError(f"no published version of script {script_id!r}")
        return self._scripts[(script_id, digest)], self._newest_policy

    def newest_policy(self) -> Policy:
        """The policy published last (what the clock's jobs go by)."""
        return self._policies[self._newest_policy]

    async def pinned(
        self, session: AsyncSession, script_id: str, script_hash: str, policy_hash: str
    ) -> Pinned:
        """The versions a conversation started with, read through the event's own session.

        A version not in memory (after a restart with changed files, or one another
        process published) is read in the event's transaction: a second session there
        waits for the write lock the event holds on SQLite (BEGIN IMMEDIATE) until it
        fails, and on PostgreSQL takes a second connection per event from the pool.
        """
        script = self._scripts.get((script_id, script_hash))
        if script is None:
            source = await _source(session, SCRIPT, script_id, script_hash)
            if source is None:  # a record from before the registry: run the newest
                script = self.newest(script_id)[0]
            else:
                script = _pinned_script(load_script(source, script_id)[0], script_hash)
                self._scripts[(script_id, script_hash)] = script
        policy = self._policies.get(policy_hash)
        if policy is None:
            source = await _source(session, POLICY, POLICY, policy_hash)
            if source is None:
                policy = self._policies[self._newest_policy]
            else:
                policy = load_policy(source, POLICY)
                self._policies[policy_hash] = policy
        return Pinned(script, policy)

    async def versions(self, name: str) -> list[ScriptVersionRow]:
        async with self._sessions() as session:
            query = (
                select(ScriptVersionRow)
                .where(col(ScriptVersionRow.name) == name)
                .order_by(col(ScriptVersionRow.published_at))
            )
            return list((await session.execute(query)).scalars())

    async def _store(
        self, kind: str, name: str, digest: str, label: str, content: str, now: datetime
    ) -> None:
        try:
            async with self._sessions() as session, session.begin():
                if await session.get(ScriptVersionRow, (kind, name, digest)) is not None:
                    return
                session.add(
                    ScriptVersionRow(
                        kind=kind,
                        name=name,
                        content_hash=digest,
                        label=label,
                        content=content,
                        published_at=now,
                    )
                )
        except IntegrityError:
            return  # another process published the same text at the same moment


async def _source(session: AsyncSession, kind: str, name: str, digest: str) -> str | None:
    row = await session.get(ScriptVersionRow, (kind, name, digest))
    return row.content if row is not None else None


def _pinned_script(script: Script, digest: str) -> Script:
    """The script as conversations see it: its version is the content hash."""
    return script.model_copy(update={"version": digest})
