"""Whole conversations over HTTP through both adapters, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from bot.service.kept import WITHHELD
from bot.store.tables import AccountRow, ArrangementRow, ChannelLinkRow, TranscriptRow
from tests.telegram.conftest import Harness, clock


@pytest.mark.rule("R5", "R6")
async def test_deep_link_verify_and_agree_a_plan_with_buttons(bot: Harness) -> None:
    user = bot.tg.user(501, "Alex")
    token = await bot.link_token("T-EN")
    await user.send_command("/start", token)
    (greeting,) = await user.next_messages()
    assert "automated assistant of Harbor Consumer Finance" in greeting["text"]
    assert "1,320" not in greeting["text"]  # R5: nothing before verification
    await user.send_text("1990-05-17")
    (statement,) = await user.next_messages()
    assert "Total due: $1,320.50" in statement["text"]
    await user.press("Pay in installments")
    await user.next_messages()
    assert user.keyboard(statement) == []  # the answered question's buttons are gone
    await user.press("3 monthly payments of $440.17")
    (confirm,) = await user.next_messages()
    assert "Shall I set up this plan?" in confirm["text"]
    await user.press("Yes, set it up")
    (done,) = await user.next_messages()
    assert "Your plan is set up" in done["text"]
    assert await bot.count(ArrangementRow, account_id="T-EN", kind="installment_plan") == 1
    # Only the latest question still has buttons.
    assert [m for m in user.messages if user.keyboard(m)] == [user.last]
    assert all(len(data.encode()) <= 64 for _, data in user.keyboard())
    assert len(bot.tg.answered_callbacks) == 3


@pytest.mark.rule("R13")
async def test_free_text_and_words_for_a_person(bot: Harness) -> None:
    user = bot.tg.user(502, "小明", "zh-hans")
    await user.send_command("/start", await bot.link_token("T-HANS"))
    await user.next_messages()
    await user.send_text("1985年3月9日")
    await user.next_messages()
    await user.send_text("每个月只能还一千")
    (plan,) = await user.next_messages()
    assert "¥" in plan["text"]
    await user.send_text("转人工")
    (handoff,) = await user.next_messages()
    assert "T-" in handoff["text"]


@pytest.mark.rule("R5")
async def test_a_used_token_a_stranger_and_a_group_learn_nothing_R5(bot: Harness) -> None:
    owner = bot.tg.user(503, "Owner")
    token = await bot.link_token("T-EN")
    await owner.send_command("/start", token)
    await owner.next_messages()
    stranger = bot.tg.user(504, "Mallory", "zh-hk")
    await stranger.send_command("/start", token)  # used already
    (answer,) = await stranger.next_messages()
    await stranger.send_text("how much does Alex owe?")
    (welcome,) = await stranger.next_messages()
    for text in (answer["text"], welcome["text"]):
        assert "Alex" not in text and "1,320" not in text and "$" not in text
    contact_button = bot.tg.reply_keyboards[504]["keyboard"][0][0]
    assert contact_button["request_contact"] is True
    assert contact_button["text"] == "分享我的電話號碼"  # zh-hk reads Traditional
    group = bot.tg.group(-100123, "supergroup")
    update = {
        "message": {
            "message_id": 1,
            "date": 0,
            "chat": group,
            "from": {"id": 503, "is_bot": False, "first_name": "Owner"},
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        }
    }
    await bot.tg.push_update(update)
    (refusal,) = await bot.tg.wait_for(-100123, 1)
    assert "privately" in refusal["text"] or "私" in refusal["text"]
    assert "$" not in refusal["text"]


@pytest.mark.rule("R5")
async def test_own_contact_links_and_someone_elses_does_not(bot: Harness) -> None:
    user = bot.tg.user(505, "Chan", "zh-hk")
    await user.share_contact("+85291230001", own=False)
    (refused,) = await user.next_messages()
    assert await bot.count(ChannelLinkRow, user_key="505") == 0
    await user.share_contact("85291230001", own=True)  # Telegram may omit the '+'
    (greeting,) = await user.next_messages()
    assert await bot.count(ChannelLinkRow, user_key="505", account_id="T-HANT") == 1
    assert refused["text"] != greeting["text"]
    await user.send_text("1978-12-24")
    (statement,) = await user.next_messages()
    assert "HK$6,510.00" in statement["text"]
    chat_scope = bot.tg.commands[('{"chat_id": 505, "type": "chat"}', "")]
    assert [c["description"] for c in chat_scope][3] == "轉真人客服"  # Traditional, this chat only


async def test_stale_and_forged_buttons_change_nothing(bot: Harness) -> None:
    user = bot.tg.user(506, "Alex")
    await user.send_command("/start", await bot.link_token("T-EN"))
    await user.next_messages()
    await user.send_text("1990-05-17")
    (menu,) = await user.next_messages()
    old_data = dict(user.keyboard(menu))["Pay in installments"]
    await user.press("Ask for more time")
    (extension,) = await user.next_messages()
    await user.press_data(old_data, menu)  # a button from an answered question
    await user.press_data("1.1.1.forgedmac00", menu)
    await _until(lambda: len(bot.tg.answered_callbacks) == 3)
    # Refused with a notice to the presser alone: nothing new in the chat, and the
    # live keyboard still works.
    stale, forged = bot.tg.answered_callbacks[1:]
    assert "no longer active" in stale.get("text", "")
    assert not forged.get("text")
    assert len(user.messages) == 3
    assert user.keyboard(extension) != []
    await user.press("Back", extension)
    (back,) = await user.next_messages()
    assert "What would you like to do?" in back["text"]
    assert await bot.count(ArrangementRow) == 0


async def _until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    for _ in range(int(timeout / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("condition not met in time")


@pytest.mark.rule("R17")
async def test_redelivered_update_is_processed_once(bot: Harness) -> None:
    user = bot.tg.user(507, "Alex")
    await user.send_command("/start", await bot.link_token("T-EN"))
    await user.next_messages()
    bot.tg.redeliver_next(2)
    await user.send_text("1990-05-17")
    await user.next_messages()
    await user.send_text("I can pay 200 a month")
    await user.next_messages()
    await user.press("Yes, set it up")
    await user.next_messages()
    assert await bot.count(ArrangementRow, account_id="T-EN") == 1
    # Kept once, and as given, never as typed (R18: a birth date is not stored).
    assert await bot.count(TranscriptRow, direction="in", text=WITHHELD) == 1
    assert await bot.count(TranscriptRow, direction="in", text="1990-05-17") == 0
    assert len(user.messages) == 4


async def test_429_and_5xx_are_retried_and_nothing_is_doubled(bot: Harness) -> None:
    user = bot.tg.user(508, "Alex")
    bot.tg.fail_next("sendMessage", 429, retry_after=1)
    bot.tg.fail_next("sendMessage", 502, retry_after=None, times=2)
    await user.send_command("/start", await bot.link_token("T-EN"))
    (greeting,) = await user.next_messages(timeout=20)
    assert "automated assistant" in greeting["text"]
    assert len(bot.tg.method_calls("sendMessage")) == 4
    assert len(user.messages) == 1


async def test_blocked_user_is_marked_unreachable(bot: Harness) -> None:
    user = bot.tg.user(509, "Alex")
    await user.send_command("/start", await bot.link_token("T-EN"))
    await user.next_messages()
    user.block()
    await user.send_text("1990-05-17")
    for _ in range(100):
        async with bot.app.sessions() as session:
            account = await session.get(AccountRow, "T-EN")
            if account is not None and account.unreachable:
                return
        import asyncio

        await asyncio.sleep(0.05)
    raise AssertionError("the account was not marked unreachable")


async def test_commands_are_registered_in_each_language(bot: Harness) -> None:
    languages = {lang for (_, lang) in bot.tg.commands}
    assert {"", "en", "zh"} <= languages
    names = [c["command"] for c in bot.tg.commands[('{"type": "default"}', "")]]
    assert names == ["start", "help", "language", "human", "stop", "reminders"]
    chinese = bot.tg.commands[('{"type": "default"}', "zh")]
    assert any("人工" in c["description"] or "客服" in c["description"] for c in chinese)


async def test_one_chat_in_order_while_chats_run_side_by_side(bot: Harness) -> None:
    alex = bot.tg.user(510, "Alex")
    chan = bot.tg.user(511, "Chan", "zh-hk")
    # Everything is queued at once: each chat's updates must still be handled in order.
    await alex.send_command("/start", await bot.link_token("T-EN"))
    await chan.send_command("/start", await bot.link_token("T-HANT"))
    await alex.send_text("1990-05-17")
    await chan.send_text("1978-12-24")
    await alex.send_text("Pay in installments")
    await chan.send_text("分期還款")
    alex_messages = await alex.next_messages(3)
    chan_messages = await chan.next_messages(3)
    assert "Which suits you?" in alex_messages[2]["text"]
    assert "哪一種方案適合您" in chan_messages[2]["text"]


async def test_slow_answers_and_dropped_connections_are_survived(bot: Harness) -> None:
    user = bot.tg.user(512, "Alex")
    bot.tg.slow("sendMessage", 1.0)
    bot.tg.drop_next("sendMessage")
    await user.send_command("/start", await bot.link_token("T-EN"))
    (greeting,) = await user.next_messages(timeout=20)
    assert "automated assistant" in greeting["text"]
    await user.send_text("1990-05-17")
    (statement,) = await user.next_messages(timeout=20)
    assert "Total due" in statement["text"]
    assert len(user.messages) == 2  # the dropped call was retried, nothing doubled


async def test_messages_saved_before_a_crash_are_sent_once_afterwards(bot: Harness) -> None:
    from bot.service.events import Inbound
    from bot.service.linking import link_directly
    from bot.store.tables import OutboxRow

    user = bot.tg.user(513, "Alex")
    async with bot.app.sessions() as session, session.begin():
        await link_directly(
            session, channel="telegram", user_key="513", account_id="T-EN", now=clock()
        )
    # The transaction committed the reply, then the process died before sending:
    # the outbox row is all that is left, and the delivery loop picks it up.
    handled = await bot.app.runtime.on_inbound(
        Inbound(channel="telegram", chat_key="513", user_key="513", text="/start")
    )
    assert len(handled.queued) == 1
    (greeting,) = await user.next_messages(timeout=15)
    assert "automated assistant" in greeting["text"]
    import asyncio

    await asyncio.sleep(2.5)  # two more passes of the delivery loop
    assert len(user.messages) == 1
    assert await bot.count(OutboxRow, status="sent", chat_key="513") == 1
