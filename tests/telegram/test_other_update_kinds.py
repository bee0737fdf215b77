"""Updates no conversation is made of (an edit, a reaction) are asked not to come, and
when they come anyway they are confirmed and dropped: never kept in the inbox, where
nothing would claim them and every start would hand them round again."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.channels.telegram.polling import CONVERSATION_KINDS, conversational
from bot.store.tables import InboxRow
from tests.telegram.conftest import Harness


async def _kept(bot: Harness) -> int:
    async with bot.app.sessions() as session:
        return int((await session.execute(select(func.count()).select_from(InboxRow))).scalar_one())


async def test_telegram_is_asked_only_for_what_a_conversation_is_made_of(bot: Harness) -> None:
    polls = bot.tg.method_calls("getUpdates")
    assert polls
    assert all(sorted(p["allowed_updates"]) == sorted(CONVERSATION_KINDS) for p in polls)


async def test_an_edit_and_a_reaction_are_confirmed_and_never_kept(bot: Harness) -> None:
    user = bot.tg.user(901, "Alex")
    await user.send_command("/start", await bot.link_token("T-EN"))
    (welcome,) = await user.next_messages()
    kept_before = await _kept(bot)
    chat = {"id": 901, "type": "private"}
    edit = await bot.tg.push_update(
        {
            "edited_message": {
                "message_id": 77,
                "date": 1,
                "edit_date": 2,
                "chat": chat,
                "from": {"id": 901, "is_bot": False, "first_name": "Alex"},
                "text": "1990-05-17",
            }
        }
    )
    reaction = await bot.tg.push_update(
        {
            "message_reaction": {
                "chat": chat,
                "message_id": welcome["message_id"],
                "date": 3,
                "user": {"id": 901, "is_bot": False, "first_name": "Alex"},
                "old_reaction": [],
                "new_reaction": [{"type": "emoji", "emoji": "👍"}],
            }
        }
    )
    await user.send_text("1990-05-17")  # the conversation goes on past them
    (statement,) = await user.next_messages()
    assert "Total due" in statement["text"]
    assert not conversational(edit) and not conversational(reaction)
    # Only the birth date was kept: the two others were confirmed (the next poll's
    # offset is past them) and left out of the inbox.
    assert await _kept(bot) == kept_before + 1
    offsets = [int(p.get("offset") or 0) for p in bot.tg.method_calls("getUpdates")]
    assert max(offsets) > reaction["update_id"]
