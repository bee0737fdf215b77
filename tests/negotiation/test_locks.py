"""Issue 7 point 6: the locked borrower is told how long and can reach a person;
a re-import of the lender's file does not unlock."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import Settings
from bot.service.accounts_import import import_accounts
from bot.store.tables import AccountRow
from tests.negotiation.test_one_arrangement import BORROWERS
from tests.runtime.conftest import FIXTURES, WebChat, web_chat

DIALOGS = Path(__file__).resolve().parents[2] / "dialogs"
UNTIL_A_PERSON = {
    "en": "The check stays locked until a person from our team unlocks it.",
    "zh_Hans": "在我们的工作人员为您解锁之前，验证将一直保持锁定。",
    # T-HANT is a Hong Kong account: the zh_Hant_HK wording.
    "zh_Hant": "驗證會保持鎖定，直至我們的職員為您解鎖。",
}
TIMED = {
    "en": "You can try again in 30 minutes.",
    "zh_Hans": "您可以在 30 分钟后再试。",
    "zh_Hant": "您可以在 30 分鐘後再試一次。",
}
PERSON = {"en": "Talk to a person", "zh_Hans": "转人工客服", "zh_Hant": "轉真人客服"}


async def _lock(web: WebChat, user: str, account: str) -> str:
    await web.say(user, f"/start {await web.link(account)}")
    for _ in range(2):
        await web.say(user, "1970-01-01")
    (*_, locked) = await web.say(user, "1970-01-01")
    return locked.text


@pytest.mark.parametrize("locale", list(BORROWERS))
async def test_a_lock_until_a_person_says_so_and_survives_a_reimport(
    web: WebChat, locale: str
) -> None:
    account, birth = BORROWERS[locale]
    user = f"lock-{locale}"
    text = await _lock(web, user, account)
    assert UNTIL_A_PERSON[locale] in text
    assert PERSON[locale] in dict(web.sender.sent[user][-1].buttons)  # a person is in reach
    await import_accounts(web.app.sessions, FIXTURES / "accounts.csv")
    async with web.app.sessions() as session:
        row = await session.get(AccountRow, account)
    assert row is not None and row.verify_failures == 3
    (*_, again) = await web.say(user, "/start")
    assert UNTIL_A_PERSON[locale] in again.text
    assert birth not in again.text


@pytest.fixture
async def timed_web(database_url: str, tmp_path: Path) -> AsyncIterator[WebChat]:
    dialogs = tmp_path / "dialogs"
    shutil.copytree(DIALOGS, dialogs)
    policy = dialogs / "policy.yaml"
    policy.write_text(
        policy.read_text(encoding="utf-8").replace(
            "  max_attempts: 3\n", "  max_attempts: 3\n  lock_minutes: 30\n"
        ),
        encoding="utf-8",
    )
    async with web_chat(Settings(database_url=database_url, dialogs_dir=dialogs)) as chat:
        yield chat


@pytest.mark.parametrize("locale", list(BORROWERS))
async def test_a_timed_lock_says_how_long_it_lasts(timed_web: WebChat, locale: str) -> None:
    account, _ = BORROWERS[locale]
    text = await _lock(timed_web, f"timed-{locale}", account)
    assert TIMED[locale] in text
    assert UNTIL_A_PERSON[locale] not in text
    assert PERSON[locale] in dict(timed_web.sender.sent[f"timed-{locale}"][-1].buttons)
