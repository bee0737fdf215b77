"""Links, locks, ids and presses an attacker or a careless borrower would try, over both
adapters and both databases (issue 15, points 1 to 5 and 7).

Each test failed on the code before the runtime owned these checks: the lock was
per chat, relinking lifted it, six simultaneous /start TOKEN all linked, the link's
owner was told it was invalid, a second loan's plan was confirmed but never saved,
and a forged press wrote into the victim's chat.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import col

from bot.service.accounts_import import import_accounts
from bot.store.tables import ArrangementRow, ChannelLinkRow, ConversationRow, DisputeRow
from tests.telegram.conftest import Harness
from tests.telegram.fake_bot_api import FakeUser

LOCKED = "can't continue with the date of birth check"
WRONG_DATES = ("1990-01-01", "1990-01-02", "1990-01-03")
SECOND_LOAN = (
    "account_id,borrower_name,phone,birth_date,locale,timezone,currency,due_date,"
    "charge_id,charge_kind,charge_description,charge_amount,charge_posted_on\n"
    "T-EN-2,Alex Morgan,+15550100002,1990-05-17,en,America/New_York,USD,2026-11-10,"
    "T-EN-2-P,principal,Personal loan,900.00,2026-09-01\n"
)


async def _lock(user: FakeUser) -> None:
    """Three wrong birth dates: the account's verification locks."""
    for wrong in WRONG_DATES:
        await user.send_text(wrong)
        await user.next_messages()


async def _linked(
    bot: Harness, user: FakeUser, account: str = "T-EN", asks: str = "date of birth"
) -> None:
    await user.send_command("/start", await bot.link_token(account))
    (greeting,) = await user.next_messages()
    assert asks in greeting["text"]


@pytest.mark.rule("R5")
async def test_a_lock_holds_for_the_account_not_the_chat(bot: Harness) -> None:
    first = bot.tg.user(901, "Alex")
    await _linked(bot, first)
    await _lock(first)
    assert LOCKED in first.texts[-1]
    # A second Telegram user with a fresh link for the same loan gets no new guesses.
    second = bot.tg.user(902, "Mallory")
    await second.send_command("/start", await bot.link_token("T-EN"))
    await second.next_messages()
    await second.send_text("1990-05-17")
    (answer,) = await second.next_messages()
    for text in second.texts:
        assert "1,320" not in text and "Alex" not in text and "Morgan" not in text
    assert LOCKED in answer["text"]
    assert "stays locked until a person" in answer["text"]


@pytest.mark.rule("R5")
async def test_linking_another_loan_does_not_lift_a_lock(bot: Harness) -> None:
    user = bot.tg.user(903, "Alex")
    await _linked(bot, user)
    await _lock(user)
    await _linked(bot, user, "T-HANS", asks="出生日期")  # the chat's other loan, verified correctly
    await user.send_text("1985-03-09")
    (statement,) = await user.next_messages()
    assert "8,520" in statement["text"]
    await user.send_command("/start", await bot.link_token("T-EN"))  # back to the locked one
    await user.next_messages()
    await user.send_text("1990-05-17")
    (answer,) = await user.next_messages()
    assert "1,320" not in answer["text"]
    assert LOCKED in answer["text"]
    assert "stays locked until a person" in answer["text"]


@pytest.mark.rule("R5")
async def test_six_users_racing_for_one_link_link_exactly_one(bot: Harness) -> None:
    token = await bot.link_token("T-EN")
    users = [bot.tg.user(910 + i, f"Racer{i}") for i in range(6)]
    await asyncio.gather(*(u.send_command("/start", token) for u in users))
    for user in users:
        await user.next_messages()
    async with bot.app.sessions() as session:
        linked = (
            await session.execute(
                select(col(ChannelLinkRow.user_key)).where(col(ChannelLinkRow.account_id) == "T-EN")
            )
        ).all()
    assert len(linked) == 1
    asked = [u for u in users if "date of birth" in u.texts[0]]
    assert [str(u.user_id) for u in asked] == [linked[0][0]]
    assert sum("no longer valid" in u.texts[0] for u in users) == 5


@pytest.mark.rule("R5")
async def test_the_owner_tapping_the_link_again_is_taken_back(bot: Harness) -> None:
    user = bot.tg.user(920, "Alex")
    token = await bot.link_token("T-EN")
    await user.send_command("/start", token)
    await user.next_messages()
    await user.send_command("/start", token)  # Telegram sends it again on every tap
    (again,) = await user.next_messages()
    assert "no longer valid" not in again["text"]
    assert "date of birth" in again["text"]
    await user.send_text("1990-05-17")
    (statement,) = await user.next_messages()
    assert "Total due: $1,320.50" in statement["text"]
    await user.send_command("/start", token)  # verified: back where they are
    (back,) = await user.next_messages()
    assert "no longer valid" not in back["text"]
    assert "1,320" in back["text"] or "What would you like to do?" in back["text"]


