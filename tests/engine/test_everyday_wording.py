"""Issue 30, point 3: everyday wording lands where the borrower means, in all three
languages (the engine with the real script, policy and model)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.engine.types import MoneyValue
from bot.understanding import prepare
from bot.understanding.cues import means_all_of_it
from tests.engine.driver import Driver


def _menu() -> Driver:
    d = Driver()
    d.start()
    d.text("1990-05-17")
    assert d.at == "menu"
    return d


@pytest.mark.parametrize(
    ("said", "lands"),
    [
        ("can I pay this off bit by bit", "plan_options"),
        ("我想按月还，不想一次性还", "plan_options"),
        ("可唔可以一點一點咁還", "plan_options"),
        ("how does this work?", "help"),
        ("有哪些功能", "help"),
        ("我可以點用呢個服務", "help"),
        ("I'll pay the full 1320.50 tomorrow", "promise_confirm"),
        ("I'll pay the full $1,320.50 on friday", "promise_confirm"),
        ("我明天把1320.50全部还清", "promise_confirm"),
        ("我想看繁体的", "language"),
        ("can i have this in traditional chinese", "language"),
    ],
)
def test_everyday_wording_at_the_menu(said: str, lands: str) -> None:
    d = _menu()
    d.text(said)
    assert d.at == lands


@pytest.mark.rule("R11")
@pytest.mark.parametrize(
    "said",
    [
        "老婆啱啱生BB，我要停工照顧佢，冇收入",
        "I had to stop working to look after my newborn, no income now",
        "我要在家照顾瘫痪的父亲，没法工作",
    ],
)
def test_r11_caring_for_family_without_income_is_hardship(said: str) -> None:
    d = _menu()
    d.text(said)
    assert d.at == "hardship"


def test_a_part_payment_by_a_date_is_not_the_whole_balance() -> None:
    d = _menu()
    d.text("I'll pay 100 tomorrow")
    assert d.at == "promise_confirm"  # that part by that day, and what stays due
    assert d.params("repayment.promise_confirm.ask_confirm")["promise_amount"] == MoneyValue(
        Decimal("100"), "USD"
    )
    assert d.params("repayment.promise_confirm.rest_due")["promise_rest"] == MoneyValue(
        Decimal("1220.50"), "USD"
    )


@pytest.mark.parametrize(
    ("text", "whole"),
    [
        ("I'll pay the full 1320.50 tomorrow", True),
        ("the whole $800 on friday", True),
        ("I'll pay 1320.50 tomorrow", False),
        ("the full story", False),
    ],
)
def test_the_whole_balance_named_by_its_figure(text: str, whole: bool) -> None:
    assert means_all_of_it(prepare(text)) is whole


@pytest.mark.parametrize("said", ["what if i did ninety a month", "每个月还九百", "每個月還九百蚊"])
def test_an_amount_in_words_at_the_plan_options_is_an_offer(said: str) -> None:
    d = _menu()
    d.choose("plan")
    d.text(said)
    assert d.at == "plan_confirm"
