"""Local conventions reach the chat, over both adapters and both databases: HK$ and
Hong Kong wording for a Hong Kong account, NT$ and Taiwan wording for a Taiwan one,
a British date for a London one (issue 7 point 9)."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import update

from bot.store.tables import AccountRow
from tests.telegram.conftest import Harness
from tests.telegram.fake_bot_api import entity_texts


async def _move(bot: Harness, account_id: str, **values: Any) -> None:
    async with bot.app.sessions() as session, session.begin():
        await session.execute(
            update(AccountRow)
            .where(AccountRow.account_id == account_id)  # type: ignore[arg-type]
            .values(**values)
        )


async def _menu(bot: Harness, chat_id: int) -> dict[str, str]:
    """The command menu set for one chat (command -> description), once it is set."""
    key = (f'{{"chat_id": {chat_id}, "type": "chat"}}', "")
    for _ in range(200):
        if key in bot.tg.commands:
            break
        await asyncio.sleep(0.05)
    return {c["command"]: c["description"] for c in bot.tg.commands[key]}


async def _statement(
    bot: Harness, user_id: int, account_id: str, birth_date: str
) -> tuple[str, dict[str, Any]]:
    """(the birth-date question, the statement message) after linking and verifying."""
    user = bot.tg.user(user_id, "Borrower")
    await user.send_command("/start", await bot.link_token(account_id))
    opening = "\n".join(m["text"] for m in await user.next_messages())
    await user.send_text(birth_date)
    (statement,) = await user.next_messages()
    return opening, statement


async def test_each_market_reads_its_own_money_dates_and_words(bot: Harness) -> None:
    # Hong Kong: the fixture account as imported (Asia/Hong_Kong, HKD, zh-Hant).
    opening, statement = await _statement(bot, 701, "T-HANT", "1978-12-24")
    assert "為保障您的私隱" in opening and "1980-01-31" in opening
    # Each line says the day its figure is computed to (issue 34 point 5), and the
    # header claims no date: today (22 Nov) is not the day any figure was worked out.
    assert "您的結單明細：" in statement["text"]
    assert "• 信用卡結欠：HK$6,000.00（截至2026年10月1日）" in statement["text"]
    assert "• 利息：HK$210.00（計至2026年10月31日）" in statement["text"]
    assert "• 年費：HK$300.00（2026年11月1日收取）" in statement["text"]
    assert "2026年11月22日" not in statement["text"]
    assert "結欠總額：HK$6,510.00" in statement["text"]
    assert "HK$6,510.00" in entity_texts(statement)
    assert "帳單" not in statement["text"]
    assert (await _menu(bot, 701))[
        "help"
    ] == "我能為您做甚麼"  # the chat's menu in Hong Kong wording

    # Taiwan: a Traditional Chinese account in Taipei, in Taiwan dollars.
    await _move(
        bot,
        "T-HANS",
        locale="zh_Hant",
        timezone="Asia/Taipei",
        phone="+886912345678",
        currency="TWD",
    )
    opening, statement = await _statement(bot, 702, "T-HANS", "1985-03-09")
    assert "為保障您的隱私" in opening
    assert "您的帳單明細：" in statement["text"]
    assert "• 利息：NT$420（計至2026年9月30日）" in statement["text"]
    assert "• 滞纳金：NT$100（2026年10月5日入帳）" in statement["text"]
    # Taiwan's statement words and whole Taiwan dollars (issue 32).
    assert "本期應繳總額：NT$8,520" in statement["text"]
    assert "NT$8,520.00" not in statement["text"]
    assert "NT$8,520" in entity_texts(statement)
    assert "繳款截止日：2026年10月1日" in statement["text"]
    assert not [w for w in ("私隱", "戶口", "結單") if w in opening + statement["text"]]
    assert (await _menu(bot, 702))["help"] == "我能為您做什麼"

    # Great Britain: an English account in London, in pounds, with British dates.
    await _move(bot, "T-EN", timezone="Europe/London", phone="+447700900002", currency="GBP")
    _, statement = await _statement(bot, 703, "T-EN", "1990-05-17")
    assert "Your statement:" in statement["text"]
    assert "• Card balance: £1,200.00 (as of 1 Oct 2026)" in statement["text"]
    assert "• October interest: £85.50 (to 31 Oct 2026)" in statement["text"]
    assert "• Late payment fee: £35.00 (charged 19 Nov 2026)" in statement["text"]
    assert "22 Nov 2026" not in statement["text"]
    assert "Total due: £1,320.50" in statement["text"]
    assert "Due date: 18 Nov 2026" in statement["text"]
    assert "£1,320.50" in entity_texts(statement)
