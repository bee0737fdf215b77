"""Run the real `repaybot telegram` command as separate processes, to kill and restart
them, or to run several on one database."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path

from bot.bootstrap import build_app
from bot.config import Settings
from bot.service.accounts_import import import_accounts
from bot.service.linking import create_link_token
from tests.telegram.conftest import FIXTURES, clock

ROOT = Path(__file__).resolve().parents[2]


async def prepare(database_url: str, accounts: list[str]) -> list[str]:
    """Migrate, import the fixture portfolio, and make one link per account named."""
    app = await build_app(Settings(database_url=database_url), clock=clock)
    try:
        await import_accounts(app.sessions, FIXTURES / "accounts.csv")
        tokens = []
        for account in accounts:
            async with app.sessions() as session, session.begin():
                tokens.append(
                    await create_link_token(session, account_id=account, now=clock(), valid_days=60)
                )
        return tokens
    finally:
        await app.close()


class BotProcess:
    def __init__(
        self, env: dict[str, str], args: list[str], cwd: Path, log: Path | None = None
    ) -> None:
        self._env = env
        self._args = args
        self._cwd = cwd
        self._log = log
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        stderr = self._log.open("ab") if self._log is not None else asyncio.subprocess.DEVNULL
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "telegram",
            *self._args,
            env=self._env,
            cwd=self._cwd,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=stderr,
        )
        if not isinstance(stderr, int):
            stderr.close()  # the child has its own copy

    async def kill(self) -> None:
        """SIGKILL: no clean-up, no finally blocks, as a crash or an OOM kill."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        await self.process.wait()

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), 20)
            except TimeoutError:
                await self.kill()


def bot_env(database_url: str, token: str, api_url: str, **extra: str) -> dict[str, str]:
    """The default configuration, as a deployment would run it: no node name, so every
    process on this host is on the same node (the hostname), as in production."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("REPAYBOT_")}
    return {
        **inherited,
        "PYTHONPATH": str(ROOT),
        "REPAYBOT_DATABASE_URL": database_url,
        "REPAYBOT_TELEGRAM_TOKEN": token,
        "REPAYBOT_TELEGRAM_API_URL": api_url,
        "REPAYBOT_TELEGRAM_POLL_TIMEOUT": "1",
        "REPAYBOT_DIALOGS_DIR": str(ROOT / "dialogs"),
        "REPAYBOT_LOCALES_DIR": str(ROOT / "locales"),
        **extra,
    }


async def eventually(condition: Callable[[], object], timeout: float = 30.0) -> None:
    for _ in range(int(timeout / 0.1)):
        if await _value(condition):
            return
        await asyncio.sleep(0.1)
    raise AssertionError("condition not met in time")


async def _value(condition: Callable[[], object]) -> object:
    result = condition()
    if asyncio.iscoroutine(result):
        return await result
    return result
