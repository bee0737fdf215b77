"""Planning a large portfolio at a terminal (issue 28 point 7, issue 31 point 8): `reminders
plan` draws a bar on stderr only when a person watches, says how far it has come in
accounts, and warns when a day's reminders need more than the sending rate."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.cadence import ContactRules, RemindersPolicy
from bot.service.link_batch import create_unlinked_links
from bot.service.reminders import plan_reminders
from bot.service.reminders.planner import PlanReport
from bot.service.reminders.preview import preview
from bot.store.tables import AccountRow, ChannelLinkRow, ChargeRow, ConversationRow, table_of
from tests.terminal import ROOT, Heard, cli_env, on_a_terminal

Sessions = async_sessionmaker[AsyncSession]
NOW = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)  # 11:00 in Shanghai
# The last minute of the day only, at one message a second: 61 reminders in one
# Shanghai day cannot fit, 59 can.
NARROW = ContactRules(start=time(20, 59), end=time(21, 0), rate_per_second=1)


async def _linked_portfolio(sessions: Sessions, count: int, unlinked: int = 0) -> None:
    """`count` Shanghai accounts a day late, each with a charge and a linked chat, and
    `unlinked` more with no chat; written straight into the tables."""
    rows: dict[str, list[dict[str, Any]]] = {"a": [], "c": [], "v": [], "l": []}
    for n in range(count + unlinked):
        account = f"L-{n:04d}"
        rows["a"].append(
            {
                "account_id": account, "borrower_name": f"Borrower {n}",
                "phone": f"+86138{n:08d}", "birth_date": date(1990, 5, 17), "locale": "zh_Hans",
                "locale_chosen": False, "timezone": "Asia/Shanghai", "currency": "CNY",
                "due_date": NOW.date() - timedelta(days=1), "extensions_used": 0,
                "collection_paused": False, "breathing_space": False, "opted_out": False,
                "unreachable": False, "verify_failures": 0, "created_at": NOW, "updated_at": NOW,
            }
        )  # fmt: skip
        rows["c"].append(
            {
                "account_id": account, "charge_id": f"{account}-P", "kind": "principal",
                "description": "Card balance", "amount": Decimal("800.00"),
                "posted_on": date(2026, 10, 1),
            }
        )  # fmt: skip
        if n >= count:
            continue
        rows["v"].append(
            {
                "channel": "telegram", "chat_key": str(n + 1), "account_id": account,
                "user_key": str(n + 1), "owner": "bot", "script_id": "repayment",
                "script_version": "v", "policy_version": "", "locale": "zh_Hans", "frames": [],
                "choices": [], "vars": {}, "step": 0, "failed_inputs": 0, "verified": True,
                "ended": False, "started": True, "created_at": NOW, "updated_at": NOW,
            }
        )  # fmt: skip
        rows["l"].append(
            {"channel": "telegram", "user_key": str(n + 1), "account_id": account,
             "linked_via": "token", "linked_at": NOW}
        )  # fmt: skip
    tables = [table_of(t) for t in (AccountRow, ChargeRow, ConversationRow, ChannelLinkRow)]
    async with sessions() as session, session.begin():
        for table, key in zip(tables, "acvl", strict=True):
            if rows[key]:
                await session.execute(table.insert(), rows[key])


async def test_the_planner_warns_when_a_days_reminders_cannot_fit_and_not_before(
    sessions: Sessions,
) -> None:
    await _linked_portfolio(sessions, 61)
    rules = RemindersPolicy(contact=NARROW)
    report = await plan_reminders(sessions, rules, NOW)
    assert report.queued == 61
    (warning,) = report.warnings(rules)
    assert "need 1.0 messages a second" in warning and "above the 1 a second" in warning
    # Each reminder lands inside that one minute, spread over it, not all at its start.
    peak = report.peak()
    assert peak is not None and peak.at == datetime(2026, 12, 7, 12, 59, tzinfo=UTC)
    assert report.warnings(RemindersPolicy(contact=NARROW.model_copy(update={"start": time(20)})))
    roomy = RemindersPolicy(contact=NARROW.model_copy(update={"rate_per_second": 2}))
    assert report.warnings(roomy) == []


async def test_the_preview_tells_the_accounts_looked_at_and_adds_up_the_load(
    sessions: Sessions,
) -> None:
    await _linked_portfolio(sessions, 61, unlinked=4)
    heard, load = Heard(), PlanReport()
    rules = RemindersPolicy(contact=NARROW)
    lines = [line async for line in preview(sessions, rules, NOW, heard, load)]
    assert len([line for line in lines if line.status == "new"]) == 61
    assert heard.calls[0] == (0, 65) and heard.calls[-1] == (65, 65)  # the unlinked too
    assert load.warnings(rules)


async def test_links_for_the_unlinked_tell_their_progress(sessions: Sessions) -> None:
    await _linked_portfolio(sessions, 3, unlinked=5)
    heard, out = Heard(), io.StringIO()
    count = await create_unlinked_links(
        sessions, username="lender_bot", channel="telegram", now=NOW, valid_days=7,
        fmt="csv", out=out, progress=heard,
    )  # fmt: skip
    assert count == 5
    assert heard.calls == [(0, 5), (5, 5)]


def _narrow_dialogs(tmp_path: Path) -> Path:
    """The shipped dialogs with the policy's hours cut to one minute at one a second."""
    dialogs = tmp_path / "dialogs"
    shutil.copytree(ROOT / "dialogs", dialogs)
    policy = dialogs / "policy.yaml"
    text = policy.read_text(encoding="utf-8")
    for old, new in (
        ('start: "08:00"', 'start: "20:59"'),
        ("rate_per_second: 30", "rate_per_second: 1"),
    ):
        assert old in text
        text = text.replace(old, new)
    policy.write_text(text, encoding="utf-8")
    return dialogs


def _plan_command() -> list[str]:
    return [sys.executable, "-m", "bot", "reminders", "plan", "--at", "2026-12-07T03:00:00Z"]


async def test_plan_piped_prints_the_plan_and_the_warning_and_draws_no_bar(
    sessions: Sessions, database_url: str, tmp_path: Path
) -> None:
    await _linked_portfolio(sessions, 61)
    done = _piped(_plan_command(), cli_env(database_url, _narrow_dialogs(tmp_path)))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "At 2026-12-07T03:00:00Z: 61 new."
    assert "Warning: the reminders planned need 1.0 messages a second" in done.stderr
    assert "Looking at accounts" not in done.stderr and "\x1b[" not in done.stderr


def _piped(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def _on_a_terminal(command: list[str], env: dict[str, str], out: Path) -> str:
    """Run with stderr on a pseudo-terminal and stdout into a file; what it drew."""
    with out.open("w", encoding="utf-8") as stdout:
        return on_a_terminal(command, env, stdout)


async def test_plan_at_a_terminal_draws_the_bar_and_still_writes_the_plan_to_its_file(
    sessions: Sessions, database_url: str, tmp_path: Path
) -> None:
    await _linked_portfolio(sessions, 3)
    env = cli_env(database_url)
    out = tmp_path / "plan.txt"
    assert "Looking at accounts" in _on_a_terminal(_plan_command(), env, out)
    assert out.read_text(encoding="utf-8").splitlines()[-1] == "At 2026-12-07T03:00:00Z: 3 new."
    assert "Looking at accounts" not in _on_a_terminal(_plan_command(), {**env, "CI": "1"}, out)
