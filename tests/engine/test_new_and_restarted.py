"""A new conversation and a restarted one: pinned to the script's id and version, at its
start, and unverified (a plain False, as the conversation row stores it)."""

from __future__ import annotations

import pytest

from bot.engine.machine import new_state
from bot.engine.types import ConversationState, Event, EventKind
from tests.engine.driver import Driver, repayment_script


def test_a_new_conversation_starts_at_the_scripts_start_pinned_to_its_version() -> None:
    script = repayment_script()
    assert new_state(script, "zh_Hant") == ConversationState(
        script_id=script.id, script_version=script.version, state=script.start, locale="zh_Hant"
    )


def test_starting_again_after_verifying_leaves_the_conversation_unverified() -> None:
    driver = Driver()
    driver.verified_start()
    assert driver.state is not None and driver.state.verified is True
    script = repayment_script()
    assert (driver.state.script_id, driver.state.script_version) == (script.id, script.version)
    driver.start()
    assert driver.state is not None
    assert driver.state.verified is False
    assert driver.at == "verify"


@pytest.mark.rule("R5")
def test_handed_back_at_an_account_state_before_verifying_the_borrower_is_asked_to_verify() -> None:
    """A person resumes the conversation at the menu for a borrower not yet verified:
    nothing about the account is said; the date of birth is asked for first."""
    driver = Driver()
    driver.start()
    driver.send(Event(EventKind.RESUME, text="menu"))
    assert driver.at == "verify"
    assert driver.said() == ["repayment.verify.ask_birth_date"]
