"""`repaybot reminders plan|simulate` as a lender runs them: real processes on the
test's database, which the commands only read."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from bot.service.reminders import plan_reminders
from bot.store.tables import AccountRow, OutboxRow, ReminderRow, TranscriptRow
from tests.reminders.conftest import START, Portfolio

ROOT = Path(__file__).resolve().parents[2]


def _run(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "REPAYBOT_DATABASE_URL": database_url, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "bot", "reminders", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


async def _snapshot(portfolio: Portfolio) -> tuple[object, ...]:
    async with portfolio.app.sessions() as session:
        counts = [
            (await session.execute(select(func.count()).select_from(table))).scalar()
            for table in (ReminderRow, OutboxRow, TranscriptRow)
        ]
        accounts = (await session.execute(select(AccountRow))).scalars().all()
        return (*counts, [a.model_dump() for a in accounts])


async def test_simulate_prints_each_message_and_hold_and_changes_nothing(
    portfolio: Portfolio, database_url: str, tmp_path: Path
) -> None:
    await portfolio.link("T-EN", "c1")
    before = await _snapshot(portfolio)
    payments = tmp_path / "payments.csv"
    payments.write_text(
        "account,amount,currency,paid_on,reference\nT-HANT,99999.00,HKD,2026-11-20,R-1\n",
        encoding="utf-8",
    )
    done = _run(
        database_url, "simulate", "--start", "2026-11-10", "--days", "40", "--format", "jsonl",
        "--payments", str(payments),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    sent = [line for line in lines if "send_at" in line]
    en = [line for line in sent if line["account_id"] == "T-EN"]
    assert [line["stage"] for line in en] == ["due_soon", "late_1", "late_3", "late_7", "late_15"]
    first = en[0]
    assert set(first) == {"account_id", "stage", "send_at", "local_time", "timezone", "text_key"}
    assert first["timezone"] == "America/New_York"
    assert first["text_key"] == "repayment.reminder_due_soon.ask_due_soon"
    assert first["send_at"].endswith("Z") and first["local_time"].endswith("-05:00")
    held = {(line["account_id"], line["held_by"]) for line in lines if "held_by" in line}
    assert ("T-EN", "person") in held  # day +30 is a person's
    # T-HANT paid everything on 20 November: nothing after that.
    hant = [line["send_at"] for line in sent if line["account_id"] == "T-HANT"]
    assert hant and max(hant) < "2026-11-21"
    assert ("T-HANT", "nothing_owed") in held
    assert await _snapshot(portfolio) == before


async def test_plan_says_what_is_due_and_what_is_held_by_which_rule(
    portfolio: Portfolio, database_url: str
) -> None:
    await portfolio.link("T-EN", "c1")
    await portfolio.link("T-HANT", "c2")
    async with portfolio.app.sessions() as session, session.begin():
        account = await session.get(AccountRow, "T-HANT")
        assert account is not None
        account.opted_out = True
    rules = portfolio.app.runtime.registry.newest_policy().reminders
    await plan_reminders(portfolio.app.sessions, rules, START)
    (row,) = [r for r in await portfolio.reminders() if r.account_id == "T-EN"]
    assert row.send_at is not None
    at = (row.send_at + timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    done = _run(database_url, "plan", "--at", at)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    due = [line for line in lines if line.startswith("due")]
    assert (
        len(due) == 1 and "T-EN" in due[0] and "late_3" in due[0] and "America/New_York" in due[0]
    )
    (held,) = [line for line in lines if line.startswith("held") and "T-HANT" in line]
    assert "R3: the borrower opted out (STOP)" in held
    assert lines[-1].startswith(f"At {at}: 1 due, 1 held")
    early = _run(database_url, "plan", "--at", "2026-11-22T14:00:00Z", "--format", "jsonl")
    records = [json.loads(line) for line in early.stdout.splitlines()]
    assert {"account_id": "T-EN", "stage": "late_3", "status": "later"}.items() <= records[
        0
    ].items()


def test_bad_arguments_get_one_clear_line(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'x.db'}"
    bad_at = _run(url, "plan", "--at", "next tuesday")
    assert bad_at.returncode == 2 and "write a date-time like" in bad_at.stderr
    no_file = _run(
        url, "simulate", "--start", "2026-12-01", "--days", "3", "--payments", "nope.csv"
    )
    assert no_file.returncode == 2 and "No such file: nope.csv" in no_file.stderr
    no_days = _run(url, "simulate", "--start", "2026-12-01", "--days", "0")
    assert no_days.returncode == 2 and "--days must be 1 or more" in no_days.stderr