async def _plan(user: FakeUser, option: str) -> str:
    await user.press("Pay in installments")
    await user.next_messages()
    await user.press(option)
    await user.next_messages()
    await user.press("Yes, set it up")
    (done,) = await user.next_messages()
    assert "Your plan is set up (reference" in done["text"]
    found = re.search(r"\(reference (\S+?)\)", done["text"])
    assert found is not None, done["text"]
    return found.group(1)


async def test_two_loans_two_plans_each_saved_under_its_own_reference(
    bot: Harness, tmp_path: Path
) -> None:
    second = tmp_path / "second.csv"
    second.write_text(SECOND_LOAN, encoding="utf-8")
    await import_accounts(bot.app.sessions, second)
    user = bot.tg.user(930, "Alex")
    await _linked(bot, user)
    await user.send_text("1990-05-17")
    await user.next_messages()
    first = await _plan(user, "3 monthly payments of $440.17")
    await _linked(bot, user, "T-EN-2")
    await user.send_text("1990-05-17")
    (statement,) = await user.next_messages()
    assert "$900.00" in statement["text"]
    second_ref = await _plan(user, "3 monthly payments of $300.00")
    assert first != second_ref
    async with bot.app.sessions() as session:
        saved = {
            row.id: row.account_id
            for row in (await session.execute(select(ArrangementRow))).scalars()
        }
    assert saved == {first: "T-EN", second_ref: "T-EN-2"}  # each confirmed one exists


async def test_two_disputes_get_two_cases_each_holding_its_charge(
    bot: Harness, tmp_path: Path
) -> None:
    second = tmp_path / "second.csv"
    second.write_text(SECOND_LOAN, encoding="utf-8")
    await import_accounts(bot.app.sessions, second)
    user = bot.tg.user(931, "Alex")
    cases = []
    for account, charge in (("T-EN", "☐ Late fee $35.00"), ("T-EN-2", "☐ Principal $900.00")):
        await _linked(bot, user, account)
        await user.send_text("1990-05-17")
        await user.next_messages()
        await user.press("Dispute a charge")
        (choose,) = await user.next_messages()
        await user.press(charge, choose)
        await user.wait_for_button(choose, charge.replace("☐", "☑"))
        await user.press("Continue", choose)
        await user.next_messages()
        await user.send_text("I never agreed to this")
        (case,) = await user.next_messages()
        found = re.search(r"\(reference (\S+?)\)", case["text"])
        assert found is not None, case["text"]
        cases.append((found.group(1), account))
    async with bot.app.sessions() as session:
        saved = {
            (row.id, row.account_id)
            for row in (await session.execute(select(DisputeRow))).scalars()
        }
    assert saved == set(cases)
    assert cases[0][0] != cases[1][0]


@pytest.mark.rule("R5")
async def test_a_press_by_someone_else_on_a_borrowers_chat_says_nothing_there(
    bot: Harness,
) -> None:
    victim = bot.tg.user(940, "Alex")
    await _linked(bot, victim)
    await victim.send_text("1990-05-17")
    (menu,) = await victim.next_messages()
    attacker = bot.tg.user(941, "Mallory")
    data = dict(victim.keyboard(menu))["Pay in installments"]
    before = len(bot.tg.answered_callbacks)
    for _ in range(3):
        await attacker.press_data(data, menu)  # a callback on the victim's message
    for _ in range(200):
        if len(bot.tg.answered_callbacks) == before + 3:
            break
        await asyncio.sleep(0.05)
    assert len(bot.tg.answered_callbacks) == before + 3
    assert all(not answer.get("text") for answer in bot.tg.answered_callbacks[before:])
    await asyncio.sleep(0.3)
    assert len(victim.messages) == 2  # nothing new in the victim's chat
    assert bot.tg.messages[941] == []
    async with bot.app.sessions() as session:
        frames = (
            await session.execute(
                select(col(ConversationRow.frames)).where(col(ConversationRow.chat_key) == "940")
            )
        ).scalar_one()
    assert frames[-1] == "menu"
    # The victim's own keyboard still works.
    await victim.press("Pay in installments", menu)
    (options,) = await victim.next_messages()
    assert "monthly payments" in str(victim.keyboard(options))
