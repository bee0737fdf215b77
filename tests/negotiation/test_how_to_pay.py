"""Issue 7 point 7: the lender's payment instructions, on request and after an arrangement."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from bot.domain.policy import PaymentInstructions, fill_template
from bot.understanding import Meaning, classify
from tests.negotiation.test_one_arrangement import BORROWERS, _agree_plan
from tests.runtime.conftest import WebChat
from tests.trained import trained_model

ASKED = {"en": "how do I pay?", "zh_Hans": "请问怎么还款", "zh_Hant": "點樣還錢？"}
ANSWER = {
    "en": "You can pay online here: https://pay.harbor-finance.example/T-EN?amount=1320.50",
    "zh_Hans": "您可以通过银行转账还款：收款人 海港消费金融有限公司，开户行 招商银行上海分行，"
    "账号 6214 8301 2345 6789。",
    "zh_Hant": "您可以透過銀行轉賬還款：收款人 Harbor Consumer Finance Ltd，銀行 香港上海滙豐銀行，"
    "戶口號碼 004-123-456789-001。",  # a Hong Kong account: Hong Kong wording
}
REFERENCE = {
    "en": None,
    "zh_Hans": "转账时请在附言中填写 HCF-T-HANS，",
    "zh_Hant": "轉賬時請在備註填寫 HCF-T-HANT，",
}


@pytest.mark.parametrize("locale", list(BORROWERS))
async def test_asking_how_to_pay_gives_the_lenders_instructions(web: WebChat, locale: str) -> None:
    account, birth = BORROWERS[locale]
    user = f"pay-{locale}"
    await web.say(user, f"/start {await web.link(account)}")
    await web.say(user, birth)
    (answer,) = await web.say(user, ASKED[locale])
    assert ANSWER[locale] in answer.text
    reference = REFERENCE[locale]
    assert (reference in answer.text) if reference else "reference" not in answer.text
    # T-HANT is a Hong Kong account: Hong Kong banks say 銀行編號 (Taiwan: 銀行代碼).
    assert ("銀行編號：004" in answer.text) == (locale == "zh_Hant")


async def test_a_new_plan_ends_with_how_to_pay_its_first_installment(web: WebChat) -> None:
    await web.say("paid", f"/start {await web.link('T-EN')}")
    await web.say("paid", "1990-05-17")
    await _agree_plan(web, "paid", 0)
    done = web.sender.sent["paid"][-1].text
    assert "Your plan is set up (reference" in done
    assert "https://pay.harbor-finance.example/T-EN?amount=440.17" in done


async def test_an_unverified_chat_gets_no_payment_details(web: WebChat) -> None:
    await web.say("anon", f"/start {await web.link('T-EN')}")
    (answer,) = await web.say("anon", "how do I pay?")
    assert "harbor-finance.example" not in answer.text


@pytest.mark.parametrize(
    "text", ["How can I pay?", "怎么还款", "怎麼還款", "點樣還錢", "where do I pay this"]
)
def test_how_to_pay_is_recognised_in_every_locale(text: str) -> None:
    assert classify(text, model=trained_model()) is Meaning.HOW_TO_PAY


@pytest.mark.parametrize(
    "fields",
    [
        {"link": "https://pay.example/{account_id}/{borrower_name}"},  # personal data
        {"account_number": "123"},  # no one to pay
        {},  # no way to pay at all
        {"link": "https://pay.example/{account_id}", "reference": "{amount.__class__}"},
    ],
)
def test_instructions_that_cannot_work_are_refused(fields: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        PaymentInstructions(**fields)


def test_a_template_is_filled_with_the_account_and_amount_only() -> None:
    filled = fill_template("https://p.example/{account_id}?a={amount}", "A 1", Decimal("9.50"))
    assert filled == "https://p.example/A 1?a=9.50"
