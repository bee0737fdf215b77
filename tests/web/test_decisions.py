"""A person's decisions from the console and the API (issue 29 point 4), on SQLite
and PostgreSQL: an arrangement outside the bot's policy within the role's limits or
approved by a supervisor above them, and a dispute decided. Each step is audited and
the borrower is told in their language."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlmodel import col

from bot.service import audit, desk
from bot.store.repositories import read_account
from bot.store.tables import (
    ArrangementRequestRow,
    ArrangementRow,
    ChargeRow,
    DisputeRow,
)
from tests.runtime.conftest import CHANNEL, NOW
from tests.web.conftest import Console


async def _taken(
    console: Console, user: str, account: str, birth: str
) -> tuple[httpx.AsyncClient, str, str, int]:
    """A borrower asks for a person and mei takes it in the console."""
    ticket = await console.escalation(user, account, birth)
    agent, csrf = await console.signed_in("mei")
    async with console.chat.app.sessions() as session:
        found = await desk.escalation(session, ticket)
    assert found is not None and found.conversation_id is not None
    conversation_id = found.conversation_id
    taken = await agent.post(f"/c/{conversation_id}/take", data={"ticket": ticket, "csrf": csrf})
    assert taken.status_code == 303
    await console.chat.app.outbox.deliver_chat(CHANNEL, user)
    return agent, csrf, ticket, conversation_id


def _plan(ticket: str, csrf: str, **fields: Any) -> dict[str, Any]:
    return {
        "ticket": ticket,
        "csrf": csrf,
        "kind": "installment_plan",
        "reason": "Lost her job in October; agreed on the phone",
        "first_due": "2026-12-01",
        **fields,
    }


async def _rows(console: Console, table: Any, **where: Any) -> list[Any]:
    async with console.chat.app.sessions() as session:
        query = select(table)
        for name, value in where.items():
            query = query.where(getattr(table, name) == value)
        return list((await session.execute(query)).scalars())


async def _said(console: Console, user: str) -> list[str]:
    await console.chat.app.outbox.deliver_chat(CHANNEL, user)
    return [m.text for m in console.chat.sender.sent[user]]


async def _audited(console: Console) -> list[Any]:
    async with console.chat.app.sessions() as session:
        return await audit.recent(session)


# ---- arrangements outside the policy ----


async def test_an_agent_records_a_plan_within_their_limits_and_the_borrower_is_told(
    console: Console,
) -> None:
    agent, csrf, ticket, conversation_id = await _taken(console, "d1", "T-HANS", "1985-03-09")
    # The key the page's own form carries (it must fit the 40 characters a key may have).
    page = await agent.get(f"/c/{conversation_id}")
    found = re.search(r'action="/c/\d+/arrangement">.*?name="key" value="([^"]+)"', page.text, re.S)
    assert found is not None
    form = _plan(ticket, csrf, amount="8520.00", count="12", key=found.group(1))
    done = await agent.post(f"/c/{conversation_id}/arrangement", data=form)
    assert done.status_code == 303, done.text
    (arrangement,) = await _rows(console, ArrangementRow, account_id="T-HANS")
    assert arrangement.status == "active" and arrangement.kind == "installment_plan"
    assert len(arrangement.installments) == 12
    assert sum(Decimal(i["amount"]) for i in arrangement.installments) == Decimal("8520.00")
    (request,) = await _rows(console, ArrangementRequestRow)
    assert request.status == "recorded" and request.arrangement_id == arrangement.id
    assert request.decided_by == "mei" and request.terms["beyond"] == []
    said = await _said(console, "d1")
    assert "还款计划" in said[-1] and "12" in said[-1] and arrangement.id in said[-1]
    # The same form sent twice (a double click): one request, one message.
    again = await agent.post(f"/c/{conversation_id}/arrangement", data=form)
    assert again.status_code == 303
    assert len(await _rows(console, ArrangementRequestRow)) == 1
    assert len(await _rows(console, ArrangementRow)) == 1
    assert await _said(console, "d1") == said
    actions = [line.action for line in await _audited(console)]
    assert actions.count("arrangement_request") == 1 and actions.count("arrangement_record") == 1
    page = await agent.get(f"/c/{conversation_id}")
    assert request.id in page.text and "Recorded" in page.text


async def test_above_an_agents_limits_it_waits_until_a_supervisor_approves(
    console: Console,
) -> None:
    agent, csrf, ticket, conversation_id = await _taken(console, "d2", "T-EN", "1990-05-17")
    told = await _said(console, "d2")
    # 1,200 of 1,320.50 owed: a discount, which an agent may not give alone.
    form = _plan(ticket, csrf, amount="1200", count="6", key="plan-2")
    assert (await agent.post(f"/c/{conversation_id}/arrangement", data=form)).status_code == 303
    (request,) = await _rows(console, ArrangementRequestRow)
    assert request.status == "pending" and request.terms["beyond"] == ["max_discount_percent"]
    assert await _rows(console, ArrangementRow) == []
    assert await _said(console, "d2") == told  # the borrower hears nothing yet
    # An agent cannot approve: no page, no route, no button.
    assert (await agent.get("/approvals")).status_code == 403
    refused = await agent.post(f"/approvals/{request.id}/approve", data={"csrf": csrf})
    assert refused.status_code == 403
    page = await agent.get(f"/c/{conversation_id}")
    assert "Waiting for approval" in page.text and "/approvals/" not in page.text
    assert 'href="/approvals"' not in page.text
    # A supervisor sees it in the queue and on the approvals page, and approves.
    supervisor, token = await console.signed_in("sue")
    assert "waiting for your approval: 1" in (await supervisor.get("/queue")).text
    listed = await supervisor.get("/approvals")
    assert request.id in listed.text and "largest discount" in listed.text
    approved = await supervisor.post(
        f"/approvals/{request.id}/approve", data={"csrf": token, "note": "hardship"}
    )
    assert approved.status_code == 303
    (arrangement,) = await _rows(console, ArrangementRow)
    assert arrangement.amount == Decimal("1200") and len(arrangement.installments) == 6
    (request,) = await _rows(console, ArrangementRequestRow)
    assert request.status == "recorded" and request.decided_by == "sue"
    assert request.decision_note == "hardship"
    said = await _said(console, "d2")
    assert len(said) == len(told) + 1
    assert "payment plan is set up" in said[-1] and "$1,200.00" in said[-1]
    # Decided once: a second approval is refused and changes nothing.
    twice = await supervisor.post(f"/approvals/{request.id}/approve", data={"csrf": token})
    assert twice.status_code == 409
    assert len(await _rows(console, ArrangementRow)) == 1
    lines = {line.action: line for line in await _audited(console)}
    assert lines["arrangement_approve"].before == {"status": "pending"}
    assert lines["arrangement_approve"].after is not None
    assert lines["arrangement_approve"].after["status"] == "approved"
    assert lines["arrangement_record"].after is not None
    assert lines["arrangement_record"].after["arrangement"] == arrangement.id


async def test_a_supervisor_cannot_approve_past_their_own_limits_but_can_reject(
    console: Console,
) -> None:
    agent, csrf, ticket, conversation_id = await _taken(console, "d3", "T-EN", "1990-05-17")
    told = await _said(console, "d3")
    form = _plan(ticket, csrf, amount="600", count="3", key="plan-3")  # over half written off
    await agent.post(f"/c/{conversation_id}/arrangement", data=form)
    (request,) = await _rows(console, ArrangementRequestRow)
    supervisor, token = await console.signed_in("sue")
    past = await supervisor.post(f"/approvals/{request.id}/approve", data={"csrf": token})
    assert past.status_code == 403
    assert (await _rows(console, ArrangementRequestRow))[0].status == "pending"
    rejected = await supervisor.post(
        f"/approvals/{request.id}/reject", data={"csrf": token, "note": "too much"}
    )
    assert rejected.status_code == 303
    assert (await _rows(console, ArrangementRequestRow))[0].status == "rejected"
    assert await _rows(console, ArrangementRow) == []
    assert await _said(console, "d3") == told
    assert "Nothing waits for approval." in (await supervisor.get("/approvals")).text


async def test_bad_terms_get_a_clear_answer_and_change_nothing(console: Console) -> None:
    ticket = await console.escalation("d4")
    async with console.api() as api:
        await api.post(f"/api/escalations/{ticket}/take")
        path = f"/api/escalations/{ticket}/arrangement"
        base = {"kind": "installment_plan", "reason": "agreed", "first_due": "2026-12-01"}
        for bad, why in (
            ({**base, "amount": "5000", "count": 3}, "at most"),  # more than is owed
            ({**base, "amount": "0", "count": 3}, "above 0"),
            ({**base, "amount": "NaN", "count": 3}, "finite"),
            ({**base, "amount": "100", "first_due": "2026-01-01"}, "today or later"),
            ({**base, "amount": "100", "count": 0}, ""),
            ({**base, "amount": "100", "reason": ""}, ""),
            ({**base, "amount": "100", "kind": "gift"}, ""),
            ({**base, "kind": "extension", "new_due": "2026-11-01"}, "after the current"),
            ({**base, "amount": "100", "hack": "<script>"}, ""),
        ):
            answer = await api.post(path, json=bad)
            assert answer.status_code == 422, (bad, answer.text)
            assert why in answer.json()["error"], answer.json()
    agent, csrf = await console.signed_in("mei")
    async with console.chat.app.sessions() as session:
        found = await desk.escalation(session, ticket)
    assert found is not None
    path = f"/c/{found.conversation_id}/arrangement"
    not_mine = await agent.post(path, data=_plan(ticket, csrf, amount="100"))
    assert not_mine.status_code == 403  # the API token holds it, not mei
    supervisor, token = await console.signed_in("sue")
    typo = await supervisor.post(path, data=_plan(ticket, token, amount="1,2,x"))
    assert typo.status_code == 422 and "not a number" in typo.text
    assert await _rows(console, ArrangementRequestRow) == []
    assert await _rows(console, ArrangementRow) == []


async def test_the_api_records_within_limits_and_supervisors_approve_the_rest(
    console: Console,
) -> None:
    ticket = await console.escalation("d5", "T-HANT", "1978-12-24")
    async with console.api() as api, console.api("supervisor") as boss:
        await api.post(f"/api/escalations/{ticket}/take")
        path = f"/api/escalations/{ticket}/arrangement"
        promise = {"kind": "promise_to_pay", "reason": "salary on the 30th", "amount": "6510"}
        made = await api.post(
            path, json={**promise, "first_due": "2026-11-30"}, headers={"Idempotency-Key": "p-1"}
        )
        assert made.status_code == 201 and made.json()["status"] == "recorded"
        same = await api.post(
            path, json={**promise, "first_due": "2026-11-30"}, headers={"Idempotency-Key": "p-1"}
        )
        assert same.json()["request"] == made.json()["request"]
        longer = {"kind": "extension", "reason": "hospital stay", "new_due": "2027-01-31"}
        waiting = await api.post(path, json=longer)
        assert waiting.status_code == 201 and waiting.json()["status"] == "pending"
        assert waiting.json()["beyond"] == ["max_extension_days"]
        assert (await api.get("/api/approvals")).status_code == 403
        listed = (await boss.get("/api/approvals")).json()["items"]
        assert [item["request"] for item in listed] == [waiting.json()["request"]]
        approved = await boss.post(f"/api/approvals/{waiting.json()['request']}/approve")
        assert approved.status_code == 200 and approved.json()["status"] == "recorded"
        again = await boss.post(f"/api/approvals/{waiting.json()['request']}/reject")
        assert again.status_code == 409 and "decided already" in again.json()["error"]
    arrangements = await _rows(console, ArrangementRow, account_id="T-HANT")
    assert sorted(a.status for a in arrangements) == ["active", "superseded"]
    said = await _said(console, "d5")
    assert "繳款日已延至" in said[-1] and "2027年1月31日" in said[-1]
    assert "6,510" in said[-2] or "6510" in said[-2]


# ---- disputes ----


async def _dispute(console: Console, account: str, charge: str, amount: str, currency: str) -> str:
    """A dispute as the bot records it (R8): the case, and the charge held."""
    async with console.chat.app.sessions() as session, session.begin():
        session.add(
            DisputeRow(
                id="D-TEST1",
                account_id=account,
                charge_ids=[charge],
                amount=Decimal(amount),
                currency=currency,
                reason="I never agreed to this fee",
                status="open",
                answer_due_on=NOW.date(),
                created_at=NOW,
            )
        )
        await session.flush()
        found = await session.get(ChargeRow, (account, charge))
        assert found is not None
        found.dispute_id = "D-TEST1"
    return "D-TEST1"


async def _collectible(console: Console, account: str) -> Decimal:
    async with console.chat.app.sessions() as session:
        read = await read_account(session, account_id=account, now=NOW)
    assert read is not None
    return read[0].collectible_total


@pytest.mark.rule("R8")
async def test_r8_a_dispute_upheld_lifts_the_hold_and_the_borrower_is_told(
    console: Console,
) -> None:
    agent, csrf, ticket, conversation_id = await _taken(console, "d6", "T-EN", "1990-05-17")
    dispute = await _dispute(console, "T-EN", "T-EN-F", "35.00", "USD")
    assert await _collectible(console, "T-EN") == Decimal("1285.50")
    page = await agent.get(f"/c/{conversation_id}")
    assert "Charges stand: lift the hold" in page.text
    key = re.search(r'action="/c/\d+/dispute".*?name="key" value="([^"]+)"', page.text, re.S)
    assert key is not None
    form = {"ticket": ticket, "csrf": csrf, "dispute": dispute, "decision": "upheld"}
    form["key"] = key.group(1)
    assert (await agent.post(f"/c/{conversation_id}/dispute", data=form)).status_code == 303
    (row,) = await _rows(console, DisputeRow)
    assert row.status == "upheld"
    assert await _collectible(console, "T-EN") == Decimal("1320.50")
    said = await _said(console, "d6")
    assert "D-TEST1" in said[-1] and "found to be correct" in said[-1] and "$35.00" in said[-1]
    # Decided already: a second decision is refused and the borrower hears nothing more.
    again = await agent.post(
        f"/c/{conversation_id}/dispute", data={**form, "decision": "waived", "key": "d-2"}
    )
    assert again.status_code == 409
    assert (await _rows(console, DisputeRow))[0].status == "upheld"
    assert await _said(console, "d6") == said
    line = next(a for a in await _audited(console) if a.action == "resolve_dispute")
    assert line.after is not None and line.after["dispute"] == dispute
    assert line.after["outcome"] == "upheld"


@pytest.mark.rule("R8")
async def test_r8_a_dispute_waived_stays_off_the_balance_and_resumes_a_suspended_plan(
    console: Console,
) -> None:
    ticket = await console.escalation("d7", "T-HANT", "1978-12-24")
    dispute = await _dispute(console, "T-HANT", "T-HANT-A", "300.00", "HKD")
    async with console.chat.app.sessions() as session, session.begin():
        session.add(
            ArrangementRow(
                id="A-SUSPENDED",
                account_id="T-HANT",
                kind="installment_plan",
                status="suspended",
                amount=Decimal("6210"),
                currency="HKD",
                installments=[{"due_date": "2026-12-01", "amount": "6210"}],
                script_version="v",
                created_at=NOW,
            )
        )
    before = await _collectible(console, "T-HANT")
    async with console.api() as api:
        body = {"dispute": dispute, "decision": "waived"}
        path = f"/api/escalations/{ticket}/dispute"
        assert (await api.post(path, json=body)).status_code == 403  # not taken yet
        await api.post(f"/api/escalations/{ticket}/take")
        assert (await api.post(path, json={**body, "decision": "maybe"})).status_code == 422
        assert (await api.post(path, json={**body, "dispute": "D-OTHER"})).status_code == 409
        done = await api.post(path, json=body)
        assert done.status_code == 200, done.text
    (row,) = await _rows(console, DisputeRow)
    assert row.status == "waived"
    assert await _collectible(console, "T-HANT") == before  # never asked for again
    (arrangement,) = await _rows(console, ArrangementRow, id="A-SUSPENDED")
    assert arrangement.status == "active"
    said = await _said(console, "d7")
    assert "已予撤銷" in said[-1] and "D-TEST1" in said[-1]


async def test_only_the_holder_or_a_supervisor_decides_a_dispute(console: Console) -> None:
    _, _, ticket, conversation_id = await _taken(console, "d8", "T-EN", "1990-05-17")
    dispute = await _dispute(console, "T-EN", "T-EN-F", "35.00", "USD")
    other, token = await console.signed_in("ken")
    form = {"ticket": ticket, "csrf": token, "dispute": dispute, "decision": "waived"}
    assert (await other.post(f"/c/{conversation_id}/dispute", data=form)).status_code == 403
    assert (await _rows(console, DisputeRow))[0].status == "open"
    supervisor, boss_token = await console.signed_in("sue")
    done = await supervisor.post(f"/c/{conversation_id}/dispute", data={**form, "csrf": boss_token})
    assert done.status_code == 303
    assert (await _rows(console, DisputeRow))[0].status == "waived"
    async with console.chat.app.sessions() as session:
        held = await session.scalar(
            select(func.count()).select_from(ChargeRow).where(col(ChargeRow.dispute_id) == dispute)
        )
    assert held == 1


@pytest.mark.rule("R8")
async def test_r8_a_decided_dispute_never_leaves_two_active_arrangements(
    console: Console,
) -> None:
    """The plan a dispute suspended runs again only while the account has no newer one."""
    from bot.service import disputes_desk

    dispute = await _dispute(console, "T-EN", "T-EN-F", "35.00", "USD")
    async with console.chat.app.sessions() as session, session.begin():
        for name, status in (("A-OLD", "suspended"), ("A-NEW", "active")):
            session.add(
                ArrangementRow(
                    id=name,
                    account_id="T-EN",
                    kind="promise_to_pay",
                    status=status,
                    amount=Decimal("100"),
                    currency="USD",
                    installments=[{"due_date": "2026-12-01", "amount": "100"}],
                    script_version="v",
                    created_at=NOW,
                )
            )
    async with console.chat.app.sessions() as session, session.begin():
        decided = await disputes_desk.resolve(session, "T-EN", dispute, "upheld")
        again = await disputes_desk.resolve(session, "T-EN", dispute, "waived")
    assert decided is not None and decided.status == "upheld" and again is None
    statuses = {a.id: a.status for a in await _rows(console, ArrangementRow)}
    assert statuses == {"A-OLD": "suspended", "A-NEW": "active"}
