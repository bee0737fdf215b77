"""An offer below what any plan allows is refused with the smallest monthly that works.

The bot never offers a plan above what the borrower says they can pay (CONC 7.3):
the old "nearest plan" counter-offer could never stay within the offer, so it is gone.
The refusal says the smallest monthly payment that can be arranged (here on the
hardship terms, which any offer below the usual ones is tried on), and offers a
person to review it (R11, R14). Nothing is arranged.
"""

from __future__ import annotations

import pytest

from tests.runtime.conftest import WebChat

# account, birth date, an offer below every plan, the smallest monthly (as shown)
WHO = {
    "en": ("T-EN", "1990-05-17", "I can only pay 20 a month", "$55.03"),
    "zh_Hans": ("T-HANS", "1985年3月9日", "我每个月只能还50块", "¥355.00"),
    "zh_Hant": ("T-HANT", "1978年12月24日", "我每個月只可以還50蚊", "HK$271.25"),
}
PERSON = {"en": "Ask a person to review", "zh_Hans": "请人工复核", "zh_Hant": "請職員覆核"}


@pytest.mark.rule("R11")
@pytest.mark.parametrize("locale", list(WHO))
async def test_an_offer_below_every_plan_is_refused_with_the_smallest_monthly_stated(
    web: WebChat, locale: str
) -> None:
    account, birth, offer, smallest = WHO[locale]
    user = f"small-{locale}"
    await web.verify(user, account, birth)
    (refusal,) = await web.say(user, offer)
    assert smallest in refusal.text
    assert PERSON[locale] in dict(refusal.buttons)
    assert await web.arrangements(account) == []
