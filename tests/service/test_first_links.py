"""Links for borrowers not linked yet (issue 31 point 6), through `repaybot` itself.

`repaybot links create --unlinked` writes one working single-use link per account
with no chat; `repaybot link` names the bot from what the database keeps, asking
Telegram (the local stand-in) once, never again, and never loading a framework.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.cli import main
from bot.service.linking import LinkOutcome, redeem_token
from bot.store.tables import LinkTokenRow
from tests.telegram.fake_bot_api import BOT_USERNAME, FakeTelegram

ROOT = Path(__file__).resolve().parents[2]
ACCOUNTS = ROOT / "tests" / "fixtures" / "accounts.csv"


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as fake:
        yield fake


@pytest.fixture
def env(
    monkeypatch: pytest.MonkeyPatch, database_url: str, telegram: FakeTelegram
) -> dict[str, str]:
    values = {
        "REPAYBOT_DATABASE_URL": database_url,
        "REPAYBOT_TELEGRAM_TOKEN": telegram.token,
        "REPAYBOT_TELEGRAM_API_URL": telegram.base_url,
    }
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    return values


async def _repaybot(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = await asyncio.to_thread(main, list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _token(link: str) -> str:
    parts = urlsplit(link)
    assert parts.netloc == "t.me" and parts.path == f"/{BOT_USERNAME}"
    return parse_qs(parts.query)["start"][0]


async def _account_ids(capsys: pytest.CaptureFixture[str]) -> list[str]:
    code, _, _ = await _repaybot(capsys, "accounts", "import", str(ACCOUNTS))
    assert code == 0
    with ACCOUNTS.open(encoding="utf-8") as rows:
        return sorted({row["account_id"] for row in csv.DictReader(rows)})


async def test_every_unlinked_account_gets_one_working_single_use_link(
    env: dict[str, str],
    sessions: async_sessionmaker[AsyncSession],
    capsys: pytest.CaptureFixture[str],
) -> None:
    accounts = await _account_ids(capsys)
    linked_already = accounts[0]
    code, out, _ = await _repaybot(capsys, "link", linked_already)
    assert code == 0
    now = datetime.now(UTC)
    async with sessions() as session, session.begin():
        first = await redeem_token(
            session, token=_token(out.strip()), channel="telegram", user_key="900", now=now
        )
    assert first.outcome is LinkOutcome.LINKED

    code, out, err = await _repaybot(capsys, "links", "create", "--unlinked")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [row["account_id"] for row in rows] == accounts[1:]
    assert err.strip() == f"{len(accounts) - 1} links created for accounts not linked yet."
    async with sessions() as session, session.begin():
        for user, row in enumerate(rows, start=1000):
            expires = datetime.fromisoformat(row["expires_at"])
            assert 6 <= (expires - now).days <= 7
            token = _token(row["link"])
            result = await redeem_token(
                session, token=token, channel="telegram", user_key=str(user), now=now
            )
            assert (result.outcome, result.account_id) == (LinkOutcome.LINKED, row["account_id"])
            again = await redeem_token(
                session, token=token, channel="telegram", user_key="666", now=now
            )
            assert again.outcome is LinkOutcome.USED

    # All linked now: a second run makes no link at all.
    code, out, err = await _repaybot(capsys, "links", "create", "--unlinked", "--format", "jsonl")
    assert (code, out) == (0, "")
    assert err.strip() == "0 links created for accounts not linked yet."


async def test_links_as_json_lines_into_a_file_hold_only_hashes_in_the_database(
    env: dict[str, str],
    sessions: async_sessionmaker[AsyncSession],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    accounts = await _account_ids(capsys)
    target = tmp_path / "first-links.jsonl"
    code, out, _ = await _repaybot(
        capsys,
        "links",
        "create",
        "--unlinked",
        "--format",
        "jsonl",
        "--days",
        "14",
        "--output",
        str(target),
    )
    assert (code, out) == (0, "")
    lines = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert [line["account_id"] for line in lines] == accounts
    tokens = {_token(line["link"]) for line in lines}
    assert len(tokens) == len(accounts)
    async with sessions() as session:
        stored = set((await session.execute(select(LinkTokenRow.token_hash))).scalars())  # type: ignore[call-overload]
    assert len(stored) == len(accounts)
    assert not tokens & stored  # the database never holds a working link


async def test_link_asks_telegram_for_the_bots_name_once_and_never_again(
    env: dict[str, str], telegram: FakeTelegram, capsys: pytest.CaptureFixture[str]
) -> None:
    accounts = await _account_ids(capsys)
    for account in accounts[:3]:
        code, out, _ = await _repaybot(capsys, "link", account)
        assert code == 0
        assert out.startswith(f"https://t.me/{BOT_USERNAME}?start=")
    assert len(telegram.method_calls("getMe")) == 1
    await _repaybot(capsys, "links", "create", "--unlinked")
    assert len(telegram.method_calls("getMe")) == 1


async def test_a_kept_name_needs_no_telegram_and_a_wrong_token_is_one_line(
    env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    accounts = await _account_ids(capsys)
    monkeypatch.setenv("REPAYBOT_TELEGRAM_TOKEN", "999:NOT-THE-BOT")
    code, out, err = await _repaybot(capsys, "links", "create", "--unlinked")
    assert (code, out) == (1, "")
    assert err.startswith("Telegram rejected the bot token") and err.count("\n") == 1

    monkeypatch.setenv("REPAYBOT_TELEGRAM_TOKEN", env["REPAYBOT_TELEGRAM_TOKEN"])
    assert (await _repaybot(capsys, "link", accounts[0]))[0] == 0  # the name is kept now
    monkeypatch.setenv("REPAYBOT_TELEGRAM_API_URL", "http://127.0.0.1:9")  # nothing listens
    code, out, _ = await _repaybot(capsys, "link", accounts[1])
    assert code == 0 and _token(out.strip())


async def test_an_unknown_account_gets_no_link(
    env: dict[str, str],
    sessions: async_sessionmaker[AsyncSession],
    capsys: pytest.CaptureFixture[str],
) -> None:
    await _account_ids(capsys)
    code, out, err = await _repaybot(capsys, "link", "NO-SUCH")
    assert (code, out, err) == (2, "", "No account 'NO-SUCH'.\n")
    async with sessions() as session:
        count = (await session.execute(select(func.count()).select_from(LinkTokenRow))).scalar()
    assert count == 0


async def test_repaybot_link_loads_no_framework_and_no_model(
    env: dict[str, str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """What made `repaybot link` take seconds: importing aiogram to ask getMe (and
    building the whole bot: scripts, the intent model). Python lists every module a
    run imports under -X importtime; none of those may be among them."""
    accounts = await _account_ids(capsys)
    assert (await _repaybot(capsys, "link", accounts[0]))[0] == 0  # the name is kept now
    done = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-X", "importtime", "-m", "bot", "link", accounts[1]],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert _token(done.stdout.strip())
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()}
    heavy = ("aiogram", "telegram", "sklearn", "fastapi", "bot.understanding", "bot.bootstrap")
    assert "bot.commands" in imported
    assert not [name for name in imported if name.startswith(heavy)]
