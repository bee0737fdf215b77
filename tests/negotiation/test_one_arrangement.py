"""Issue 7 point 1: one active arrangement per account, shown on the statement,
replaced only after the borrower confirms, the old one ended with a reason."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlmodel import col

from bot.service.outbox import OutgoingMessage
from bot.store.tables import ArrangementRow
from tests.runtime.conftest import WebChat

BORROWERS = {
    "en": ("T-EN", "1990-05-17"),
    "zh_Hans": ("T-HANS", "1985-03-09"),
    "zh_Hant": ("T-HANT", "1978-12-24"),
}
SHOWN = {
    "en": "You have a payment plan with us (reference {ref})",
    "zh_Hans": "您已和我们约定了还款计划（受理编号 {ref}）",
    # T-HANT is a Hong Kong account: Hong Kong wording (the zh_Hant_HK catalog).
    "zh_Hant": "您已和我們約定還款計劃（參考編號 {ref}）",
}
REPLACES = {
    "en": "This replaces what we agreed before (reference {ref}). It ends only when you confirm.",
    "zh_Hans": "这将取代之前的约定（受理编号 {ref}）。只有在您确认后，之前的约定才会结束。",
    "zh_Hant": "這將取代先前的約定（參考編號 {ref}）。先前的約定會在您確認後才結束。",
}


async def _tap(web: WebChat, user: str, index: int) -> list[OutgoingMessage]:
    """Tap a button by its place, so one test reads the same in every locale."""
    data = web.sender.sent[user][-1].buttons[index][1]
    return await web.press_data(user, user, data)


async def _arrangements(web: WebChat, account: str) -> list[ArrangementRow]:
    async with web.app.sessions() as session:
        query = (
            select(ArrangementRow)
            .where(col(ArrangementRow.account_id) == account)
            .order_by(col(ArrangementRow.created_at), col(ArrangementRow.id))
        )
        return list((await session.execute(query)).scalars())


async def _agree_plan(web: WebChat, user: str, option: int) -> str:
    await _tap(web, user, 1)  # menu: pay in installments
    confirm = await _tap(web, user, option)  # one of the plans offered
    await _tap(web, user, 0)  # yes, set it up
    return confirm[-1].text


@pytest.mark.parametrize("locale", list(BORROWERS))
async def test_a_second_plan_replaces_the_first_only_once_confirmed(
    web: WebChat, locale: str
) -> None:
    account, birth = BORROWERS[locale]
    user = f"one-{locale}"
    await web.say(user, f"/start {await web.link(account)}")
    (statement,) = await web.say(user, birth)
    assert "(reference" not in statement.text and "编号" not in statement.text

    first_confirm = await _agree_plan(web, user, 0)
    assert "A-" not in first_confirm  # nothing to replace yet
    (first,) = await _arrangements(web, account)

    (again,) = await _tap(web, user, 0)  # back to my options: the statement again
    assert SHOWN[locale].format(ref=first.id) in again.text

    await _tap(web, user, 1)  # pay in installments
    (confirm,) = await _tap(web, user, 1)  # another plan
    assert REPLACES[locale].format(ref=first.id) in confirm.text
    assert [a.status for a in await _arrangements(web, account)] == ["active"]

    await _tap(web, user, 0)  # yes
    # The clock stands still in these tests, so tell them apart by reference.
    (old,) = [a for a in await _arrangements(web, account) if a.id == first.id]
    (new,) = [a for a in await _arrangements(web, account) if a.id != first.id]
    assert (old.status, new.status) == ("superseded", "active")
    assert old.superseded_by == new.id and old.end_reason == "superseded"
    assert old.ended_at is not None


async def test_declining_the_new_plan_keeps_the_old_one_active(web: WebChat) -> None:
    user = "keep"
    await web.say(user, f"/start {await web.link('T-EN')}")
    await web.say(user, "1990-05-17")
    await _agree_plan(web, user, 0)
    await _tap(web, user, 0)  # back to my options
    await _tap(web, user, 1)  # pay in installments
    await _tap(web, user, 1)  # another plan
    await _tap(web, user, 1)  # no, see other options
    assert [a.status for a in await _arrangements(web, "T-EN")] == ["active"]
