"""R13: after failed inputs a person is offered once: no second button where the state
already has one, and the offer is not repeated on every further failure."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine.loader import load_script
from bot.engine.script import HUMAN_CHOICE
from bot.engine.types import Escalate
from tests.engine.driver import Driver
from tests.engine.test_validator import broken


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


@pytest.mark.rule("R13")
def test_continuing_with_the_assistant_returns_to_the_question_the_button_was_under() -> None:
    """The person offered after failed inputs is a detour: "Continue with the
    assistant" comes back to the date question, not to the menu."""
    driver = Driver()
    driver.verified_start()
    driver.choose("pay_full")
    driver.text("2026-13-45")
    driver.text("2026-14-46")
    driver.choose(HUMAN_CHOICE)
    assert driver.at == "handoff_wait"
    driver.choose("back")
    assert driver.at == "promise"


@pytest.mark.rule("R13")
def test_the_person_button_follows_the_scripts_route_and_its_guard(tmp_path: Path) -> None:
    """A script may guard its route to a person: the button does nothing while the
    guard does not hold (here, before verification), and hands over once it does."""
    directory, text = broken(
        tmp_path,
        "  human: {to: handoff, detour: true}",
        '  human: {to: handoff, detour: true, when: "verified"}',
    )
    script, _ = load_script(text, str(directory / "repayment.yaml"))
    driver = Driver(script=script)
    driver.start()
    driver.choose(HUMAN_CHOICE)
    assert driver.at == "verify"
    assert driver.replies == [] and not driver.of_type(Escalate)
    driver.text("1990-05-17")
    driver.choose(HUMAN_CHOICE)
    assert driver.at == "handoff_wait"
    assert len(driver.of_type(Escalate)) == 1
