"""A new due date typed rather than pressed, at the question or at the menu.

"Which new due date would suit you?" answered with a date ("12月5号", "the 10th of
december") was "Sorry, I didn't understand that", again and again. The option that
reaches the day is offered for confirmation; past the latest, the bot says which is
the latest it can offer.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.runtime.conftest import WebChat

# account, birth, asking for time, a day typed, the option reaching it, yes
WHO = {
    "en": ("T-EN", "1990-05-17", "can i have more time", "the 10th of december", "yes"),
    "zh_Hans": ("T-HANS", "1985年3月9日", "我想延期", "12月5号", "好的"),
    "zh_Hant": ("T-HANT", "1978年12月24日", "我想延遲還款", "延到下個月10號", "係"),
}
REACHED = {"en": date(2026, 12, 22), "zh_Hans": date(2026, 12, 6), "zh_Hant": date(2026, 12, 22)}
AT_MENU = {
    "en": "can i move my due date to dec 6",
    "zh_Hans": "我想延期到下个月5号",
    "zh_Hant": "可唔可以延到12月6號還",
}
LATEST = {"en": "Dec 22, 2026", "zh_Hans": "2026年12月22日", "zh_Hant": "2026年12月22日"}


@pytest.mark.parametrize("locale", list(WHO))
async def test_a_date_typed_at_the_question_is_the_option_that_reaches_it(
    web: WebChat, locale: str
) -> None:
    account, birth, ask, typed, yes = WHO[locale]
    user = f"ext-{locale}"
    await web.verify(user, account, birth)
    await web.say(user, ask)
    await web.say(user, typed)
    await web.say(user, yes)
    (row,) = await web.arrangements(account)
    assert (row.kind, row.new_due_date) == ("extension", REACHED[locale])


@pytest.mark.parametrize("locale", list(WHO))
async def test_a_date_named_at_the_menu_goes_to_its_confirmation(web: WebChat, locale: str) -> None:
    account, birth, _, _, yes = WHO[locale]
    user = f"menu-{locale}"
    await web.verify(user, account, birth)
    await web.say(user, AT_MENU[locale])
    await web.say(user, yes)
    (row,) = await web.arrangements(account)
    assert row.new_due_date == date(2026, 12, 6)


@pytest.mark.parametrize("locale", list(WHO))
async def test_past_the_latest_option_the_bot_says_the_latest(web: WebChat, locale: str) -> None:
    account, birth, ask, _, _ = WHO[locale]
    user = f"far-{locale}"
    await web.verify(user, account, birth)
    await web.say(user, ask)
    replies = await web.say(user, "2027-02-20")
    text = "\n".join(m.text for m in replies)
    assert LATEST[locale] in text
    assert len(replies[-1].buttons) == 4  # the three dates and Back, asked again


# The confirmation of a day typed between the options: the date confirmed is the
# nearest offered after the day asked for, and it says so (T-HANT is a Hong Kong account).
NEAREST = {
    "en": "I can move your due date to Dec 22, 2026, the nearest date I can offer after Dec 10, 2026.",
    "zh_Hans": "我可以把您的还款日改到2026年12月6日，这是2026年12月5日之后我能提供的最近日期。",
    "zh_Hant": "我可以將您的還款到期日改到2026年12月22日，這是2026年12月10日之後我可以提供的最近日期。",
}  # fmt: skip


@pytest.mark.parametrize("locale", list(WHO))
async def test_a_day_between_the_options_is_confirmed_as_the_nearest_after_it(
    web: WebChat, locale: str
) -> None:
    account, birth, ask, typed, _ = WHO[locale]
    user = f"nearest-{locale}"
    await web.verify(user, account, birth)
    await web.say(user, ask)
    (confirm,) = await web.say(user, typed)
    assert NEAREST[locale] in confirm.text
    assert await web.arrangements(account) == []  # nothing moved before a yes
