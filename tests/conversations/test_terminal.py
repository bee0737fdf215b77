"""Whole conversations through the terminal channel, in every locale, on a real database."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.bootstrap import App
from bot.channels.terminal import run_chat
from bot.store.tables import ArrangementRow, DisputeRow, EscalationRow, OutboxRow, TranscriptRow

ROOT = Path(__file__).resolve().parents[2]


async def chat(app: App, account: str, lines: list[str], locale: str | None = None) -> str:
    out = io.StringIO()
    source = io.StringIO("".join(line + "\n" for line in lines))
    code = await run_chat(app, account_id=account, locale=locale, source=source, out=out)
    assert code == 0
    return out.getvalue()


async def count(app: App, table: type, **where: object) -> int:
    async with app.sessions() as session:
        query = select(func.count()).select_from(table)
        for name, value in where.items():
            query = query.where(getattr(table, name) == value)
        return int((await session.execute(query)).scalar_one())


PLAN_PATHS = {
    "en": ("T-EN", "1990-05-17", "Total due: $1,320.50", "I can pay 200 a month", "Yes, set it up"),
    "zh_Hans": ("T-HANS", "1985年3月9日", "应还总额：¥8,520.00", "每个月只能还一千", "1"),
    "zh_Hant": ("T-HANT", "1978年12月24日", "HK$6,510.00", "每月還1,500", "1"),
}


# Each statement line with the day its figure is computed to (issue 34 point 5): the
# interest to the day the lender worked it out, a fee on the day it was charged.
LINE_DATES = {
    "en": ("• October interest: $85.50 (through Oct 31, 2026)", "(charged Nov 19, 2026)"),
    "zh_Hans": ("• 利息：¥420.00（计至2026年9月30日）", "• 滞纳金：¥100.00（2026年10月5日收取）"),
    "zh_Hant": (
        "• 利息：HK$210.00（計至2026年10月31日）",
        "• 年費：HK$300.00（2026年11月1日收取）",
    ),
}


@pytest.mark.parametrize("locale", list(PLAN_PATHS))
async def test_verify_statement_and_plan_from_a_monthly_offer(app: App, locale: str) -> None:
    account, birth, total, offer, confirm = PLAN_PATHS[locale]
    out = await chat(app, account, [birth, offer, confirm, "3"])
    assert total in out
    for line in LINE_DATES[locale]:
        assert line in out
    assert "1)" in out  # choices are numbered
    assert await count(app, ArrangementRow, account_id=account, kind="installment_plan") == 1
    assert await count(app, OutboxRow, status="pending") == 0  # all delivered to the terminal


@pytest.mark.rule("R5")
@pytest.mark.parametrize("locale", ["en", "zh_Hans", "zh_Hant"])
async def test_nothing_is_disclosed_before_verification_R5(app: App, locale: str) -> None:
    out = await chat(app, "T-EN", ["", "🙂", "x" * 10_000, "1999-01-01"], locale=locale)
    assert "1,320" not in out and "Alex" not in out and "$" not in out
    assert await count(app, ArrangementRow) == 0


@pytest.mark.rule("R8", "R13", "R17")
async def test_dispute_then_person_then_export(app: App, tmp_path: Path) -> None:
    out = await chat(
        app,
        "T-EN",
        [
            "1990-05-17",
            "Dispute a charge",
            "3",
            "Continue",
            "I never got a late notice",
            "See my account",  # not repeated after the dispute: one tap away (issue 32)
            "agent",
        ],
    )
    assert "Your dispute is recorded (reference" in out
    assert "On hold while we review your dispute: $35.00" in out
    assert await count(app, DisputeRow, account_id="T-EN") == 1
    assert await count(app, EscalationRow, account_id="T-EN", reason="requested") == 1
    assert await count(app, TranscriptRow, direction="in") >= 7


async def test_replaying_the_same_conversation_never_duplicates_arrangements(app: App) -> None:
    lines = ["1990-05-17", "Pay the full amount", "2026-12-05", "Yes, record it"]
    await chat(app, "T-EN", lines)
    await chat(app, "T-EN", lines)
    # Two conversations, two promises; the ids differ because the steps differ.
    assert await count(app, ArrangementRow, account_id="T-EN", kind="promise_to_pay") == 2


async def test_unknown_account_is_a_clear_error(app: App) -> None:
    from bot.errors import AccountMissing

    with pytest.raises(AccountMissing):
        await chat(app, "NOPE", ["hi"])


def test_the_command_works_through_a_pipe(tmp_path: Path) -> None:
    """The installed console script, a new database, the demo portfolio, a piped conversation."""
    env = {**os.environ, "REPAYBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    repaybot = [sys.executable, "-m", "bot"]
    imported = subprocess.run(
        [*repaybot, "accounts", "import", str(ROOT / "data" / "demo_accounts.csv")],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert imported.returncode == 0, imported.stderr
    chat_run = subprocess.run(
        [*repaybot, "chat", "--account", "DEMO-EN-1"],
        input="1990-05-17\n8\n",
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert chat_run.returncode == 0, chat_run.stderr
    assert "automated assistant" in chat_run.stdout
    assert "Total due:" in chat_run.stdout
    exported = subprocess.run(
        [*repaybot, "export", "escalations", "--format", "jsonl"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert exported.returncode == 0, exported.stderr


ChinesePath = tuple[str, str, list[str], str, type | None]
CHINESE_PATHS: dict[str, list[ChinesePath]] = {
    # locale: (account, birth date, lines after verification, text expected, table row)
    "zh_Hans": [
        ("T-HANS", "1985-03-09", ["我失业了", "3"], "很抱歉您现在遇到了困难", None),
        (
            "T-HANS",
            "1985-03-09",
            ["对费用有异议", "3", "继续", "我没有收到逾期通知"],
            "异议已登记（受理编号",
            DisputeRow,
        ),
        ("T-HANS", "1985-03-09", ["我不想活了"], "暂停", EscalationRow),
        ("T-HANS", "1985-03-09", ["申请延期", "1", "是的，请修改"], "新还款日", ArrangementRow),
        (
            "T-HANS",
            "1985-03-09",
            ["一次性还清", "2026年12月1日", "1"],
            "已为您登记",
            ArrangementRow,
        ),
    ],
    "zh_Hant": [
        ("T-HANT", "1978-12-24", ["我失業了"], "很遺憾您目前遇到困難", None),
        (
            "T-HANT",
            "1978-12-24",
            ["對費用有異議", "3", "繼續", "年費不應收取"],
            # T-HANT is a Hong Kong account: 記錄 and 參考編號 (zh_Hant_HK).
            "爭議已記錄（參考編號",
            DisputeRow,
        ),
        ("T-HANT", "1978-12-24", ["我想自殺"], "暫停", EscalationRow),
        ("T-HANT", "1978-12-24", ["投訴"], "投訴已記錄", EscalationRow),
        ("T-HANT", "1978-12-24", ["/language", "English"], "What would you like to do?", None),
    ],
}


@pytest.mark.rule("R8", "R11", "R12", "R15")
@pytest.mark.parametrize(
    ("locale", "case"),
    [(locale, i) for locale, cases in CHINESE_PATHS.items() for i in range(len(cases))],
)
async def test_paths_in_chinese(app: App, locale: str, case: int) -> None:
    account, birth, lines, expected, table = CHINESE_PATHS[locale][case]
    out = await chat(app, account, [birth, *lines])
    assert expected in out, out
    if table is not None:
        assert await count(app, table, account_id=account) == 1
