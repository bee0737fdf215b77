"""Issue 31 point 9: a stage of the cadence that is a person's (`late_30: person:
true` in dialogs/policy.yaml) opens a case in the agents' queue, once per account
and stage however often and on however many processes the planner runs, and not
while the account already has a case open; the queue and the CRM API show it with
days past due and amount, under a reason named in the console's three languages.
On SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select, update
from sqlmodel import col

from bot.service import people
from bot.service.people import Role
from bot.service.reminders import PlanReport, plan_reminders
from bot.store.tables import AccountRow, EscalationRow, ReminderRow
from tests.runtime.conftest import NOW
from tests.web.conftest import PASSWORD, Console

LATE_30 = (NOW - timedelta(days=30)).date()  # in New York and Hong Kong alike at NOW
LABELS = {"en": "Overdue: handed to a person", "zh_Hans": "逾期阶段转人工处理"}
LABELS["zh_Hant"] = "逾期階段轉人工處理"


async def _thirty_days_late(console: Console, *accounts: str) -> None:
    """Linked chats on accounts whose due date was 30 days ago: the person's stage."""
    for account in accounts:
        await console.chat.say(f"chat-{account}", f"/start {await console.chat.link(account)}")
    async with console.chat.app.sessions() as session, session.begin():
        await session.execute(
            update(AccountRow)
            .where(col(AccountRow.account_id).in_(accounts))
            .values(due_date=LATE_30)
        )


async def _plan(console: Console) -> PlanReport:
    app = console.chat.app
    return await plan_reminders(app.sessions, app.runtime.registry.newest_policy().reminders, NOW)


async def _cases(console: Console) -> list[EscalationRow]:
    async with console.chat.app.sessions() as session:
        query = select(EscalationRow).order_by(col(EscalationRow.id))
        return list((await session.execute(query)).scalars())


async def _stage_rows(console: Console) -> list[ReminderRow]:
    async with console.chat.app.sessions() as session:
        query = select(ReminderRow).where(col(ReminderRow.stage) == "late_30")
        return list((await session.execute(query)).scalars())


async def test_the_person_stage_opens_one_case_however_often_the_planner_runs(
    console: Console,
) -> None:
    await _thirty_days_late(console, "T-EN")
    first, again = await _plan(console), await _plan(console)
    assert (first.person, again.person) == (1, 0)
    (case,) = await _cases(console)
    assert (case.account_id, case.reason, case.status, case.note) == (
        "T-EN",
        "reminder_stage",
        "open",
        "late_30",
    )
    assert case.conversation_id is not None and case.ticket.startswith("T-")
    assert [row.status for row in await _stage_rows(console)] == ["person"]


async def test_two_planners_at_once_open_one_case_per_account(console: Console) -> None:
    await _thirty_days_late(console, "T-EN", "T-HANT")
    reports = await asyncio.gather(_plan(console), _plan(console))
    assert sum(report.person for report in reports) == 2
    cases = await _cases(console)
    assert sorted(case.account_id or "" for case in cases) == ["T-EN", "T-HANT"]
    assert (await _plan(console)).person == 0
    assert len(await _cases(console)) == 2


async def test_no_stage_case_while_the_account_has_one_open_then_one_after_it_closes(
    console: Console,
) -> None:
    ticket = await console.escalation("chat-T-EN")  # asked for a person first
    await _thirty_days_late(console, "T-EN")
    assert (await _plan(console)).person == 0
    assert [case.reason for case in await _cases(console)] == ["requested"]
    assert await _stage_rows(console) == []  # not recorded: looked at again later
    async with console.api() as api:
        assert (await api.post(f"/api/escalations/{ticket}/take")).status_code == 200
        closed = await api.post(f"/api/escalations/{ticket}/close", json={"outcome": "callback"})
        assert closed.status_code == 200
    assert (await _plan(console)).person == 1
    assert [case.reason for case in await _cases(console)] == ["requested", "reminder_stage"]


async def test_the_api_lists_the_case_with_days_past_due_and_amount(console: Console) -> None:
    await _thirty_days_late(console, "T-EN")
    await _plan(console)
    async with console.api() as api:
        listed = (await api.get("/api/escalations", params={"status": "open"})).json()
    (item,) = listed["items"]
    assert item["reason"] == "reminder_stage" and item["account_id"] == "T-EN"
    assert item["days_past_due"] == 30
    assert item["amount_due"].startswith("1320.5") and item["currency"] == "USD"
    assert item["owner"] is None and item["status"] == "open"


async def test_the_queue_names_the_reason_in_the_consoles_three_languages(
    console: Console,
) -> None:
    await _thirty_days_late(console, "T-EN")
    await _plan(console)
    async with console.chat.app.sessions() as session, session.begin():
        for locale in ("zh_Hans", "zh_Hant"):
            await people.add_user(
                session,
                name=f"p-{locale.lower().replace('_', '-')}",
                role=Role.AGENT,
                password=PASSWORD,
                now=NOW,
                locale=locale,
            )
    for locale, name in (("en", "mei"), ("zh_Hans", "p-zh-hans"), ("zh_Hant", "p-zh-hant")):
        client, _ = await console.signed_in(name)
        page = (await client.get("/queue")).text
        await client.aclose()
        assert page.count(LABELS[locale]) >= 2, locale  # the filter's option and the case
