"""Telegram that feels native, over both adapters and both databases: HTML with amounts
in bold and everything else escaped, short buttons two to a row, the chosen answer kept
visible with one edit per press, the contact keyboard taken away after linking, and a
chat menu that follows /language."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update

from bot.store.tables import AccountRow, ChannelLinkRow
from tests.telegram.conftest import Harness
from tests.telegram.fake_bot_api import FakeUser, entity_texts

HOSTILE_NAME = "Alex <b>Boss</b> & <script>x</script>"


async def _verified(bot: Harness, user_id: int, account: str = "T-EN") -> tuple[FakeUser, Any]:
    user = bot.tg.user(user_id, "Alex")
    await user.send_command("/start", await bot.link_token(account))
    await user.next_messages()
    await user.send_text("1990-05-17")
    (statement,) = await user.next_messages()
    return user, statement


def _rows(message: dict[str, Any]) -> list[list[str]]:
    markup = message.get("reply_markup") or {}
    return [[b["text"] for b in row] for row in markup.get("inline_keyboard", [])]


async def test_amounts_are_bold_and_a_name_with_markup_stays_text(bot: Harness) -> None:
    async with bot.app.sessions() as session, session.begin():
        await session.execute(
            update(AccountRow)
            .where(AccountRow.account_id == "T-EN")  # type: ignore[arg-type]
            .values(borrower_name=HOSTILE_NAME)
        )
    _, statement = await _verified(bot, 601)
    assert "Total due: $1,320.50" in statement["text"]
    assert "Boss</b> & <script>" in statement["text"]  # the name, shown as typed
    bold = entity_texts(statement)
    assert "$1,320.50" in bold
    assert bold and all(piece.startswith("$") for piece in bold)  # only amounts are bold
    # Sent in HTML parse mode: every sendMessage of this chat said so.
    sent = [
        p for m, p in bot.tg.calls if m.lower() == "sendmessage" and str(p.get("chat_id")) == "601"
    ]
    assert sent and all(str(p.get("parse_mode")).upper() == "HTML" for p in sent)


async def test_a_press_keeps_the_answer_visible_with_one_edit(bot: Harness) -> None:
    user, statement = await _verified(bot, 602)
    before = len(bot.tg.calls)
    await user.press("Pay in installments")
    (options,) = await user.next_messages()
    during = [method.lower() for method, _ in bot.tg.calls[before:]]
    assert during.count("editmessagetext") == 1
    assert "editmessagereplymarkup" not in during
    assert during.count("sendmessage") == 1
    answered = next(m for m in user.messages if m["message_id"] == statement["message_id"])
    assert answered["text"].endswith("\n\n✓ Pay in installments")
    assert answered["text"].startswith(statement["text"])
    assert user.keyboard(answered) == []
    assert "$1,320.50" in entity_texts(answered)  # the edit kept the bold amounts
    assert user.keyboard(options)


async def test_a_typed_answer_still_closes_the_keyboard_with_one_edit(bot: Harness) -> None:
    user, statement = await _verified(bot, 603)
    before = len(bot.tg.calls)
    await user.send_text("1")
    await user.next_messages()
    during = [method.lower() for method, _ in bot.tg.calls[before:]]
    assert during.count("editmessagereplymarkup") + during.count("editmessagetext") == 1
    answered = next(m for m in user.messages if m["message_id"] == statement["message_id"])
    assert user.keyboard(answered) == []


async def test_short_labels_share_a_row_and_long_ones_stand_alone(bot: Harness) -> None:
    user, statement = await _verified(bot, 604)
    await user.send_command("/language")
    (ask,) = await user.next_messages()
    assert _rows(ask) == [["English", "简体中文"], ["繁體中文"]]
    assert all(len(row) == 1 for row in _rows(statement) if any(len(t) > 16 for t in row))


async def test_the_contact_keyboard_goes_away_once_linked(bot: Harness) -> None:
    user = bot.tg.user(505, "Chan", "zh-hk")
    await user.send_text("你好")
    await user.next_messages()
    assert bot.tg.reply_keyboards[505]["keyboard"][0][0]["request_contact"] is True
    await user.share_contact("+85291230001", own=True)
    await user.next_messages()
    assert await bot.count(ChannelLinkRow, user_key="505", account_id="T-HANT") == 1
    assert 505 not in bot.tg.reply_keyboards


async def test_the_chat_menu_follows_language(bot: Harness) -> None:
    user, _ = await _verified(bot, 606)
    await user.send_command("/language")
    await user.next_messages()
    await user.press("简体中文")
    await user.next_messages()
    chat_scope = bot.tg.commands[('{"chat_id": 606, "type": "chat"}', "")]
    assert [c["description"] for c in chat_scope][3] == "转人工客服"
    await user.send_command("/language")
    await user.next_messages()
    await user.press("English")
    await user.next_messages()
    chat_scope = bot.tg.commands[('{"chat_id": 606, "type": "chat"}', "")]
    assert [c["command"] for c in chat_scope][3] == "human"
    assert "转" not in [c["description"] for c in chat_scope][3]


async def test_the_dispute_multi_select_ticks_in_place(bot: Harness) -> None:
    user, _ = await _verified(bot, 607)
    await user.press("Dispute a charge")
    (select,) = await user.next_messages()
    labels = [label for label, _ in user.keyboard(select)]
    assert "☐ Late fee $35.00" in labels
    assert all(len(label) <= 24 for label in labels)  # fits a phone: kind and amount
    sent_before = len(user.messages)
    before = len(bot.tg.calls)
    await user.press("☐ Late fee $35.00", select)
    await user.wait_for_button(select, "☑ Late fee $35.00")  # the tick arrives as an edit
    await user.press("☐ Interest $85.50", select)
    await user.wait_for_button(select, "☑ Interest $85.50")
    during = [method.lower() for method, _ in bot.tg.calls[before:]]
    assert len(user.messages) == sent_before  # no new message per tap
    assert during.count("editmessagetext") == 2 and "sendmessage" not in during
    assert "editmessagereplymarkup" not in during
    ticked = [label for label, _ in user.keyboard(select)]
    assert "☑ Late fee $35.00" in ticked and "☑ Interest $85.50" in ticked
    assert "✓ Late payment fee: $35.00" in select["text"]
    await user.press("Continue", select)
    (reason,) = await user.next_messages()
    assert "why you dispute" in reason["text"]
    assert user.keyboard(select) == []
    assert select["text"].endswith("✓ Continue")
