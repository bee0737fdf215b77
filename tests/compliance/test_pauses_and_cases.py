"""R16 as the engine holds it today, and R15's ticket, owner and due date as stored.

R16 in full (a breathing space that no path can get round, set by the import
and the CLI) is the pause guard of issue 16; this file proves what holds now:
an account in breathing space is told collection is paused and is offered no
way to pay, plan or extend from the menu.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlmodel import col

from bot.bootstrap import App
from bot.store.tables import EscalationRow
from tests.conversations.test_terminal import chat
from tests.engine.driver import Driver, make_account

PAYMENT_CHOICES = {"pay_full", "plan", "extension"}


@pytest.mark.rule("R16")
def test_breathing_space_hides_every_payment_choice() -> None:
    d = Driver(account=replace(make_account(), breathing_space=True))
    d.verified_start()
    # Said once, in the breathing space's own sentence (not a second "on hold" one).
    said = d.said()
    assert "repayment.statement.breathing_open" in said
    assert "repayment.statement.paused" not in said
    assert PAYMENT_CHOICES.isdisjoint(d.choices())
    assert "person" in d.choices()  # a person stays reachable (R13)


@pytest.mark.rule("R16")
def test_without_breathing_space_the_same_menu_offers_payment() -> None:
    d = Driver()
    d.verified_start()
    assert "repayment.statement.paused" not in d.said()
    assert set(d.choices()) >= PAYMENT_CHOICES


@pytest.mark.rule("R15")
async def test_a_complaint_is_stored_with_a_ticket_and_a_due_date(app: App) -> None:
    out = await chat(app, "T-EN", ["1990-05-17", "I want to make a complaint"])
    async with app.sessions() as session:
        rows = (
            (
                await session.execute(
                    select(EscalationRow).where(col(EscalationRow.reason) == "complaint")
                )
            )
            .scalars()
            .all()
        )
    (row,) = rows
    days = app.scripts.policy.cases.complaint_answer_days
    assert days <= 15
    assert row.due_on == date(2026, 11, 22) + timedelta(days=days)  # the fixture's day
    assert row.status == "open"
    assert row.owner == "queue"  # owned by the queue until a person takes it
    assert row.ticket and row.ticket in out  # the borrower is given the ticket
    assert f"within {days} days" in out
