"""The console's timers through the clock (bot/service/desk_timers.py), on SQLite and
PostgreSQL: the honest wait notice, the untaken handoff back to the bot, each once,
never for a crisis (R12)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select, update
from sqlmodel import col

from bot.bootstrap import build_app
from bot.config import Settings
from bot.service import desk, desk_timers, periodic
from bot.service.accounts_import import import_accounts
from bot.service.events import AgentAction, AgentActionKind
from bot.store.tables import AccountRow, ConversationRow, EscalationRow
from bot.understanding.model import IntentModel
from tests.runtime.conftest import FIXTURES, NOW, WebChat, WebChatSender


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
async def timed(
    database_url: str, intent_model: IntentModel
) -> AsyncIterator[tuple[WebChat, Clock]]:
    clock = Clock()
    app = await build_app(Settings(database_url=database_url), clock=clock, model=intent_model)
    await import_accounts(app.sessions, FIXTURES / "accounts.csv")
    sender = WebChatSender()
    app.outbox.register(sender)
    try:
        yield WebChat(app, sender), clock
    finally:
        await app.close()


async def _handoff(chat: WebChat, user: str, account: str, birth: str) -> str:
    await chat.say(user, f"/start {await chat.link(account)}")
    await chat.say(user, birth)
    (handoff,) = await chat.say(user, "/human")
    found = re.search(r"T-[0-9A-Z]+", handoff.text)
    assert found, handoff.text
    return found.group(0)


async def _tick(chat: WebChat, clock: Clock, after: timedelta) -> int:
    """The clock moves on and the desk timers job runs (as `repaybot telegram` would),
    then the outbox delivers what it queued. Only this job: the others (reminders,
    follow-ups, retention) count their own work, which is not what these tests measure."""
    clock.now = NOW + after
    timers = [job for job in periodic.jobs() if job.name == "desk_timers"]
    sent = await periodic.run_due(chat.app.runtime, timers, clock.now)
    for user in list(chat.sender.sent):
        await chat.app.outbox.deliver_chat("webchat", user)
    return sent


async def _escalation(chat: WebChat, ticket: str) -> EscalationRow:
    async with chat.app.sessions() as session:
        found = await desk.escalation(session, ticket)
    assert found is not None
    return found


def test_the_desk_timers_run_on_the_clock() -> None:
    by_name = {job.name: job for job in periodic.jobs()}
    assert by_name["desk_timers"].run is desk_timers.run


async def test_a_long_wait_gets_one_honest_notice_in_the_borrowers_language(
    timed: tuple[WebChat, Clock],
) -> None:
    chat, clock = timed
    ticket = await _handoff(chat, "w1", "T-HANT", "1978-12-24")
    before = len(chat.sender.sent["w1"])
    # Within the first-response time (60 minutes by default): nothing yet.
    assert await _tick(chat, clock, timedelta(minutes=59)) == 0
    assert len(chat.sender.sent["w1"]) == before
    assert await _tick(chat, clock, timedelta(minutes=61)) == 1
    (notice,) = chat.sender.sent["w1"][before:]
    assert ticket in notice.text and "抱歉讓您久等了" in notice.text
    # By the end of the resolution time (1440 minutes), in the account's own zone:
    # opened 15:00 UTC is 23:00 in Hong Kong, so the answer comes by 23:00 next day.
    assert "2026年11月23日 晚上11:00" in notice.text
    # Again, and from three processes at once: still one notice.
    runs = [_tick(chat, clock, timedelta(minutes=90)) for _ in range(3)]
    assert sum(await asyncio.gather(*runs)) == 0
    assert len(chat.sender.sent["w1"]) == before + 1
    escalation = await _escalation(chat, ticket)
    assert escalation.status == "open" and escalation.wait_noticed_at is not None


async def test_a_taken_case_gets_no_wait_notice(timed: tuple[WebChat, Clock]) -> None:
    chat, clock = timed
    ticket = await _handoff(chat, "w2", "T-EN", "1990-05-17")
    escalation = await _escalation(chat, ticket)
    assert escalation.conversation_id is not None
    await chat.app.runtime.on_agent(
        AgentAction(AgentActionKind.TAKE_OVER, "mei", escalation.conversation_id, "k-take")
    )
    await chat.app.outbox.deliver_chat("webchat", "w2")
    assert "joined this chat" in chat.sender.sent["w2"][-1].text
    before = len(chat.sender.sent["w2"])
    assert await _tick(chat, clock, timedelta(hours=5)) == 0
    assert len(chat.sender.sent["w2"]) == before


async def test_an_untaken_handoff_goes_back_to_the_bot_once_and_stays_queued(
    timed: tuple[WebChat, Clock],
) -> None:
    chat, clock = timed
    ticket = await _handoff(chat, "w3", "T-HANS", "1985-03-09")
    await _tick(chat, clock, timedelta(minutes=61))  # the wait notice first
    before = len(chat.sender.sent["w3"])
    assert await _tick(chat, clock, timedelta(minutes=239)) == 0
    assert await _tick(chat, clock, timedelta(minutes=241)) == 1
    said = chat.sender.sent["w3"][before:]
    assert "非常抱歉" in said[0].text and ticket in said[0].text
    assert len(said) >= 2  # then the bot's menu, in Chinese
    assert any(re.search(r"[\u4e00-\u9fff]", m.text) for m in said[1:])
    async with chat.app.sessions() as session:
        row = (
            await session.execute(
                select(ConversationRow).where(col(ConversationRow.chat_key) == "w3")
            )
        ).scalar_one()
        items = await desk.queue(session, chat.app.scripts.policy, clock.now)
    assert row.owner == "bot" and row.frames[-1] == "menu"
    assert ticket in [item.ticket for item in items]  # still in the queue, still open
    assert await _tick(chat, clock, timedelta(minutes=300)) == 0
    assert len(chat.sender.sent["w3"]) == before + len(said)
    # A person can still take it; the borrower is told they joined.
    escalation = await _escalation(chat, ticket)
    assert escalation.status == "open" and escalation.returned_at is not None


@pytest.mark.rule("R12")
async def test_r12_a_crisis_escalation_is_never_handed_back_to_the_bot(
    timed: tuple[WebChat, Clock],
) -> None:
    chat, clock = timed
    ticket = await _handoff(chat, "w4", "T-EN", "1990-05-17")
    async with chat.app.sessions() as session, session.begin():
        # The case is a crisis, and the account is not paused (a check that rests on
        # the pause alone would let it through).
        await session.execute(
            update(EscalationRow)
            .where(col(EscalationRow.ticket) == ticket)
            .values(reason="crisis", priority="urgent")
        )
        await session.execute(
            update(AccountRow)
            .where(col(AccountRow.account_id) == "T-EN")
            .values(collection_paused=False)
        )
    before = len(chat.sender.sent["w4"])
    await _tick(chat, clock, timedelta(days=2))
    async with chat.app.sessions() as session:
        row = (
            await session.execute(
                select(ConversationRow).where(col(ConversationRow.chat_key) == "w4")
            )
        ).scalar_one()
    assert row.frames[-1] in desk_timers.WAITING_STATES
    assert not any("pick up your request" in m.text for m in chat.sender.sent["w4"][before:])
    assert (await _escalation(chat, ticket)).returned_at is None


@pytest.mark.rule("R12")
async def test_r12_a_borrower_in_crisis_is_not_sent_back_by_a_later_handoff(
    timed: tuple[WebChat, Clock],
) -> None:
    """A conversation that went through a crisis keeps its people, even for a later,
    ordinary escalation."""
    chat, clock = timed
    ticket = await _handoff(chat, "w5", "T-EN", "1990-05-17")
    async with chat.app.sessions() as session, session.begin():
        row = (
            await session.execute(
                select(ConversationRow).where(col(ConversationRow.chat_key) == "w5")
            )
        ).scalar_one()
        row.vars = {**row.vars, "escalated_for": ["crisis", "requested"]}
    before = len(chat.sender.sent["w5"])
    await _tick(chat, clock, timedelta(days=1))
    assert not any("pick up your request" in m.text for m in chat.sender.sent["w5"][before:])
    assert (await _escalation(chat, ticket)).status == "open"


async def _set_account(chat: WebChat, account: str, **values: object) -> None:
    async with chat.app.sessions() as session, session.begin():
        await session.execute(
            update(AccountRow).where(col(AccountRow.account_id) == account).values(**values)
        )


@pytest.mark.parametrize(
    "why",
    [
        {"opted_out": True},  # R3: STOP stops reminders, not the answer they asked for
        {"breathing_space": True},  # R16: the notice asks for no payment
    ],
    ids=["opted_out", "breathing_space"],
)
async def test_a_borrower_who_asked_for_a_person_hears_when_one_will_answer(
    timed: tuple[WebChat, Clock], why: dict[str, object]
) -> None:
    """The wait notice answers the borrower's own request for a person: neither an
    opt-out from reminders (R3) nor a breathing space (R16) silences it. The way back
    to the bot (the bot's own menu) stays silent for them."""
    chat, clock = timed
    ticket = await _handoff(chat, "w6", "T-EN", "1990-05-17")
    await _set_account(chat, "T-EN", **why)
    before = len(chat.sender.sent["w6"])
    assert await _tick(chat, clock, timedelta(minutes=61)) == 1
    (notice,) = chat.sender.sent["w6"][before:]
    assert ticket in notice.text and "still waiting" in notice.text, notice.text
    assert "payment" not in notice.text
    assert await _tick(chat, clock, timedelta(hours=5)) == 0
    assert len(chat.sender.sent["w6"]) == before + 1
    escalation = await _escalation(chat, ticket)
    assert escalation.status == "open"
    assert escalation.wait_noticed_at is not None and escalation.returned_at is not None


@pytest.mark.rule("R12")
async def test_r12_a_borrower_in_crisis_who_waits_hears_the_hold_and_where_help_is(
    timed: tuple[WebChat, Clock],
) -> None:
    """Collection paused for a crisis: the wait notice says when a person will answer,
    that nobody will ask for a payment, and gives the emergency and support lines of
    the account's country, in the borrower's language."""
    chat, clock = timed
    ticket = await _handoff(chat, "w9", "T-HANT", "1978-12-24")
    await _set_account(chat, "T-HANT", collection_paused=True, opted_out=True)
    before = len(chat.sender.sent["w9"])
    assert await _tick(chat, clock, timedelta(minutes=61)) == 1
    (notice,) = chat.sender.sent["w9"][before:]
    text = notice.text
    assert ticket in text and "2026年11月23日 晚上11:00" in text, text
    assert "不會有人向您要求還款" in text  # the hold, said again
    assert "999" in text  # Hong Kong's emergency number (+852 and Asia/Hong_Kong)
    assert "求助專線" in text  # the support lines follow
    assert "抱歉讓您久等了" not in text  # not the ordinary notice


async def test_a_chat_that_cannot_be_reached_hears_nothing_and_is_not_asked_again(
    timed: tuple[WebChat, Clock],
) -> None:
    chat, clock = timed
    ticket = await _handoff(chat, "w10", "T-EN", "1990-05-17")
    await _set_account(chat, "T-EN", unreachable=True)
    before = len(chat.sender.sent["w10"])
    assert await _tick(chat, clock, timedelta(minutes=61)) == 0
    assert await _tick(chat, clock, timedelta(hours=5)) == 0
    assert len(chat.sender.sent["w10"]) == before
    escalation = await _escalation(chat, ticket)
    assert escalation.wait_noticed_at is not None and escalation.returned_at is not None


async def test_a_case_due_for_both_timers_gets_the_apology_alone(
    timed: tuple[WebChat, Clock],
) -> None:
    chat, clock = timed
    await _handoff(chat, "w8", "T-EN", "1990-05-17")
    before = len(chat.sender.sent["w8"])
    await _tick(chat, clock, timedelta(days=2))
    said = [m.text for m in chat.sender.sent["w8"][before:]]
    assert "pick up your request" in said[0] and "What would you like to do?" in said[-1]
    assert not any("still waiting" in text for text in said)
    assert await _tick(chat, clock, timedelta(days=3)) == 0
