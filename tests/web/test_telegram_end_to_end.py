"""A Telegram conversation against the local Bot API stand-in asks for a person; the
CRM API takes it, replies, reads the borrower's answer, and hands back to the bot,
which carries on in the borrower's language."""

from __future__ import annotations

import re

import httpx
import pytest

from bot.web.app import create_app
from tests.telegram.conftest import Harness, bot, clock  # noqa: F401 - the fixtures
from tests.web.conftest import TOKEN_ROLES


@pytest.mark.parametrize("framework", ["aiogram"])
async def test_a_person_takes_a_telegram_chat_and_hands_it_back(bot: Harness) -> None:  # noqa: F811
    from bot.service import people

    async with bot.app.sessions() as session, session.begin():
        token = await people.add_token(
            session, name="crm", role=people.Role(TOKEN_ROLES[0]), now=clock()
        )
    user = bot.tg.user(601, "小明", "zh-hans")
    await user.send_command("/start", await bot.link_token("T-HANS"))
    await user.next_messages()
    await user.send_text("1985年3月9日")
    await user.next_messages()
    await user.send_text("转人工")
    (handoff,) = await user.next_messages()
    ticket = re.search(r"T-[0-9A-Z]+", handoff["text"])
    assert ticket is not None
    api = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_app(bot.app)),
        base_url="http://console",
        headers={"Authorization": f"Bearer {token}"},
    )
    async with api:
        path = f"/api/escalations/{ticket.group(0)}"
        assert (await api.post(f"{path}/take")).status_code == 200
        (joined,) = await user.next_messages()
        assert "工作人员" in joined["text"]  # told in Simplified Chinese that a person is here
        assert (
            await api.post(f"{path}/reply", json={"text": "您好，我是美玲。"})
        ).status_code == 202
        (reply,) = await user.next_messages()
        assert reply["text"] == "您好，我是美玲。"
        await user.send_text("下周五可以先还一部分吗？")
        for _ in range(100):
            lines = (await api.get(f"{path}/transcript")).json()["items"]
            if lines[-1]["text"] == "下周五可以先还一部分吗？":
                break
            await user_wait()
        assert lines[-1]["from"] == "borrower"
        assert [line["delivered"] for line in lines if line["from"] == "agent"] == [True]
        handed = await api.post(f"{path}/hand-back", json={"state": "menu", "outcome": "resolved"})
        assert handed.status_code == 200
    (menu,) = await user.next_messages()
    assert "您" in menu["text"] and user.keyboard(
        menu
    )  # the bot's menu, in the borrower's language
    await user.send_text("每个月只能还一千")
    (plan,) = await user.next_messages()
    assert "¥" in plan["text"]


async def user_wait() -> None:
    import asyncio

    await asyncio.sleep(0.05)
