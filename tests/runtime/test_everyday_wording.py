"""Issue 30 end to end, on SQLite and PostgreSQL: idioms go on with the plan,
a complaint about staff is a complaint, an amount in words is an offer, a
Chinese-numeral birth date verifies. What is stored is checked in the database."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlmodel import col

from bot.store.tables import AccountRow, ArrangementRow, EscalationRow
from tests.runtime.conftest import WebChat, count_rows


async def _paused(web: WebChat, account: str) -> bool:
    async with web.app.sessions() as session:
        row = await session.get(AccountRow, account)
        assert row is not None
        return row.collection_paused


@pytest.mark.rule("R12")
@pytest.mark.parametrize(
    ("account", "birth", "offer", "idiom"),
    [
        (
            "T-EN",
            "17th May 1990",
            "I can pay 200 a month",
            "yes, set it up, I'm dying to have this behind me",
        ),
        ("T-HANS", "85年3月9号", "我每个月只能还八百", "好的确认，早点搞定我就不用天天愁死了"),
        ("T-HANT", "七八年十二月廿四", "每個月還八百", "好呀，快啲搞掂佢，煩到死"),
    ],
)
async def test_r12_an_idiom_at_the_confirmation_sets_the_plan_up_and_alarms_nobody(
    web: WebChat, account: str, birth: str, offer: str, idiom: str
) -> None:
    await web.say("i", f"/start {await web.link(account)}")
    await web.say("i", birth)  # ordinal and Chinese-numeral birth dates verify
    await web.say("i", offer)
    (done,) = await web.say("i", idiom)
    assert "A-" in done.text, done.text
    assert await count_rows(web, ArrangementRow, account_id=account) == 1
    assert await count_rows(web, EscalationRow, account_id=account) == 0
    assert not await _paused(web, account)


@pytest.mark.rule("R12")
async def test_r12_kill_my_budget_at_the_options_is_an_offer(web: WebChat) -> None:
    await web.say("b", f"/start {await web.link('T-EN')}")
    await web.say("b", "1990-05-17")
    await web.press("b", "Pay in installments")
    offered = await web.say("b", "150 a month, anything more would kill my budget")
    text = "\n".join(m.text for m in offered)
    # A plan within $150 a month, offered for confirmation.
    assert "Shall I set up this plan?" in text and "$146.73" in text, text
    assert await count_rows(web, EscalationRow, account_id="T-EN") == 0
    assert not await _paused(web, "T-EN")


@pytest.mark.rule("R15")
async def test_r15_a_complaint_about_staff_opens_a_complaint_not_a_handoff(web: WebChat) -> None:
    await web.say("c", f"/start {await web.link('T-EN')}")
    await web.say("c", "1990-05-17")
    await web.say("c", "your agent was rude and hung up on me, I want to lodge a complaint")
    async with web.app.sessions() as session:
        reasons = (
            await session.execute(
                select(col(EscalationRow.reason)).where(col(EscalationRow.account_id) == "T-EN")
            )
        ).scalars()
        assert list(reasons) == ["complaint"]
