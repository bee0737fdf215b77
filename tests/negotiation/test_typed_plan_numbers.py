"""A number typed at the plans is the plan of that many months.

The buttons were also matched by their place, so "6" typed at "3, 6 or 12 monthly
payments" chose the sixth button, "Back", and the borrower found themselves at the
menu. A number that is a shown choice's own id (months, days) is that choice.
"""

from __future__ import annotations

import pytest

from tests.runtime.conftest import WebChat

WHO = {
    "en": ("T-EN", "1990-05-17", "I want to pay in installments", "yes"),
    "zh_Hans": ("T-HANS", "1985年3月9日", "我想分期还款", "好的"),
    "zh_Hant": ("T-HANT", "1978年12月24日", "我想分期還", "好"),
}


@pytest.mark.parametrize("locale", list(WHO))
async def test_six_typed_at_the_plans_is_six_monthly_payments(web: WebChat, locale: str) -> None:
    account, birth, ask, yes = WHO[locale]
    user = f"six-{locale}"
    await web.verify(user, account, birth)
    await web.say(user, ask)
    await web.say(user, "6")
    await web.say(user, yes)
    (plan,) = await web.arrangements(account)
    assert (plan.kind, len(plan.installments)) == ("installment_plan", 6)
