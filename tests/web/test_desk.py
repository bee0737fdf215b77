"""The queue's order and SLA, the policy's escalation_sla, and the console's
transfer, release and unlock, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy import update

from bot.domain.policy import ESCALATION_REASONS, Policy
from bot.engine.types import EscalationReason
from bot.service import desk, worklist
from bot.store.tables import AccountRow, EscalationRow
from tests.runtime.conftest import NOW
from tests.web.conftest import Console


def test_the_policy_knows_every_escalation_reason() -> None:
    assert {reason.value for reason in EscalationReason} == ESCALATION_REASONS


def _policy(sla: dict[str, Any], base: Policy) -> Policy:
    data = base.model_dump()
    data["escalation_sla"] = sla
    return Policy.model_validate(data)


def test_escalation_sla_is_validated(console: Console) -> None:
    base = console.chat.app.scripts.policy
    assert base.response_times("crisis").first_response_minutes == 5
    assert base.response_times("hardship") == base.escalation_sla["default"]
    times = {"first_response_minutes": 10, "resolution_minutes": 60}
    for bad in (
        {"crisis": times},  # no default
        {"default": times, "lunch": times},  # not a reason
        {"default": {"first_response_minutes": 60, "resolution_minutes": 10}},
        {"default": {"first_response_minutes": 0, "resolution_minutes": 10}},
    ):
        with pytest.raises(ValidationError):
            _policy(bad, base)


async def test_the_queue_puts_crisis_first_then_complaints_then_days_times_amount(
    console: Console,
) -> None:
    requested = await console.escalation("q1", "T-EN")
    other = await console.escalation("q2", "T-HANS", "1985-03-09")
    crisis = await console.escalation("q3", "T-HANT", "1978-12-24")
    app = console.chat.app
    async with app.sessions() as session, session.begin():
        await session.execute(
            update(EscalationRow).where(EscalationRow.ticket == crisis).values(reason="crisis")  # type: ignore[arg-type]
        )
        await session.execute(
            update(EscalationRow)
            .where(EscalationRow.ticket == other)  # type: ignore[arg-type]
            .values(reason="complaint", created_at=NOW - timedelta(hours=5))
        )
        await session.execute(
            update(AccountRow)
            .where(AccountRow.account_id == "T-EN")  # type: ignore[arg-type]
            .values(due_date=(NOW - timedelta(days=40)).date())
        )
        # The rows above were forged behind the writers' backs: weigh the cases as
        # every writer does (an import that moved the due date, bot/service/worklist.py).
        await worklist.reweigh(session, NOW)
    async with app.sessions() as session:
        items = await desk.queue(session, app.scripts.policy, NOW)
        complaints = await desk.queue(
            session, app.scripts.policy, NOW, desk.QueueFilter(reason="complaint")
        )
        hant = await desk.queue(
            session, app.scripts.policy, NOW, desk.QueueFilter(locale="zh_Hant")
        )
    assert [i.ticket for i in items] == [crisis, other, requested]
    assert items[1].sla_state == "late" and items[2].sla_state == "ok"
    assert items[2].days_past_due >= 40
    assert [i.ticket for i in complaints] == [other]
    assert [i.ticket for i in hant] == [crisis]


async def test_transfer_release_and_unlock_from_the_console(console: Console) -> None:
    ticket = await console.escalation("t1")
    app = console.chat.app
    mei, csrf = await console.signed_in("mei")
    ken, ken_csrf = await console.signed_in("ken")
    queue = await mei.get("/queue")
    conversation_id = int(queue.text.split('href="/c/')[1].split('"')[0])
    post = {"ticket": ticket, "csrf": csrf}
    assert (await mei.post(f"/c/{conversation_id}/take", data=post)).status_code == 303
    # ken cannot take what mei holds; mei gives it to ken; ken puts it back in the queue.
    refused = await ken.post(
        f"/c/{conversation_id}/take", data={"ticket": ticket, "csrf": ken_csrf}
    )
    assert refused.status_code == 409
    await mei.post(f"/c/{conversation_id}/transfer", data={**post, "to": "ken"})
    async with app.sessions() as session:
        found = await desk.escalation(session, ticket)
        assert found is not None and found.owner == "agent:ken" and found.status == "taken"
    await ken.post(f"/c/{conversation_id}/release", data={"ticket": ticket, "csrf": ken_csrf})
    async with app.sessions() as session:
        found = await desk.escalation(session, ticket)
        assert found is not None and found.owner == "queue" and found.status == "open"
    # An agent who does not hold it cannot unlock; the holder can.
    async with app.sessions() as session, session.begin():
        await session.execute(
            update(AccountRow)
            .where(AccountRow.account_id == "T-EN")  # type: ignore[arg-type]
            .values(verify_failures=3, verify_locked_until=None)
        )
    assert (await mei.post(f"/c/{conversation_id}/unlock", data=post)).status_code == 403
    await mei.post(f"/c/{conversation_id}/take", data={**post, "key": "again"})
    assert "Unlock verification" in (await mei.get(f"/c/{conversation_id}")).text
    assert (await mei.post(f"/c/{conversation_id}/unlock", data=post)).status_code == 303
    async with app.sessions() as session:
        account = await session.get(AccountRow, "T-EN")
        assert account is not None and account.verify_failures == 0
    sue, sue_csrf = await console.signed_in("sue")
    audit = (await sue.get("/audit")).text
    for action in ("take_over", "transfer", "release", "unlock_verification"):
        assert action in audit
    assert sue_csrf
