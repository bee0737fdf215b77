"""R9, R10: texts the lender supplies are linted at import, like any bad row.

A charge description or a borrower's name is shown to the borrower word for
word, so a threat in the lender's file is refused with its line and the class
of problem, and the refusal never repeats the text (it may hold personal data).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.compliance import lender_text_problem
from bot.service.accounts_import import ImportRejected, import_accounts
from bot.store.tables import AccountRow

Sessions = async_sessionmaker[AsyncSession]
HEADER = (
    "account_id,borrower_name,phone,birth_date,locale,timezone,currency,due_date,"
    "charge_id,charge_kind,charge_description,charge_amount,charge_posted_on\n"
)
ACCOUNT = "L1,{name},+15551230001,1985-03-09,en,America/New_York,USD,2026-10-01,"
THREAT = "Pay within 2 hours or we will tell your employer and the police"


async def _accounts(sessions: Sessions) -> int:
    async with sessions() as session:
        return int(
            (await session.execute(select(func.count()).select_from(AccountRow))).scalar_one()
        )


@pytest.mark.rule("R9", "R10")
async def test_a_threatening_charge_description_is_refused_with_its_line(
    sessions: Sessions, tmp_path: Path
) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        HEADER
        + ACCOUNT.format(name="Sue Chan")
        + "L1-P,principal,Card balance,900.00,2026-09-01\n"
        + ACCOUNT.format(name="Sue Chan")
        + f"L1-F,late_fee,{THREAT},50.00,2026-09-15\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportRejected) as rejected:
        await import_accounts(sessions, path)
    (problem,) = rejected.value.problems
    assert (problem.line, problem.field) == (3, "charge_description")
    assert "R9: contacting third parties" in problem.reason
    assert "R10: deadline shorter than the policy's minimum" in problem.reason
    assert "employer" not in problem.reason and "2 hours" not in problem.reason
    assert await _accounts(sessions) == 0


@pytest.mark.rule("R9")
async def test_a_threat_in_a_jsonl_charge_or_a_name_is_refused_without_echo(
    sessions: Sessions, tmp_path: Path
) -> None:
    record = {
        "account_id": "L2",
        "borrower_name": "陈嘉慧 我们会通知你的家人",
        "phone": "+8613800000001",
        "birth_date": "1985-03-09",
        "locale": "zh-Hans",
        "timezone": "Asia/Shanghai",
        "currency": "CNY",
        "due_date": "2026-10-01",
        "charges": [
            {
                "charge_id": "P",
                "kind": "principal",
                "description": "信用卡欠款",
                "amount": "800.00",
                "posted_on": "2026-09-01",
            },
            {
                "charge_id": "F",
                "kind": "late_fee",
                "description": "逾期费，再不还就起诉你",
                "amount": "50.00",
                "posted_on": "2026-09-15",
            },
        ],
    }
    path = tmp_path / "export.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as rejected:
        await import_accounts(sessions, path)
    found = {(p.line, p.field) for p in rejected.value.problems}
    assert found == {(1, "borrower_name"), (1, "charge_description")}
    for problem in rejected.value.problems:
        assert "R9" in problem.reason
        assert "家人" not in problem.reason and "起诉" not in problem.reason
    assert await _accounts(sessions) == 0


@pytest.mark.rule("R9")
async def test_honest_descriptions_and_names_import(sessions: Sessions, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        HEADER
        + ACCOUNT.format(name="Sue Court")
        + "L1-P,principal,Card balance,900.00,2026-09-01\n"
        + ACCOUNT.format(name="Sue Court")
        + "L1-F,late_fee,Late fee for September,50.00,2026-09-15\n",
        encoding="utf-8",
    )
    await import_accounts(sessions, path)
    assert await _accounts(sessions) == 1


@pytest.mark.parametrize(
    ("text", "is_name", "refused"),
    [
        ("Sue", True, False),  # a name, not "sue you"
        ("Sue", False, True),
        ("Annual fee", False, False),
        ("Pay today or we sue", True, True),
    ],
)
def test_a_capitalised_word_alone_in_a_name_is_a_name(
    text: str, is_name: bool, refused: bool
) -> None:
    assert (lender_text_problem(text, is_name=is_name) is not None) is refused
