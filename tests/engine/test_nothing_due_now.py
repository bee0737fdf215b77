"""R8 within one step: nothing is asked for once nothing is left to collect, charges
disputed earlier in the same step included, and anything left, however small, is."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from bot.engine.loader import load_script
from bot.engine.types import Event, EventKind
from tests.engine.driver import Driver, make_account
from tests.engine.test_validator import broken

# After a dispute is recorded, the (altered) script goes straight on to how to pay.
AFTER_DISPUTE = "      - {to: anything_else}\n\n  # ---- how to pay"
TO_PAYMENT = "      - {to: payment_info}\n\n  # ---- how to pay"


def _dispute_everything(driver: Driver) -> None:
    driver.verified_start()
    driver.choose("dispute")
    for charge in ("C1", "C2", "C3"):
        driver.choose(charge)
    driver.choose("continue")
    assert driver.at == "dispute_reason"
    driver.text("I never agreed to any of these charges")


@pytest.mark.rule("R8")
def test_what_was_disputed_earlier_in_the_step_leaves_nothing_to_ask_for(tmp_path: Path) -> None:
    """The account still shows the charges undisputed until the service stores the
    dispute; the step itself knows, and goes to nothing_due rather than to payment."""
    directory, text = broken(tmp_path, AFTER_DISPUTE, TO_PAYMENT)
    script, _ = load_script(text, str(directory / "repayment.yaml"))
    driver = Driver(script=script)
    _dispute_everything(driver)
    assert driver.at == "nothing_due"
    assert "repayment.nothing_due.all_disputed" in driver.said()


@pytest.mark.rule("R8")
def test_a_part_disputed_earlier_in_the_step_leaves_the_rest_to_ask_for(tmp_path: Path) -> None:
    directory, text = broken(tmp_path, AFTER_DISPUTE, TO_PAYMENT)
    script, _ = load_script(text, str(directory / "repayment.yaml"))
    driver = Driver(script=script)
    driver.verified_start()
    driver.choose("dispute")
    driver.choose("C3")
    driver.choose("continue")
    driver.text("I was never late")
    assert driver.at == "anything_else"  # by way of payment_info, which said how to pay
    assert any(said.startswith("repayment.payment_info.") for said in driver.said())


@pytest.mark.rule("R8")
def test_one_unit_left_undisputed_is_still_asked_for() -> None:
    """1.00 of a late fee left, the rest disputed: the promise to pay it is asked for."""
    account = make_account(fee="1.00", disputed=frozenset({"C1", "C2"}))
    driver = Driver(account=account)
    driver.verified_start()
    driver.choose("pay_full")
    assert driver.at == "promise"


@pytest.mark.rule("R12")
def test_a_state_with_charge_buttons_that_also_offers_a_plan_is_not_entered_while_paused(
    tmp_path: Path,
) -> None:
    """Whether a state asks for money reads all of it: its buttons made from data (here
    the charges to dispute, which ask for nothing) and the plan it offers in words."""
    directory, text = broken(
        tmp_path,
        "      confirm: {choice: continue}\n      decline: {choice: cancel}\n",
        "      confirm: {choice: continue}\n      decline: {choice: cancel}\n"
        "      monthly_offer: {to: plan_decision, actions: [propose_monthly]}\n",
    )
    script, _ = load_script(text, str(directory / "repayment.yaml"))
    driver = Driver(script=script, account=replace(make_account(), collection_paused=True))
    driver.verified_start()
    driver.choose("dispute")
    assert driver.at == "collection_paused"


def test_a_hidden_button_pressed_anyway_is_not_followed() -> None:
    """The installment options hide "Pay the full amount" while there are options; the
    button pressed anyway (from an old message) is not understood."""
    driver = Driver()
    driver.verified_start()
    driver.choose("plan")
    assert driver.at == "plan_options" and "pay_full" not in driver.choices()
    driver.send(Event(EventKind.CHOICE, choice="pay_full"))
    assert driver.at == "plan_options"
    assert driver.said()[0] == "repayment.not_understood"


def test_a_choice_no_option_has_is_not_taken_for_one_of_the_options() -> None:
    driver = Driver()
    driver.verified_start()
    driver.choose("plan")
    driver.choose("99")
    assert driver.at == "plan_options"
    assert driver.said()[0] == "repayment.not_understood"
