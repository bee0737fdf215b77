"""Issue 7 point 3: the lender's file and the bot's agreements live side by side."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import col

from bot.service.accounts_import import import_accounts
from bot.store.repositories import get_account
from bot.store.tables import AccountRow, ArrangementRow
from tests.negotiation.test_one_arrangement import BORROWERS, _agree_plan, _tap
from tests.runtime.conftest import FIXTURES, WebChat

REVIEWED = {
    "en": "Your balance has changed since we agreed on a plan (reference {ref})",
    "zh_Hans": "自我们约定还款计划（受理编号 {ref}）以来，您的欠款金额有了变化",
    # T-HANT is a Hong Kong account: Hong Kong wording (the zh_Hant_HK catalog).
    "zh_Hant": "自我們約定還款計劃（參考編號 {ref}）以來，您的欠款金額有所變動",
}
AGREED = {"en": "You have a payment plan", "zh_Hans": "您已和我们约定", "zh_Hant": "您已和我們約定"}


async def _statuses(web: WebChat, account: str) -> dict[str, str]:
    async with web.app.sessions() as session:
        query = select(ArrangementRow).where(col(ArrangementRow.account_id) == account)
        return {a.id: a.status for a in (await session.execute(query)).scalars()}


async def test_a_reimport_keeps_the_agreed_extension_and_the_lenders_date_apart(
    web: WebChat,
) -> None:
    await web.say("ext", f"/start {await web.link('T-EN')}")
    await web.say("ext", "1990-05-17")
    await _tap(web, "ext", 2)  # ask for more time
    await _tap(web, "ext", 0)  # the shortest extension: 7 days from today
    await _tap(web, "ext", 0)  # yes, move it
    report = await import_accounts(web.app.sessions, FIXTURES / "accounts.csv")
    assert str(report) == "nothing changed"
    async with web.app.sessions() as session:
        row = await session.get(AccountRow, "T-EN")
        account = await get_account(session, account_id="T-EN")
    assert row is not None and account is not None
    assert row.due_date == date(2026, 11, 18)  # the lender's, untouched
    assert account.due_date == date(2026, 11, 29)  # what the borrower was promised
    assert account.lender_due_date == date(2026, 11, 18)
    assert account.days_past_due(date(2026, 11, 22)) == 0
    await _tap(web, "ext", 0)  # back to my options
    statement = web.sender.sent["ext"][-1].text
    assert "Due date: Nov 29, 2026" in statement and "past due" not in statement


@pytest.mark.parametrize("locale", list(BORROWERS))
async def test_new_figures_send_the_plan_to_review_and_the_borrower_sees_the_new_ones(
    web: WebChat, locale: str, tmp_path: Path
) -> None:
    account, birth = BORROWERS[locale]
    user = f"rev-{locale}"
    await web.say(user, f"/start {await web.link(account)}")
    await web.say(user, birth)
    await _agree_plan(web, user, 0)
    (ref,) = await _statuses(web, account)
    lines = (FIXTURES / "accounts.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    principal = next(line for line in lines if line.startswith(f"{account},") and "-P," in line)
    lower = {",1200.00,": ",1000.00,", ",8000.00,": ",7000.00,", ",6000.00,": ",5000.00,"}
    cheaper = principal
    for old, new in lower.items():
        cheaper = cheaper.replace(old, new)
    path = tmp_path / "new_figures.csv"
    path.write_text("".join(lines).replace(principal, cheaper), encoding="utf-8")

    report = await import_accounts(web.app.sessions, path)
    assert "1 charge updated; 1 arrangement flagged for review" in str(report)
    assert await _statuses(web, account) == {ref: "review"}
    (statement,) = await _tap(web, user, 0)  # back to my options
    assert REVIEWED[locale].format(ref=ref) in statement.text
    assert AGREED[locale] not in statement.text  # not the stale plan

    again = await import_accounts(web.app.sessions, path)
    assert again.arrangements_flagged == 0  # flagged once, not again
