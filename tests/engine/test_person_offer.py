"""R13: after failed inputs a person is offered once: no second button where the state
already has one, and the offer is not repeated on every further failure."""

from __future__ import annotations

import pytest

from bot.engine.script import HUMAN_CHOICE
from tests.engine.driver import Driver


@pytest.mark.rule("R13")
def test_a_state_with_its_own_person_button_gets_no_second_one() -> None:
    driver = Driver()
    driver.verified_start()  # the menu has "Talk to a person"
    driver.choose("no-such-choice")
    driver.choose("no-such-choice")
    assert HUMAN_CHOICE not in driver.choices()
    assert driver.choices().count("person") == 1
    assert "repayment.offer_person" not in driver.said()


@pytest.mark.rule("R13")
def test_the_offer_is_said_once_and_the_button_stays() -> None:
    driver = Driver()
    driver.verified_start()
    driver.choose("pay_full")  # a date question without a person button
    driver.text("2026-13-45")
    driver.text("2026-14-46")
    assert "repayment.offer_person" in driver.said()
    assert HUMAN_CHOICE in driver.choices()
    driver.text("2026-15-47")
    assert "repayment.offer_person" not in driver.said()
    assert HUMAN_CHOICE in driver.choices()


@pytest.mark.rule("R13")
def test_a_state_whose_buttons_lead_elsewhere_still_gets_the_person_button() -> None:
    driver = Driver()
    driver.verified_start()
    driver.choose("plan")
    driver.choose("3")
    assert driver.at == "plan_confirm"  # yes / no: neither goes to a person
    driver.text("zzz")
    assert HUMAN_CHOICE not in driver.choices()
    driver.text("zzz")
    assert "repayment.offer_person" in driver.said()
    assert driver.choices() == ["yes", "no", HUMAN_CHOICE]
