"""R4 and R3 in the chat: the borrower sets, sees, changes and clears their own quiet
times in their own words, and turns reminders back on only by saying so."""

from __future__ import annotations

from datetime import time

import pytest

from bot.domain.quiet_windows import WEEKDAYS, QuietWindow, from_data
from bot.service.events import Trigger
from bot.store.tables import AccountRow, ConversationRow
from tests.runtime.conftest import WebChat

WORK = QuietWindow(WEEKDAYS, time(9), time(18))

# Per locale: the account, what the borrower types, and what the bot says back.
LOCALES = {
    "en": {
        "account": "T-EN",
        "set": "Set quiet times",
        "none": "You haven't set any quiet times.",
        "unreadable": "tomorrow is fine",
        "bad": "couldn't tell which times you mean",
        "words": "not during work hours",
        "confirm": "So I won't message you on weekdays between 9:00\u202fAM and 6:00\u202fPM.",
        "save": "Yes, save it",
        "saved": "Saved. I won't message you on weekdays between 9:00\u202fAM and 6:00\u202fPM.",
    },
    "zh_Hans": {
        "account": "T-HANS",
        "set": "设置免打扰时段",
        "none": "您还没有设置免打扰时段。",
        "unreadable": "明天可以",
        "bad": "我没看明白您指的是哪些时间",
        "words": "别在上班时间发",
        "confirm": "也就是说，我不会在工作日09:00至18:00给您发消息。",
        "save": "是的，保存",
        "saved": "已保存。我不会在工作日09:00至18:00给您发消息。",
    },
    "zh_Hant": {
        "account": "T-HANT",
        "set": "設定免打擾時段",  # a Hong Kong account: the HK wording (發訊息, as docs/style.md)
        "none": "您尚未設定免打擾時段。",
        "unreadable": "聽日得",
        "bad": "我未能確定您指的是哪些時間",
        "words": "返工時間唔好搵我",
        "confirm": "即是說，我不會在平日上午9:00至下午6:00發訊息給您。",
        "save": "好，儲存",
        "saved": "已儲存。我不會在平日上午9:00至下午6:00發訊息給您。",
    },
}


# The lender as the account's language writes it (policy lender_names, issue 32).
LENDER = {"T-EN": "Harbor Consumer Finance", "T-HANS": "海港消费金融", "T-HANT": "海港消費金融"}


async def _start(web: WebChat, user: str, account: str) -> None:
    (greeting,) = await web.say(user, f"/start {await web.link(account)}")
    assert LENDER[account] in greeting.text


async def _account(web: WebChat, account_id: str) -> AccountRow:
    async with web.app.sessions() as session:
        row = await session.get(AccountRow, account_id)
        assert row is not None
        return row


@pytest.mark.rule("R4")
@pytest.mark.parametrize("locale", sorted(LOCALES))
async def test_r4_quiet_times_set_in_own_words_after_a_confirmation(
    web: WebChat, locale: str
) -> None:
    said = LOCALES[locale]
    user = f"q-{locale}"
    await _start(web, user, said["account"])
    (settings,) = await web.say(user, "/reminders")
    assert said["none"] in settings.text
    await web.press(user, said["set"])
    (bad,) = await web.say(user, said["unreadable"])
    assert said["bad"] in bad.text  # an example, and nothing saved
    assert (await _account(web, said["account"])).quiet_windows is None
    (confirm,) = await web.say(user, said["words"])
    assert said["confirm"] in confirm.text
    assert (await _account(web, said["account"])).quiet_windows is None  # not before yes
    (saved, *_) = await web.press(user, said["save"])
    assert said["saved"] in saved.text
    assert from_data((await _account(web, said["account"])).quiet_windows) == (WORK,)


@pytest.mark.rule("R4")
async def test_r4_a_request_in_passing_is_read_back_then_shown_and_cleared(web: WebChat) -> None:
    await _start(web, "q1", "T-EN")
    (confirm,) = await web.say("q1", "please don't message me on weekends")
    assert "So I won't message you at weekends, all day. Shall I save that?" in confirm.text
    await web.say("q1", "yes")
    (settings,) = await web.say("q1", "/quiet")
    assert "I won't message you at weekends, all day." in settings.text
    await web.press("q1", "Clear my quiet times")
    (cleared, *_) = await web.press("q1", "Yes, clear them")
    assert "your quiet times are cleared" in cleared.text
    assert (await _account(web, "T-EN")).quiet_windows is None


