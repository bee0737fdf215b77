"""Two readings that dropped what a borrower wanted.

A weekday's numeral (周五, 禮拜一) was read as a second amount beside the real one, so
"下周五还500" had no amount at all (two that disagree). And a "no" heading a request of
its own ("算了，我想一次性还清", "no, I want to pay in full") was a plain no, which ended
the conversation instead of reading the request.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bot.understanding import prepare
from bot.understanding.amounts import find_amount
from bot.understanding.labels import Meaning
from bot.understanding.model import IntentModel
from bot.understanding.understand import understand
from bot.understanding.yesno import yes_or_no


@pytest.mark.parametrize(
    ("text", "value", "currency"),
    [
        ("下周五还500", "500", None),
        ("下周五还五百块", "500", None),
        ("星期三还两千", "2000", None),
        ("禮拜一俾五百蚊", "500", "HKD"),
        ("下禮拜五還三千", "3000", None),
        ("週日之前繳1200", "1200", None),
    ],
)
def test_a_weekday_is_no_amount_beside_the_one_said(
    text: str, value: str, currency: str | None
) -> None:
    amount = find_amount(prepare(text))
    assert amount is not None
    assert (amount.value, amount.currency) == (Decimal(value), currency)


@pytest.mark.parametrize("text", ["下周五", "礼拜天再说", "星期六"])
def test_a_weekday_alone_has_no_amount(text: str) -> None:
    assert find_amount(prepare(text)) is None


@pytest.mark.parametrize(
    "text",
    [
        "算了，我想一次性还清",
        "不要，我要分期",
        "唔要，我想分期",
        "no, I want to pay in full",
        "no, can i get more time",
    ],
)
def test_a_no_heading_a_request_of_its_own_is_no_plain_answer(text: str) -> None:
    assert yes_or_no(prepare(text)) is None


@pytest.mark.parametrize(
    "text", ["算了", "算了，太多了", "no, that's too much", "不用了，谢谢", "唔使喇"]
)
def test_a_no_with_a_reason_or_thanks_stays_a_no(text: str) -> None:
    assert yes_or_no(prepare(text)) is False


@pytest.mark.parametrize(
    ("text", "locale", "meaning"),
    [
        ("不要，我要分期", "zh_Hans", Meaning.INSTALLMENT),
        ("不用，我要延期", "zh_Hans", Meaning.EXTENSION),
        ("唔要，我想分期", "zh_Hant", Meaning.INSTALLMENT),
        ("不要，我要找人工", "zh_Hans", Meaning.HUMAN),
        ("no, I want to pay in full", "en", Meaning.PAY_IN_FULL),
    ],
)
def test_the_request_after_a_no_is_the_meaning_even_when_the_model_leans_to_no(
    text: str, locale: str, meaning: Meaning, model: IntentModel
) -> None:
    # The model alone read "不要，我要分期" as a sure decline (0.88), which answered the
    # confirmation with its no: the no is ruled out and the request ranks first.
    read = understand(text, locale=locale, today=date(2026, 12, 7), model=model)
    assert read.answer is None
    assert read.top is meaning
    assert read.score(Meaning.DECLINE) == 0.0


@pytest.mark.parametrize("text", ["不要，太贵了", "no, too much", "不要"])
def test_a_no_with_no_request_is_still_the_answer(text: str, model: IntentModel) -> None:
    read = understand(text, locale="zh_Hans", today=date(2026, 12, 7), model=model)
    assert read.answer is False and read.top is Meaning.DECLINE
