"""Issue 34 point 1 (R8): a dispute reaches everything that collects.

A dispute on a charge inside an active arrangement puts the arrangement on hold
(`suspended`), names it on the case, and says so to the borrower; no statement,
offer, promise or link asks for the disputed money; nothing is offered or
recorded for 0. Driven through the runtime (web-chat channel), SQLite and
PostgreSQL, in every locale.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlmodel import col

from bot.service.events import Trigger
from bot.service.outbox import OutgoingMessage
from bot.store.tables import ArrangementRow, ConversationRow, DisputeRow
from tests.negotiation.test_one_arrangement import BORROWERS, _agree_plan, _arrangements, _tap
from tests.runtime.conftest import NOW, WebChat

PLAN_ON_HOLD = {
    "en": "what we agreed with you (reference {ref}) is on hold too",
    "zh_Hans": "您与我们的约定（受理编号 {ref}）也一并暂停",
    "zh_Hant": "您與我們的約定（參考編號 {ref}）亦會暫停",
}
STATEMENT_ON_HOLD = {
    "en": "What we agreed with you (reference {ref}) is on hold while we review your dispute.",
    "zh_Hans": "您与我们的约定（受理编号 {ref}）在争议审核期间暂停执行。",
    "zh_Hant": "您與我們的約定（參考編號 {ref}）在爭議審核期間暫停執行。",
}
NOTHING_DUE = {
    "en": "Everything on your account is on hold while we review your dispute",
    "zh_Hans": "您账户上的全部款项都在争议审核中",
    # T-HANT is a Hong Kong account: the zh_Hant_HK wording.
    "zh_Hant": "您戶口上的全部款項都在爭議審核中",
}
MONTHLY = {
    "en": "I can pay 300 a month",
    "zh_Hans": "我每个月可以还300",
    "zh_Hant": "我每個月可以還300",
}
PLAN_LEFT = ("left to pay under the plan", "计划", "計劃")


async def _verified(web: WebChat, user: str, locale: str) -> str:
    account, birth = BORROWERS[locale]
    await web.say(user, f"/start {await web.link(account)}")
    await web.say(user, birth)
    return account


async def _dispute(web: WebChat, user: str, charge: int) -> list[OutgoingMessage]:
    """From the menu: Dispute a charge, tick the `charge`-th open one, Continue, a reason."""
    await _tap(web, user, 3)  # the menu: pay in full, installments, more time, dispute
    (select_screen,) = await _tap(web, user, charge)
    # The charge buttons come first, then Continue and Cancel.
    await _tap(web, user, len(select_screen.buttons) - 2)
    return await web.say(user, "I never agreed to this charge")


async def _see_account(web: WebChat, user: str) -> list[OutgoingMessage]:
    """After the dispute is recorded the bot asks whether there is anything else
    (one message, not the whole statement again): "See my account" shows the statement
    and its menu."""
    return await _tap(web, user, 0)


async def _rows(web: WebChat, account: str) -> tuple[list[ArrangementRow], list[DisputeRow]]:
    async with web.app.sessions() as session:
        disputes = select(DisputeRow).where(col(DisputeRow.account_id) == account)
        return await _arrangements(web, account), list((await session.execute(disputes)).scalars())


@pytest.mark.rule("R8")
@pytest.mark.parametrize("locale", list(BORROWERS))
async def test_r8_a_dispute_after_a_plan_puts_the_plan_on_hold_and_opens_the_case(
    web: WebChat, locale: str
) -> None:
    user = f"hold-{locale}"
    account = await _verified(web, user, locale)
    await _agree_plan(web, user, 0)
    await _tap(web, user, 0)  # back to my options: the statement and the menu
    (plan,) = await _arrangements(web, account)

    (reply,) = await _dispute(web, user, 2)  # the third charge: late fee / annual fee

    (arrangements, disputes) = await _rows(web, account)
    assert [a.status for a in arrangements] == ["suspended"]
    (case,) = disputes
    assert case.arrangement_id == plan.id
    assert case.status == "open"
    assert case.answer_due_on > NOW.date()
    assert case.id in reply.text
    assert PLAN_ON_HOLD[locale].format(ref=plan.id) in reply.text
    assert not any(words in reply.text for words in PLAN_LEFT)
    # The statement no longer shows the held plan's next payment or what is left on it.
    (statement,) = await _see_account(web, user)
    assert STATEMENT_ON_HOLD[locale].format(ref=plan.id) in statement.text
    assert not any(words in statement.text for words in PLAN_LEFT)

    # Seen again later (the stored arrangement, not this step's view): still on hold.
    await web.say(user, "/start")
    (later,) = await web.say(user, BORROWERS[locale][1])
    assert STATEMENT_ON_HOLD[locale].format(ref=plan.id) in later.text
    assert not any(words in later.text for words in PLAN_LEFT)


@pytest.mark.rule("R8")
async def test_r8_a_dispute_after_a_promise_puts_the_promise_on_hold(web: WebChat) -> None:
    user = "promise-hold"
    await _verified(web, user, "en")
    await _tap(web, user, 0)  # pay in full by a date
    await web.say(user, (NOW + timedelta(days=10)).date().isoformat())
    (done,) = await _tap(web, user, 0)  # yes, record it
    assert "$1,320.50" in done.text
    await _tap(web, user, 0)  # back to my options
    (promise,) = await _arrangements(web, "T-EN")

    (reply,) = await _dispute(web, user, 1)  # the interest

    (arrangements, disputes) = await _rows(web, "T-EN")
    assert [a.status for a in arrangements] == ["suspended"]
    assert disputes[0].arrangement_id == promise.id
    assert "You told us you would pay" not in reply.text
    assert PLAN_ON_HOLD["en"].format(ref=promise.id) in reply.text


@pytest.mark.rule("R8")
async def test_r8_a_new_plan_on_what_is_left_replaces_the_one_on_hold(web: WebChat) -> None:
    user = "replan"
    await _verified(web, user, "en")
    await _agree_plan(web, user, 0)
    await _tap(web, user, 0)
    (held,) = await _arrangements(web, "T-EN")
    await _dispute(web, user, 2)  # the late fee: $35.00 held
    await _see_account(web, user)
    await _agree_plan(web, user, 0)  # with the borrower's consent: a plan on the rest
    arrangements = await _arrangements(web, "T-EN")
    (old,) = [a for a in arrangements if a.id == held.id]
    (new,) = [a for a in arrangements if a.id != held.id]
    assert (old.status, old.superseded_by) == ("superseded", new.id)
    assert (new.status, new.amount) == ("active", Decimal("1285.50"))


@pytest.mark.rule("R8")
@pytest.mark.parametrize("locale", list(BORROWERS))
async def test_r8_with_every_charge_disputed_an_offer_records_nothing_for_zero(
    web: WebChat, locale: str
) -> None:
    user = f"all-{locale}"
    account = await _verified(web, user, locale)
    for _ in range(3):
        await _dispute(web, user, 0)  # the first open charge, each time
        (reply,) = await _see_account(web, user)
    # No offers: difficulty, a person, language, reminders and quiet times, done.
    assert len(reply.buttons) == 5
    (answer,) = await web.say(user, MONTHLY[locale])
    assert NOTHING_DUE[locale] in answer.text  # what can be done instead
    for said in ("2026-12-05", "yes"):
        (answer,) = await web.say(user, said)
        assert "amount=" not in answer.text  # no payment link
    arrangements, disputes = await _rows(web, account)
    assert arrangements == []
    assert len(disputes) == 3


@pytest.mark.rule("R8")
async def test_r8_with_every_charge_disputed_the_hardship_path_offers_no_plan(
    web: WebChat,
) -> None:
    user = "all-hardship"
    await _verified(web, user, "en")
    for _ in range(3):
        await _dispute(web, user, 0)
        await _see_account(web, user)
    (answer,) = await web.say(user, "I lost my job")
    assert "monthly payments of" not in answer.text
    (dated,) = await web.say(user, "I can pay it all by 2026-12-05")
    assert "Shall I arrange a payment" not in dated.text
    assert await _arrangements(web, "T-EN") == []


async def _conversation_id(web: WebChat, user: str) -> int:
    async with web.app.sessions() as session:
        query = select(ConversationRow).where(col(ConversationRow.chat_key) == user)
        return int((await session.execute(query)).scalar_one().id or 0)


@pytest.mark.rule("R8")
async def test_r8_no_reminder_goes_to_an_account_whose_every_charge_is_disputed(
    web: WebChat,
) -> None:
    await _verified(web, "open", "zh_Hans")  # something is owed: a reminder goes out
    reminded = await web.app.runtime.on_trigger(
        Trigger("reminder", await _conversation_id(web, "open"), "reminder:T-HANS:1")
    )
    assert reminded.queued
    user = "no-reminder"
    await _verified(web, user, "en")
    for _ in range(3):
        await _dispute(web, user, 0)
        await _see_account(web, user)
    quiet = await web.app.runtime.on_trigger(
        Trigger("reminder", await _conversation_id(web, user), "reminder:T-EN:1")
    )
    assert quiet.queued == ()
