"""Invisible characters in what a borrower types over Telegram are removed at the
runtime's door, over both adapters and both databases: a birth date pasted with a
zero-width space, a bidi mark and a byte order mark inside verifies at once."""

from __future__ import annotations

from bot.store.tables import AccountRow
from tests.telegram.conftest import Harness


async def test_a_pasted_birth_date_with_invisible_characters_verifies(bot: Harness) -> None:
    user = bot.tg.user(811, "Alex")
    await user.send_command("/start", await bot.link_token("T-EN"))
    await user.next_messages()
    await user.send_text("\ufeff1990-0\u200b5-\u200e17\u2060")
    (statement,) = await user.next_messages()
    assert "Total due: $1,320.50" in statement["text"]
    async with bot.app.sessions() as session:
        account = await session.get(AccountRow, "T-EN")
        assert account is not None and account.verify_failures == 0