@pytest.mark.rule("R4")
async def test_r4_only_evenings_is_quiet_at_every_other_time(web: WebChat) -> None:
    await _start(web, "q2", "T-HANS")
    (confirm,) = await web.say("q2", "平日晚上才找我")
    assert "我不会在工作日18:00之前或周末全天给您发消息" in confirm.text
    await web.say("q2", "好的")
    windows = from_data((await _account(web, "T-HANS")).quiet_windows)
    assert windows == (
        QuietWindow(WEEKDAYS, time(0), time(18)),
        QuietWindow(frozenset({5, 6}), time(0), time(0)),
    )


@pytest.mark.rule("R4")
async def test_r4_saying_no_or_leaving_changes_nothing(web: WebChat) -> None:
    await _start(web, "q3", "T-EN")
    await web.say("q3", "don't text me before 10am")
    (again,) = await web.press("q3", "No, let me say it again")
    assert "When would you rather not hear from us?" in again.text
    await web.say("q3", "not after 8pm")
    await web.press("q3", "Leave it as it was")
    assert (await _account(web, "T-EN")).quiet_windows is None


async def _reminders_sent(web: WebChat, chat: str, key: str) -> int:
    async with web.app.sessions() as session:
        from sqlalchemy import select
        from sqlmodel import col

        query = select(ConversationRow).where(col(ConversationRow.chat_key) == chat)
        conversation = (await session.execute(query)).scalar_one()
    assert conversation.id is not None
    handled = await web.app.runtime.on_trigger(Trigger("reminder", conversation.id, key))
    await web.app.outbox.deliver_chat("webchat", chat)
    return len(handled.queued)


@pytest.mark.rule("R3")
async def test_r3_after_stop_only_an_explicit_yes_turns_reminders_back_on(web: WebChat) -> None:
    await _start(web, "q4", "T-EN")
    await web.say("q4", "/stop")
    assert (await _account(web, "T-EN")).opted_out
    assert await _reminders_sent(web, "q4", "r3:1") == 0
    await web.say("q4", "hello again")  # writing again is not opting back in
    assert await _reminders_sent(web, "q4", "r3:2") == 0
    (settings,) = await web.say("q4", "/reminders")
    assert "Reminder messages are off, as you asked." in settings.text
    await web.press("q4", "Turn reminders back on")
    await web.press("q4", "No, keep them off")
    assert (await _account(web, "T-EN")).opted_out
    await web.say("q4", "/reminders")
    (asked,) = await web.press("q4", "Turn reminders back on")
    assert "You can stop them at any time by replying STOP." in asked.text
    (done, *_) = await web.press("q4", "Yes, send me reminders")
    assert "Reminder messages are on again." in done.text
    assert not (await _account(web, "T-EN")).opted_out
    assert await _reminders_sent(web, "q4", "r3:3") == 1


@pytest.mark.rule("R4")
@pytest.mark.rule("R3")
async def test_r4_stop_messaging_me_at_night_sets_quiet_times_and_does_not_opt_out(
    web: WebChat,
) -> None:
    await _start(web, "q5", "T-EN")
    (confirm,) = await web.say("q5", "stop messaging me at night")
    assert "So I won't message you every day after 6:00\u202fPM." in confirm.text
    assert not (await _account(web, "T-EN")).opted_out
    # Changing one's mind at the question: the new words are read back instead.
    (again,) = await web.say("q5", "actually, not on weekends")
    assert "So I won't message you at weekends, all day." in again.text
    await web.press("q5", "Yes, save it")
    windows = from_data((await _account(web, "T-EN")).quiet_windows)
    assert windows == (QuietWindow(frozenset({5, 6}), time(0), time(0)),)


@pytest.mark.rule("R4")
@pytest.mark.parametrize(
    ("account", "question", "shown"),
    [
        ("T-EN", "when can you contact me?", "You haven't set any quiet times."),
        ("T-HANS", "你们什么时候会联系我", "您还没有设置免打扰时段。"),
        ("T-HANT", "你哋幾時會搵我？", "您尚未設定免打擾時段。"),
    ],
)
async def test_r4_asking_about_contact_times_opens_the_settings(
    web: WebChat, account: str, question: str, shown: str
) -> None:
    chat = f"q6-{account}"
    await _start(web, chat, account)
    (settings,) = await web.say(chat, question)
    assert shown in settings.text
