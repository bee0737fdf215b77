"""A part promised by a day that reads two ways keeps the part.

"I'll pay 300 next friday" said on a Monday (this week's Friday or next week's?)
fell back to "When can you pay the full $1,320.50?": the part was dropped. The bot
now asks which day with the part kept, both readings as buttons (or a date typed),
and the promise created is for that part on the day chosen.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from bot.config import Settings
from bot.understanding.model import IntentModel
from tests.runtime.conftest import WebChat, web_chat

MONDAY = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)  # a Monday morning in New York
# account, birth, the part by a two-way day, the part, the day chosen (as shown), its date
WHO = {
    "en": ("T-EN", "1990-05-17", "I'll pay 300 next friday", "300.00", "Nov 27, 2026"),
    "zh_Hans": ("T-HANS", "1985年3月9日", "12/5还500", "500.00", "2026年12月5日"),
    "zh_Hant": ("T-HANT", "1978年12月24日", "5/12還三千", "3000.00", "2026年12月5日"),
}
CHOSEN = {"en": date(2026, 11, 27), "zh_Hans": date(2026, 12, 5), "zh_Hant": date(2026, 12, 5)}
SHOWN = {"en": "$300.00", "zh_Hans": "¥500.00", "zh_Hant": "HK$3,000.00"}
YES = {"en": "yes", "zh_Hans": "好的", "zh_Hant": "好"}


@pytest.fixture
async def monday(database_url: str, intent_model: IntentModel) -> AsyncIterator[WebChat]:
    async with web_chat(Settings(database_url=database_url), intent_model, now=MONDAY) as chat:
        yield chat


@pytest.mark.parametrize("locale", list(WHO))
async def test_a_part_by_a_two_way_day_asks_which_day_and_keeps_the_part(
    monday: WebChat, locale: str
) -> None:
    account, birth, said, part, day = WHO[locale]
    user = f"twoway-{locale}"
    await monday.verify(user, account, birth)
    (asked,) = await monday.say(user, said)
    assert SHOWN[locale] in asked.text  # "When can you pay $300.00?", not the full balance
    assert len([label for label, _ in asked.buttons if "2026" in label or "2027" in label]) == 2
    await monday.press(user, day)
    await monday.say(user, YES[locale])
    (promise,) = await monday.arrangements(account)
    assert (promise.kind, promise.amount) == ("promise_to_pay", Decimal(part))
    assert [date.fromisoformat(i["due_date"]) for i in promise.installments] == [CHOSEN[locale]]


async def test_a_date_typed_at_the_question_keeps_the_part(monday: WebChat) -> None:
    await monday.verify("typed", "T-EN", "1990-05-17")
    await monday.say("typed", "I'll pay 300 next friday")
    await monday.say("typed", "2026-12-01")
    await monday.say("typed", "yes")
    (promise,) = await monday.arrangements("T-EN")
    assert promise.amount == Decimal("300.00")
    assert [date.fromisoformat(i["due_date"]) for i in promise.installments] == [date(2026, 12, 1)]
