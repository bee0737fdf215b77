"""Borrowers' own words through the runtime and a third channel, on SQLite and PostgreSQL.

The runtime reads each typed message once and the engine routes it: the same
examples as tests/engine/test_understanding_routes.py, end to end, with what
is stored checked in the database.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlmodel import col

from bot.service.accounts_import import import_accounts
from bot.service.events import AgentAction, AgentActionKind
from bot.store.tables import (
    AccountRow,
    ArrangementRow,
    ConversationRow,
    DisputeRow,
    EscalationRow,
)
from tests.runtime.conftest import CHANNEL, WebChat

TAIWAN_ACCOUNT = (
    "account_id,borrower_name,phone,birth_date,locale,timezone,currency,due_date,"
    "charge_id,charge_kind,charge_description,charge_amount,charge_posted_on\n"
    "T-TW,林美玲,+886912345678,1990-05-17,zh-Hant,Asia/Taipei,TWD,2026-11-10,"
    "T-TW-P,principal,信用卡帳款,30000.00,2026-10-01\n"
)


async def _count(web: WebChat, table: type, **where: object) -> int:
    async with web.app.sessions() as session:
        query = select(func.count()).select_from(table)
        for name, value in where.items():
            query = query.where(getattr(table, name) == value)
        return int((await session.execute(query)).scalar_one())


async def _start(web: WebChat, user: str, account: str) -> None:
    (greeting,) = await web.say(user, f"/start {await web.link(account)}")
    # The lender in the borrower's language (policy lender_names, issue 32).
    assert re.search("Harbor Consumer Finance|海港消费金融|海港消費金融", greeting.text)


async def test_a_us_borrower_disputes_the_late_fee_in_words(web: WebChat) -> None:
    await _start(web, "d1", "T-EN")
    (statement,) = await web.say("d1", "05/17/1990")  # month first: a US account
    assert "Total due: $1,320.50" in statement.text
    (selected,) = await web.say("d1", "I never agreed to that late fee")
    assert "✓" in selected.text and "Late payment fee" in selected.text
    assert "Continue" in dict(selected.buttons)
    await web.press("d1", "Continue")
    (done,) = await web.say("d1", "customer service told me this fee would be waived")
    assert "Your dispute is recorded (reference D-" in done.text
    assert await _count(web, DisputeRow, account_id="T-EN") == 1
    assert await _count(web, EscalationRow, account_id="T-EN") == 0


async def test_a_promise_by_a_date_in_words_and_a_plain_yes(web: WebChat) -> None:
    await _start(web, "p1", "T-EN")
    await web.say("p1", "1990-05-17")
    (confirm,) = await web.say("p1", "ill clear it all by dec 5")
    assert "Shall I arrange a payment of $1,320.50 by Dec 5, 2026?" in confirm.text
    (done,) = await web.say("p1", "yes")
    assert "Payment arranged: $1,320.50 by Dec 5, 2026" in done.text
    assert await _count(web, ArrangementRow, account_id="T-EN") == 1


async def test_an_offer_in_chinese_at_the_installment_options(web: WebChat) -> None:
    await _start(web, "h1", "T-HANS")
    (statement,) = await web.say("h1", "85年3月9号")
    assert "8,520.00" in statement.text
    await web.press("h1", "分期还款")
    (plan,) = await web.say("h1", "我每个月只能还八百")
    assert "11" in plan.text  # 11 monthly payments of about ¥800
    (done,) = await web.say("h1", "好")
    assert "A-" in done.text
    assert await _count(web, ArrangementRow, account_id="T-HANS") == 1


async def test_a_hong_kong_dispute_reason_naming_customer_service(web: WebChat) -> None:
    await _start(web, "k1", "T-HANT")
    (statement,) = await web.say("k1", "24/12/1978")  # day first: a Hong Kong account
    assert "6,510.00" in statement.text
    (selected,) = await web.say("k1", "年費唔係我申請嘅")
    assert "✓" in selected.text and "年費" in selected.text
    await web.say("k1", "好")  # continue with that charge
    (done,) = await web.say("k1", "客服話年費會豁免")
    assert "D-" in done.text
    async with web.app.sessions() as session:
        reason = (await session.execute(select(col(DisputeRow.reason)))).scalar_one()
    assert reason == "客服話年費會豁免"
    assert await _count(web, EscalationRow, account_id="T-HANT") == 0


async def test_an_ambiguous_birth_date_is_asked_back_not_counted(
    web: WebChat, tmp_path: Path
) -> None:
    source = tmp_path / "taiwan.csv"
    source.write_text(TAIWAN_ACCOUNT, encoding="utf-8")
    await import_accounts(web.app.sessions, source)
    await _start(web, "t1", "T-TW")
    (question,) = await web.say("t1", "79年5月17日")  # Minguo 79 (1990) or 1979?
    labels = [label for label, _ in question.buttons]
    assert labels == ["1990年5月17日", "1979年5月17日"]
    async with web.app.sessions() as session:
        account = await session.get(AccountRow, "T-TW")
        assert account is not None
        assert account.verify_failures == 0
    (statement,) = await web.press("t1", "1990年5月17日")
    assert "30,000" in statement.text


@pytest.mark.rule("R12")
async def test_crisis_at_a_confirmation_pauses_collection_R12(web: WebChat) -> None:
    await _start(web, "c1", "T-EN")
    await web.say("c1", "1990-05-17")
    await web.say("c1", "ill clear it all by dec 5")
    (care,) = await web.say("c1", "honestly I just want to end my life")
    assert "You matter" in care.text
    async with web.app.sessions() as session:
        account = await session.get(AccountRow, "T-EN")
        assert account is not None and account.collection_paused
    assert await _count(web, ArrangementRow, account_id="T-EN") == 0


@pytest.mark.rule("R12")
async def test_crisis_the_word_lists_miss_still_reaches_a_person_in_charge_R12(
    web: WebChat,
) -> None:
    await _start(web, "c2", "T-HANS")
    await web.say("c2", "1985-03-09")
    async with web.app.sessions() as session:
        query = select(ConversationRow).where(col(ConversationRow.chat_key) == "c2")
        conversation = (await session.execute(query)).scalar_one()
    assert conversation.id is not None
    await web.app.runtime.on_agent(
        AgentAction(AgentActionKind.TAKE_OVER, "mei", conversation.id, action_key="c2-take")
    )
    await web.app.outbox.deliver_chat(CHANNEL, "c2")  # "a person has joined"
    assert await web.say("c2", "再逼我我就从楼上跳下去") == []  # the person answers, not the bot
    async with web.app.sessions() as session:
        account = await session.get(AccountRow, "T-HANS")
        assert account is not None and account.collection_paused


async def test_gibberish_is_not_understood_and_changes_nothing(web: WebChat) -> None:
    """ "zzz" once opened the language menu at the date question; "kkkk" read as a sure
    "yes" would have set up a plan nobody agreed to."""
    await _start(web, "g1", "T-EN")
    (again,) = await web.say("g1", "zzz")
    assert "couldn't read that date" in again.text and "date of birth" in again.text
    await web.say("g1", "1990-05-17")
    (confirm,) = await web.say("g1", "I can pay 200 a month")
    assert "Shall I set up this plan?" in confirm.text
    (asked,) = await web.say("g1", "kkkk")
    assert "didn't understand" in asked.text
    assert await _count(web, ArrangementRow, account_id="T-EN") == 0
    (done,) = await web.say("g1", "yes")
    assert "Your plan is set up" in done.text
