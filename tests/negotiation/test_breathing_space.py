"""Issue 16 point 2: breathing space set and lifted with who and when, told plainly (R16)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import col

from bot import commands
from bot.config import Settings
from bot.service.account_standing import lift_breathing_space, set_breathing_space
from bot.store.tables import AccountEventRow, AccountRow
from tests.negotiation.test_one_arrangement import BORROWERS
from tests.runtime.conftest import FIXTURES, NOW, WebChat

TOLD = {
    # One sentence says what the pause is and that nothing is asked (issue 32).
    "en": "Your account is in a breathing space until Dec 31, 2026. Nothing is being asked of you",
    # 喘息期 means nothing on the mainland: 暂缓期, and what it means.
    "zh_Hans": "您的账户处于暂缓期，至 2026年12月31日 结束。暂缓期内无需您还款。",
    # T-HANT is a Hong Kong account: Hong Kong wording (the zh_Hant_HK catalog).
    "zh_Hant": "您的戶口處於暫緩期，至 2026年12月31日 為止。暫緩期內無需還款。",
}


async def _pause(web: WebChat, account: str, until: date | None) -> None:
    # Set a week before NOW: one that has ended since can be set (one ending in the
    # past cannot, issue 34 point 6).
    async with web.app.sessions() as session, session.begin():
        await set_breathing_space(
            session, account_id=account, until=until, actor="cli:ops", now=NOW - timedelta(days=7)
        )


async def _seen_after_verifying(web: WebChat, user: str, account: str, birth: str) -> str:
    await web.say(user, f"/start {await web.link(account)}")
    return "\n".join(m.text for m in await web.say(user, birth))


@pytest.mark.parametrize("locale", list(BORROWERS))
async def test_a_borrower_in_breathing_space_is_told_and_asked_for_nothing(
    web: WebChat, locale: str
) -> None:
    account, birth = BORROWERS[locale]
    await _pause(web, account, date(2026, 12, 31))
    seen = await _seen_after_verifying(web, f"bs-{locale}", account, birth)
    assert TOLD[locale] in seen
    labels = [label for label, _ in web.sender.sent[f"bs-{locale}"][-1].buttons]
    assert "Pay the full amount" not in labels and "Pay in installments" not in labels


async def test_a_breathing_space_that_ended_no_longer_pauses(web: WebChat) -> None:
    await _pause(web, "T-EN", date(2026, 11, 21))  # the day before NOW
    seen = await _seen_after_verifying(web, "ended", "T-EN", "1990-05-17")
    assert "breathing space" not in seen
    labels = [label for label, _ in web.sender.sent["ended"][-1].buttons]
    assert "Pay in installments" in labels


async def test_set_and_lift_are_recorded_with_who_and_when(web: WebChat) -> None:
    await _pause(web, "T-HANT", None)
    async with web.app.sessions() as session, session.begin():
        assert await lift_breathing_space(session, account_id="T-HANT", actor="cli:ops", now=NOW)
        assert not await lift_breathing_space(
            session, account_id="T-HANT", actor="cli:ops", now=NOW
        )
    async with web.app.sessions() as session:
        query = select(AccountEventRow).order_by(col(AccountEventRow.id))
        events = list((await session.execute(query)).scalars())
        row = await session.get(AccountRow, "T-HANT")
    assert [(e.kind, e.actor, e.until) for e in events] == [
        ("breathing_space_set", "cli:ops", None),
        ("breathing_space_lifted", "cli:ops", None),
    ]
    assert row is not None and not row.breathing_space


async def test_the_commands_pause_and_resume_an_account(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'bs.db'}")
    assert await commands.import_accounts(settings, FIXTURES / "accounts.csv") == 0
    assert await commands.pause_account(settings, "T-EN", date(2027, 1, 15)) == 0
    assert await commands.resume_account(settings, "T-EN") == 0
    assert await commands.resume_account(settings, "T-EN") == 1
    assert await commands.pause_account(settings, "NOPE", None) == 2
    out = capsys.readouterr()
    assert "T-EN: breathing space until 2027-01-15.\nT-EN: breathing space lifted.\n" in out.out
    assert out.err == "T-EN: no breathing space to lift.\nNo account 'NOPE'.\n"
