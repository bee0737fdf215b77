"""The runtime's three ways in, through a third channel, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select
from sqlmodel import col

from bot.service.accounts_import import import_accounts
from bot.service.events import AgentAction, AgentActionKind, Inbound, Trigger
from bot.store.tables import (
    AccountRow,
    ArrangementRow,
    ChannelLinkRow,
    ConversationRow,
    EscalationRow,
    OutboxRow,
    TranscriptRow,
)
from tests.runtime.conftest import CHANNEL, FIXTURES, WebChat, count_rows


async def _conversation(web: WebChat, chat: str) -> ConversationRow:
    async with web.app.sessions() as session:
        query = select(ConversationRow).where(col(ConversationRow.chat_key) == chat)
        return (await session.execute(query)).scalar_one()


async def _verified(web: WebChat, user: str, account: str = "T-EN") -> None:
    (greeting,) = await web.say(user, f"/start {await web.link(account)}")
    assert "automated assistant of Harbor Consumer Finance" in greeting.text
    (statement,) = await web.say(user, "1990-05-17")
    assert "Total due: $1,320.50" in statement.text


async def test_a_third_channel_links_verifies_and_agrees_a_plan(web: WebChat) -> None:
    await _verified(web, "u1")
    await web.press("u1", "Pay in installments")
    await web.press("u1", "3 monthly payments of $440.17")
    (done,) = await web.press("u1", "Yes, set it up")
    assert "Your plan is set up (reference A-" in done.text
    assert await count_rows(web, ArrangementRow, account_id="T-EN") == 1


@pytest.mark.rule("R13", "R17")
async def test_a_person_takes_over_replies_and_hands_back(web: WebChat) -> None:
    await _verified(web, "u2")
    conversation = await _conversation(web, "u2")
    assert conversation.id is not None
    runtime = web.app.runtime
    await runtime.on_agent(
        AgentAction(AgentActionKind.TAKE_OVER, "mei", conversation.id, action_key="a1")
    )
    await web.app.outbox.deliver_chat(CHANNEL, "u2")
    assert "has joined this chat" in web.sender.sent["u2"][-1].text  # told a person is here
    assert await web.say("u2", "are you a real person?") == []  # the bot stays quiet
    kept = await count_rows(web, TranscriptRow, conversation_id=conversation.id, direction="in")
    assert kept == 3
    await runtime.on_agent(
        AgentAction(AgentActionKind.REPLY, "mei", conversation.id, "a2", text="Yes, I'm Mei.")
    )
    await web.app.outbox.deliver_chat(CHANNEL, "u2")
    assert web.sender.sent["u2"][-1].text == "Yes, I'm Mei."
    handed = await runtime.on_agent(
        AgentAction(AgentActionKind.HAND_BACK, "mei", conversation.id, "a3", state="menu")
    )
    assert handed.queued
    await web.app.outbox.deliver_chat(CHANNEL, "u2")
    assert "What would you like to do?" in web.sender.sent["u2"][-1].text
    (answer,) = await web.say("u2", "I can pay 500 a month")
    assert "$" in answer.text  # the bot answers again
    # The console's double click acts once.
    again = await runtime.on_agent(
        AgentAction(AgentActionKind.REPLY, "mei", conversation.id, "a2", text="Yes, I'm Mei.")
    )
    assert again.duplicate


@pytest.mark.rule("R3", "R12")
async def test_a_reminder_is_scripted_sent_once_and_never_to_a_paused_account(
    web: WebChat,
) -> None:
    await _verified(web, "u3")
    conversation = await _conversation(web, "u3")
    assert conversation.id is not None
    trigger = Trigger("reminder", conversation.id, "reminder:T-EN:2026-11-23")
    await web.app.runtime.on_trigger(trigger)
    await web.app.runtime.on_trigger(trigger)  # the same occurrence twice
    await web.app.outbox.deliver_chat(CHANNEL, "u3")
    reminders = [m for m in web.sender.sent["u3"] if "reminder" in m.text]
    assert len(reminders) == 1
    assert "Reply STOP" in reminders[0].text
    (back,) = await web.press("u3", "Not now")
    assert "What would you like to do?" in back.text  # back where the borrower was
    async with web.app.sessions() as session, session.begin():
        account = await session.get(AccountRow, "T-EN")
        assert account is not None
        account.collection_paused = True
    paused = Trigger("reminder", conversation.id, "reminder:T-EN:2026-11-24")
    assert (await web.app.runtime.on_trigger(paused)).queued == ()


async def test_a_conversation_keeps_its_script_version_when_a_new_one_is_published(
    web: WebChat,
) -> None:
    await _verified(web, "u4")
    before = await _conversation(web, "u4")
    loaded = web.app.scripts
    source = loaded.sources["repayment"].replace(
        "What would you like to do?", "How can I help you today?"
    )
    from bot.engine.loader import load_script
    from bot.service.scripts import ScriptSet

    script, _ = load_script(source, "repayment.yaml")
    await web.app.runtime.registry.publish(
        ScriptSet(
            {"repayment": script}, loaded.policy, {"repayment": source}, loaded.policy_source
        ),
        now=web.app.runtime.now(),
    )
    (same,) = await web.say("u4", "/help")
    (back,) = await web.press("u4", "Continue")
    assert "What would you like to do?" in back.text  # still the version it started on
    assert (await _conversation(web, "u4")).script_version == before.script_version
    await _verified(web, "u5")
    assert (await _conversation(web, "u5")).script_version != before.script_version
    assert len(await web.app.runtime.registry.versions("repayment")) == 2
    del same


@pytest.mark.rule("R5")
async def test_the_verification_lock_belongs_to_the_account_not_the_chat(web: WebChat) -> None:
    await web.say("u6", f"/start {await web.link('T-EN')}")
    for wrong in ("1990-01-01", "1990-01-02", "1990-01-03"):
        await web.say("u6", wrong)
    # Another user with a fresh link for the same loan gets no new guesses.
    (greeting,) = await web.say("u7", f"/start {await web.link('T-EN')}")
    (answer,) = await web.say("u7", "1990-05-17")
    assert "1,320" not in answer.text and "Alex" not in answer.text
    conversation = await _conversation(web, "u7")
    assert conversation.id is not None
    await web.app.runtime.on_agent(
        AgentAction(AgentActionKind.UNLOCK_VERIFICATION, "mei", conversation.id, "u1")
    )
    (again,) = await web.say("u7", "/start")
    (statement,) = await web.say("u7", "1990-05-17")
    assert "Total due: $1,320.50" in statement.text
    del greeting, again


@pytest.mark.rule("R5")
async def test_six_users_racing_for_one_link_link_exactly_one(web: WebChat) -> None:
    token = await web.link("T-EN")
    runtime = web.app.runtime
    await asyncio.gather(
        *(
            runtime.on_inbound(
                Inbound(CHANNEL, f"r{i}", f"r{i}", f"race{i}", text=f"/start {token}")
            )
            for i in range(6)
        )
    )
    assert await count_rows(web, ChannelLinkRow, account_id="T-EN") == 1
    # The winner tapping the link again is taken back to the conversation.
    async with web.app.sessions() as session:
        winner = (
            await session.execute(
                select(col(ChannelLinkRow.user_key)).where(col(ChannelLinkRow.account_id) == "T-EN")
            )
        ).scalar_one()
    await web.app.outbox.deliver_chat(CHANNEL, winner)
    (back,) = await web.say(winner, f"/start {token}")
    assert "no longer valid" not in back.text
    assert "date of birth" in back.text


@pytest.mark.rule("R5")
async def test_someone_elses_button_changes_nothing_and_says_nothing(web: WebChat) -> None:
    await _verified(web, "u8")
    data = dict(web.sender.sent["u8"][-1].buttons)["Pay in installments"]
    assert await web.press_data("mallory", "u8", data) == []
    assert web.notices[-1] is None
    assert (await _conversation(web, "u8")).frames[-1] == "menu"


async def test_many_chats_at_once_get_every_reply_once(web: WebChat) -> None:
    users = [f"c{i}" for i in range(12)]
    tokens = [await web.link("T-EN") for _ in users]
    runtime = web.app.runtime

    async def converse(user: str, token: str) -> None:
        for n, text in enumerate((f"/start {token}", "1990-05-17", "/help", "/language")):
            await runtime.on_inbound(Inbound(CHANNEL, user, user, f"{user}-{n}", text=text))
            await web.app.outbox.deliver_chat(CHANNEL, user)

    await asyncio.gather(*(converse(u, t) for u, t in zip(users, tokens, strict=True)))
    await asyncio.gather(*(web.app.outbox.deliver_due() for _ in range(3)))
    for user in users:
        texts = [m.text for m in web.sender.sent[user]]
        assert len(texts) == 4, texts
        assert "Total due" in texts[1]
    assert await count_rows(web, OutboxRow, status="sent") == 4 * len(users)
    assert await count_rows(web, EscalationRow) == 0


async def test_a_language_chosen_in_chat_outlives_the_lenders_next_file(web: WebChat) -> None:
    await _verified(web, "u20")
    await web.press("u20", "Change language")
    (back,) = await web.press("u20", "简体中文")
    assert back.text.startswith("请问需要办理什么业务？")  # the menu again, in Simplified Chinese
    async with web.app.sessions() as session:
        account = await session.get(AccountRow, "T-EN")
        assert account is not None
        assert (account.locale, account.locale_chosen) == ("zh_Hans", True)
    report = await import_accounts(web.app.sessions, FIXTURES / "accounts.csv")  # says "en"
    assert report.accounts_updated == 0
    async with web.app.sessions() as session:
        account = await session.get(AccountRow, "T-EN")
        assert account is not None and account.locale == "zh_Hans"
