"""A promise of part of the balance, and a change of mind on the way to a promise.

"I'll pay 300 next friday" was read right (a promise, 300, the day) and then asked
"When can you pay the full $1,320.50?": the amount was dropped, and in Chinese
"下周五还500" was recorded as the whole ¥8,520 by Friday, a promise the borrower
never made. A promise now records the part named, says what stays due, and the
borrower can leave the date question or the confirmation for installments.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.runtime.conftest import WebChat

# account, birth date, a part promised by a day, the part, what stays due (as shown)
PARTS = {
    "en": ("T-EN", "1990-05-17", "I'll pay 300 next friday", "300.00", "$1,020.50"),
    "zh_Hans": ("T-HANS", "1985年3月9日", "下周五还500", "500.00", "¥8,020.00"),
    "zh_Hant": ("T-HANT", "1978年12月24日", "下禮拜五還三千", "3000.00", "HK$3,510.00"),
}
YES = {"en": "yes", "zh_Hans": "好的", "zh_Hant": "好"}
INSTEAD = {
    "en": "actually can I do it in instalments instead",
    "zh_Hans": "算了，还是分期吧",
    "zh_Hant": "都係分期還好啲",
}


@pytest.mark.parametrize("locale", list(PARTS))
async def test_a_promise_of_part_records_that_part_and_says_what_stays_due(
    web: WebChat, locale: str
) -> None:
    account, birth, said, part, rest = PARTS[locale]
    user = f"part-{locale}"
    await web.verify(user, account, birth)
    asked = "\n".join(m.text for m in await web.say(user, said))
    assert rest in asked  # what stays due, before the borrower says yes
    await web.say(user, YES[locale])
    (promise,) = await web.arrangements(account)
    assert (promise.kind, promise.amount) == ("promise_to_pay", Decimal(part))
    assert [Decimal(i["amount"]) for i in promise.installments] == [Decimal(part)]


@pytest.mark.parametrize("locale", list(PARTS))
async def test_the_borrower_can_choose_installments_instead_of_confirming_a_promise(
    web: WebChat, locale: str
) -> None:
    account, birth, said, _, _ = PARTS[locale]
    user = f"instead-{locale}"
    await web.verify(user, account, birth)
    await web.say(user, said)
    (options,) = await web.say(user, INSTEAD[locale])
    assert len(options.buttons) >= 4  # the plans, own amount, a person, back
    assert await web.arrangements(account) == []  # nothing promised


async def test_the_date_question_lets_the_borrower_change_their_mind(web: WebChat) -> None:
    user = "mind"
    await web.verify(user, "T-EN", "1990-05-17")
    (ask,) = await web.say(user, "I want to pay the full amount")
    assert "When can you pay the full" in ask.text
    (options,) = await web.say(user, INSTEAD["en"])
    assert "monthly payments" in options.text and "couldn't read that date" not in options.text
    (plan,) = await web.say(user, "ninety a month")
    assert "$90.00 a month" in plan.text


async def test_a_whole_promise_stays_the_whole_balance(web: WebChat) -> None:
    user = "whole"
    await web.verify(user, "T-EN", "1990-05-17")
    asked = "\n".join(m.text for m in await web.say(user, "I'll pay the full 1320.50 on friday"))
    assert "$1,320.50" in asked and "would still be due" not in asked
    await web.say(user, "yes")
    (promise,) = await web.arrangements("T-EN")
    assert promise.amount == Decimal("1320.50")


async def test_after_a_plan_paying_it_all_at_once_is_understood(web: WebChat) -> None:
    user = "after"
    await web.verify(user, "T-HANS", "1985年3月9日")
    await web.say(user, "我每个月只能还八百")
    await web.say(user, "好的")
    (ask,) = await web.say(user, "算了，我想一次性还清")
    assert "¥8,520.00" in ask.text and "没有理解" not in ask.text
