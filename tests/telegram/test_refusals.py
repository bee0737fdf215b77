"""A message Telegram refuses for good is seen: its reason is logged and kept on the row,
`repaybot outbox failed` lists it, and `repaybot outbox retry` sends it again.

Over both adapters (each library words Telegram's 400 its own way) and both databases.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import col

from bot import commands
from bot.config import Settings
from bot.store.tables import OutboxRow
from tests.telegram.conftest import Harness
from tests.telegram.processes import eventually

ROOT = Path(__file__).resolve().parents[2]
TOO_LONG = "Bad Request: message is too long"


async def _failed(bot: Harness) -> list[OutboxRow]:
    async with bot.app.sessions() as session:
        query = select(OutboxRow).where(col(OutboxRow.status) == "failed")
        return list((await session.execute(query)).scalars())


async def test_a_refused_message_is_failed_with_telegrams_reason_listed_and_retried(
    bot: Harness,
    database_url: str,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    user = bot.tg.user(531, "Alex")
    await user.send_command("/start", await bot.link_token("T-EN"))
    await user.next_messages(timeout=20)
    bot.tg.fail_next("sendMessage", 400, description=TOO_LONG)
    with caplog.at_level(logging.WARNING, logger="bot.service.outbox"):
        await user.send_text("1990-05-17")
        await eventually(lambda: _failed(bot), timeout=20)
    (row,) = await _failed(bot)
    assert row.last_error == "rejected: message is too long"
    logged = [r.getMessage() for r in caplog.records if r.name == "bot.service.outbox"]
    assert any(f"row {row.id} failed" in m and "message is too long" in m for m in logged)
    assert not any("Total due" in m for m in logged)  # the reason, never the text

    settings = Settings(database_url=database_url)
    capsys.readouterr()
    assert await commands.outbox_failed(settings, limit=5) == 0
    listing = capsys.readouterr().out.splitlines()
    assert "REASON" in listing[0]
    (line,) = listing[1:]
    assert line.split()[:3] == [str(row.id), "telegram", "531"]
    assert line.endswith("rejected: message is too long")
    assert "Total due" not in line

    assert await commands.outbox_retry(settings, int(row.id or 0)) == 0
    (statement,) = await user.next_messages(timeout=20)  # the running bot sends it
    assert "Total due" in statement["text"]
    assert await _failed(bot) == []
    capsys.readouterr()
    assert await commands.outbox_retry(settings, int(row.id or 0)) == 1  # sent: nothing to do
    assert "is sent, not failed" in capsys.readouterr().err
    assert len(user.messages) == 2


def _repaybot(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "REPAYBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
        "REPAYBOT_DIALOGS_DIR": str(ROOT / "dialogs"),
        "REPAYBOT_LOCALES_DIR": str(ROOT / "locales"),
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", "outbox", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        timeout=120,
    )


def test_the_outbox_commands_answer_in_one_clear_line(tmp_path: Path) -> None:
    empty = _repaybot(tmp_path, "failed")
    assert (empty.returncode, empty.stdout) == (0, "No failed messages.\n")
    missing = _repaybot(tmp_path, "retry", "999")
    assert (missing.returncode, missing.stderr) == (2, "No outbox message 999.\n")
    bad_limit = _repaybot(tmp_path, "failed", "--limit", "0")
    assert (bad_limit.returncode, bad_limit.stderr) == (2, "--limit 0: show at least 1 row.\n")
    not_a_number = _repaybot(tmp_path, "retry", "abc")
    assert not_a_number.returncode == 2
    assert "invalid int value: 'abc'" in not_a_number.stderr
    assert "Traceback" not in not_a_number.stderr
