"""R11 hardship terms offered first; a promise after the due date is said plainly."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.service.accounts_import import import_accounts
from tests.negotiation.test_one_arrangement import BORROWERS, _tap
from tests.runtime.conftest import WebChat

HEADER = (
    "account_id,borrower_name,phone,birth_date,locale,timezone,currency,due_date,"
    "charge_id,charge_kind,charge_description,charge_amount,charge_posted_on\n"
)
NOT_YET_DUE = {
    "en": "N-EN,Sam Lee,+15550100009,1991-02-03,en,America/New_York,USD,2026-12-01,"
    "N-EN-P,principal,Card balance,600.00,2026-11-01\n",
    "zh_Hans": "N-HANS,李华,+8613800000009,1991-02-03,zh-Hans,Asia/Shanghai,CNY,2026-12-01,"
    "N-HANS-P,principal,信用卡欠款,3000.00,2026-11-01\n",
    "zh_Hant": "N-HANT,何志明,+85291230009,1991-02-03,zh-Hant,Asia/Hong_Kong,HKD,2026-12-01,"
    "N-HANT-P,principal,信用卡欠款,3000.00,2026-11-01\n",
}
AFTER_DUE = {
    "en": "Please note: Dec 10, 2026 is after your due date of Dec 1, 2026, so this payment",
    "zh_Hans": "请注意：",
    "zh_Hant": "請注意：",
}
LATE_WORDS = {"en": "would be late", "zh_Hans": "将会逾期", "zh_Hant": "將會逾期"}


def _labels(message_buttons: tuple[tuple[str, str], ...]) -> list[str]:
    return [label for label, _ in message_buttons]


@pytest.mark.parametrize("locale", list(BORROWERS))
async def test_hardship_offers_the_longer_smaller_plans_first(web: WebChat, locale: str) -> None:
    account, birth = BORROWERS[locale]
    user = f"hard-{locale}"
    await web.say(user, f"/start {await web.link(account)}")
    await web.say(user, birth)
    (standard,) = await _tap(web, user, 1)  # pay in installments
    assert not any("24" in label for label in _labels(standard.buttons))
    await _tap(web, user, len(standard.buttons) - 1)  # back to the menu
    await _tap(web, user, 4)  # I'm having financial difficulty
    (hardship,) = await _tap(web, user, 0)  # smaller monthly payments
    assert any("24" in label for label in _labels(hardship.buttons))  # hardship's 24 months
    assert _labels(hardship.buttons)[-3:] == _labels(standard.buttons)[-3:]  # same way on


@pytest.mark.parametrize("locale", list(BORROWERS))
async def test_a_promise_after_the_due_date_says_it_would_be_late(
    web: WebChat, locale: str, tmp_path: Path
) -> None:
    path = tmp_path / "not_yet_due.csv"
    path.write_text(HEADER + NOT_YET_DUE[locale], encoding="utf-8")
    await import_accounts(web.app.sessions, path)
    user = f"late-{locale}"
    account = NOT_YET_DUE[locale].split(",", 1)[0]
    await web.say(user, f"/start {await web.link(account)}")
    await web.say(user, "1991-02-03")
    await _tap(web, user, 0)  # pay in full by a date
    (confirm,) = await web.say(user, "2026-12-10")
    assert AFTER_DUE[locale] in confirm.text and LATE_WORDS[locale] in confirm.text
    await _tap(web, user, 1)  # no, go back
    await _tap(web, user, 0)
    (sooner,) = await web.say(user, "2026-11-30")
    assert LATE_WORDS[locale] not in sooner.text
