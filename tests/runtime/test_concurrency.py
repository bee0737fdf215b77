"""Fifty borrowers writing at the same moment, on SQLite and PostgreSQL (issue 11,
point 5): nobody gets an error because others are writing, every reply is the
scripted one, every plan is saved once."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import func, select

from bot.service.accounts_import import import_accounts
from bot.store.tables import ArrangementRow, EscalationRow
from tests.runtime.conftest import WebChat

BORROWERS = 50
HEADER = (
    "account_id,borrower_name,phone,birth_date,locale,timezone,currency,due_date,"
    "charge_id,charge_kind,charge_description,charge_amount,charge_posted_on\n"
)
# What each borrower types, and what the scripted answer to it must contain.
TURNS = (
    ("/start {token}", "automated assistant"),
    ("1990-05-17", "Total due: $1,200.00"),
    ("I can pay 200 a month", "Shall I set up this plan?"),
    ("yes", "Your plan is set up"),
    ("/help", "/human"),
)


def _portfolio(path: Path) -> Path:
    rows = [
        f"C-{n:03d},Borrower {n},+1555020{n:04d},1990-05-17,en,America/New_York,USD,"
        f"2026-11-10,C-{n:03d}-P,principal,Card balance,1200.00,2026-10-01\n"
        for n in range(BORROWERS)
    ]
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


async def test_fifty_conversations_at_once_each_get_the_scripted_replies(
    web: WebChat, tmp_path: Path
) -> None:
    await import_accounts(web.app.sessions, _portfolio(tmp_path / "fifty.csv"))
    tokens = [await web.link(f"C-{n:03d}") for n in range(BORROWERS)]

    async def converse(n: int) -> list[str]:
        heard = []
        for text, _ in TURNS:
            replies = await web.say(f"b{n}", text.format(token=tokens[n]))
            heard.append(" ".join(r.text for r in replies))
        return heard

    conversations = await asyncio.gather(*(converse(n) for n in range(BORROWERS)))
    for heard in conversations:
        for said, (_, expected) in zip(heard, TURNS, strict=True):
            assert expected in said, (expected, said)
    async with web.app.sessions() as session:
        plans = await session.execute(select(func.count()).select_from(ArrangementRow))
        escalations = await session.execute(select(func.count()).select_from(EscalationRow))
        assert plans.scalar_one() == BORROWERS
        assert escalations.scalar_one() == 0  # no script failure, no apology
