"""What the buttons say: options made from data are labelled with their own values, and
the person button added after failed inputs has its own label (R13)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.engine.script import HUMAN_CHOICE
from bot.engine.types import MoneyValue, Part
from tests.engine.driver import Driver


def _labels(driver: Driver) -> dict[str, Part]:
    return {c.choice_id: c.label for reply in driver.replies for c in reply.choices}


def test_each_installment_option_is_labelled_with_its_months_and_amount() -> None:
    driver = Driver()
    driver.verified_start()
    driver.choose("plan")
    labels = _labels(driver)
    usd = "USD"
    assert [labels[n] for n in ("3", "6", "12")] == [
        Part(
            "repayment.plan_options.option",
            {"installment": MoneyValue(Decimal(amount), usd), "months": months},
        )
        for amount, months in (("440.17", 3), ("220.09", 6), ("110.05", 12))
    ]


@pytest.mark.rule("R13")
def test_the_person_button_offered_after_failed_inputs_has_its_label() -> None:
    driver = Driver()
    driver.verified_start()
    driver.choose("pay_full")
    driver.text("2026-13-45")
    driver.text("2026-14-46")
    assert _labels(driver)[HUMAN_CHOICE] == Part("repayment.choice_person")
