"""Issue 31 point 9: the ways borrowers say STOP in each market opt them out, end to
end through both Telegram adapters against the local Bot API, on SQLite and
PostgreSQL: "TD" (the mainland's SMS unsubscribe) and 退订, STOP and "stop sending
me these", Hong Kong's 唔好再send嘢俾我. Each gets the opt-out confirmation in the
borrower's language, the account is opted out and `repaybot reminders plan` holds it
with R3; writing again changes nothing, and only an explicit opt-in (/reminders)
lifts it (R3)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from bot.service.reminders.preview import preview
from bot.store.tables import AccountRow
from tests.telegram.conftest import Harness, clock

ROOT = Path(__file__).resolve().parents[2]
# Each market's confirmation (repayment.opted_out.stopped) and the buttons that turn
# reminders back on (repayment.contact_settings / opt_in_confirm), as the catalogs say.
STOPPED = {
    "en": "You won't receive reminder messages from us any more.",
    "zh_Hans": "我们将不再向您发送提醒消息。",
    "zh_Hant_HK": "我們將不再發送提醒訊息給您。",
}
RESUME = {
    "en": ("Turn reminders back on", "Yes, send me reminders"),
    "zh_Hans": ("重新开启提醒", "是的，请给我发提醒"),
    "zh_Hant_HK": ("重新開啟提醒", "好，請傳提醒給我"),
}
BORROWERS = {  # account: (birth date, Telegram language, locale, what they type)
    "T-HANS": ("1985-03-09", "zh-hans", "zh_Hans", ("TD", "退订")),
    "T-EN": ("1990-05-17", "en", "en", ("STOP", "stop sending me these")),
    "T-HANT": ("1978-12-24", "zh-hk", "zh_Hant_HK", ("唔好再send嘢俾我",)),
}


async def _until(user: Any, text: str, after: int) -> str:
    """Wait until a message holding `text` has come after the first `after`; return it."""
    for _ in range(200):
        found = [t for t in user.texts[after:] if text in t]
        if found:
            return str(found[-1])
        await asyncio.sleep(0.05)
    raise AssertionError(f"{text!r} never said; said: {user.texts[-3:]}")


async def _opted_out(bot: Harness, account: str) -> bool:
    async with bot.app.sessions() as session:
        row = await session.get(AccountRow, account)
        assert row is not None
        return row.opted_out


async def _holds(bot: Harness, account: str, at: datetime) -> set[str | None]:
    """The rules `reminders plan` names for the account's reminders (its own code)."""
    rules = bot.app.runtime.registry.newest_policy().reminders
    return {
        line.rule
        async for line in preview(bot.app.sessions, rules, at)
        if line.account_id == account
    }


def _plan_command(bot: Harness, at: datetime) -> str:
    """`repaybot reminders plan --at` as a lender runs it, on the test's database."""
    url = bot.app.settings.database_url
    done = subprocess.run(
        [sys.executable, "-m", "bot", "reminders", "plan", "--at", f"{at:%Y-%m-%dT%H:%M:%SZ}"],
        capture_output=True,
        text=True,
        env={**os.environ, "REPAYBOT_DATABASE_URL": url, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.rule("R3")
@pytest.mark.parametrize("account", sorted(BORROWERS))
async def test_r3_each_markets_stop_words_opt_out_and_only_a_yes_opts_back_in(
    bot: Harness, account: str
) -> None:
    birth, language, locale, words = BORROWERS[account]
    user = bot.tg.user(900 + sorted(BORROWERS).index(account), "Borrower", language)
    await user.send_command("/start", await bot.link_token(account))
    await user.next_messages()
    await user.send_text(birth)
    await user.next_messages()
    for number, word in enumerate(words):
        before = len(user.texts)
        await user.send_text(word)
        await _until(user, STOPPED[locale], before)  # answered, in their language
        assert await _opted_out(bot, account)
        assert "R3" in await _holds(bot, account, clock())
        if account == "T-HANS" and number == 0:  # the command itself, once: it is slow
            printed = _plan_command(bot, clock())
            (held,) = [line for line in printed.splitlines() if account in line]
            assert held.startswith("held") and "R3: the borrower opted out (STOP)" in held
        await user.send_text("hello")  # writing again is not an opt-in
        await user.wait_for(len(user.texts) + 1)
        assert await _opted_out(bot, account)
        await user.send_command("/reminders")
        turn_on, yes = RESUME[locale]
        await user.press(turn_on, await _last_with_buttons(user, turn_on))
        await user.press(yes, await _last_with_buttons(user, yes))
        for _ in range(200):
            if not await _opted_out(bot, account):
                break
            await asyncio.sleep(0.05)
        assert not await _opted_out(bot, account)
        assert "R3" not in await _holds(bot, account, clock())


async def _last_with_buttons(user: Any, label: str | None = None) -> dict[str, Any]:
    """The latest message with buttons (with `label` among them, when given)."""
    for _ in range(200):
        for message in reversed(user.messages):
            shown = [text for text, _ in user.keyboard(message)]
            if shown and (label is None or label in shown):
                return dict(message)
        await asyncio.sleep(0.05)
    raise AssertionError(f"no buttons {label!r}: {user.texts[-3:]}")
