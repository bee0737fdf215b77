"""R11: hardship wins wherever it is said, and no plan above what the borrower can pay.

Through the real understanding layer and the shipped script and policy, in each
language: an offer with hardship words, an amount typed on the hardship screen and
an amount the usual terms cannot meet are all judged on hardship terms; nothing
offered ever asks more a month than the borrower said they can pay.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from bot.engine.types import CreateArrangement
from tests.engine.driver import NOW, Driver, make_account


def _verified(locale: str = "en", **account: str) -> Driver:
    d = Driver(account=make_account(locale=locale, **account))  # type: ignore[arg-type]
    d.verified_start()
    assert d.at == "menu"
    return d


def _installments(d: Driver) -> set[Decimal]:
    (plan,) = d.of_type(CreateArrangement)
    return {i.amount for i in plan.installments}


@pytest.mark.parametrize(
    ("locale", "words"),
    [
        ("en", "I lost my job but I can pay 60 a month"),
        ("zh_Hans", "我失业了，每个月只能还60"),
        ("zh_Hant", "我失業了，每個月只能還60"),
    ],
)
def test_hardship_beside_an_offer_is_judged_on_hardship_terms(locale: str, words: str) -> None:
    d = _verified(locale)
    d.text(words)
    assert d.at == "plan_confirm", d.said()
    assert "plan_confirm.hardship_terms" in " ".join(d.said())
    d.choose("yes")
    assert max(_installments(d)) <= Decimal(60)


def test_the_same_offer_without_hardship_words_gets_no_hardship_note() -> None:
    # 1320.50 at 200 a month is 7 months on the usual terms: no hardship needed.
    d = _verified()
    d.text("I can pay 200 a month")
    assert d.at == "plan_confirm"
    assert not any(m.endswith("hardship_terms") for m in d.said())


def test_an_amount_typed_on_the_hardship_screen_is_on_hardship_terms() -> None:
    d = _verified()
    d.choose("hardship")
    assert d.at == "hardship"
    d.text("60")
    assert d.at == "plan_confirm", d.said()
    d.choose("yes")
    assert max(_installments(d)) <= Decimal(60)


@pytest.mark.parametrize("offer", ["I can pay 20 a month", "I can pay 1 a month"])
def test_no_closest_plan_above_what_the_borrower_can_pay(offer: str) -> None:
    """Below even the hardship terms: a person, never a plan above the offer."""
    d = _verified()
    d.text(offer)
    assert d.at == "plan_refused", d.said()
    assert "accept" not in d.choices()
    assert "review" in d.choices()


def test_eight_hundred_a_month_in_chinese_gets_a_plan_within_it() -> None:
    """The issue's case: ¥12,506.40 and "我每个月只能还八百" (usual terms: 12 x 1,042.20)."""
    d = _verified("zh_Hans", currency="CNY", principal="11800.00", interest="671.40", fee="35.00")
    d.text("我每个月只能还八百")
    assert d.at == "plan_confirm", d.said()
    assert d.params("repayment.plan_confirm.summary")["plan_months"] == 16
    d.choose("yes")
    assert max(_installments(d)) <= Decimal(800)


def test_hardship_said_beside_an_offer_holds_for_a_later_offer_without_it() -> None:
    """R11 for the rest of the conversation: the first offer came with hardship words and
    was declined; the next, in plain words, is on hardship terms too."""
    d = _verified()
    d.choose("plan")
    d.text("I lost my job, I can pay 200 a month")
    assert d.at == "plan_confirm"
    d.choose("no")
    assert d.at == "plan_options"
    d.text("I can pay 200 a month")
    assert d.at == "plan_confirm"
    assert "repayment.plan_confirm.hardship_terms" in d.said()


def test_hardship_said_once_gives_the_later_plan_the_hardship_payment_holiday() -> None:
    """R11: a plan agreed after hardship was said, in a message of its own, starts after
    the hardship terms' payment holiday (the shipped policy's 30 days before the usual
    7), though the offer itself fitted the usual terms."""
    d = _verified()
    d.choose("plan")
    d.text("I lost my job, I can pay 200 a month")
    d.choose("no")
    d.text("I can pay 200 a month")
    d.choose("yes")
    (plan,) = d.of_type(CreateArrangement)
    assert plan.installments[0].due_date == NOW.date() + timedelta(days=37)
    usual = _verified()
    usual.choose("plan")
    usual.text("I can pay 200 a month")
    usual.choose("yes")
    (plan,) = usual.of_type(CreateArrangement)
    assert plan.installments[0].due_date == NOW.date() + timedelta(days=7)
