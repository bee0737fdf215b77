"""R3, R11, R15 hold in free-text answers: STOP, a complaint or hardship typed as a
dispute reason or a note for a person is acted on, and the text is kept."""

from __future__ import annotations

import pytest

from bot.engine.types import Escalate, EscalationReason, OptOut, RecordDispute
from tests.engine.driver import Driver


def _at_dispute_reason(locale: str = "en") -> Driver:
    driver = Driver()
    driver.verified_start()
    driver.to_dispute_reason()
    return driver


def _waiting_for_a_person() -> Driver:
    driver = Driver()
    driver.verified_start()
    driver.command("human")
    assert driver.at == "handoff_wait"
    return driver


@pytest.mark.rule("R15")
@pytest.mark.parametrize(
    "text",
    ["I want to make a formal complaint about this fee", "我要投诉这笔费用", "我要投訴呢筆費用"],
)
def test_a_complaint_written_as_a_dispute_reason_opens_a_complaint_and_keeps_the_dispute(
    text: str,
) -> None:
    driver = _at_dispute_reason()
    driver.text(text)
    (dispute,) = driver.of_type(RecordDispute)
    assert dispute.reason == text
    reasons = [e.reason for e in driver.of_type(Escalate)]
    assert EscalationReason.COMPLAINT in reasons
    assert driver.at == "complaint"


@pytest.mark.rule("R3")
@pytest.mark.parametrize("text", ["STOP", "退订"])
def test_stop_while_waiting_for_a_person_is_an_opt_out(text: str) -> None:
    driver = _waiting_for_a_person()
    driver.text(text)
    assert driver.of_type(OptOut)
    assert driver.at == "handoff_wait"  # back where the borrower was


@pytest.mark.rule("R11")
@pytest.mark.parametrize("text", ["I lost my job last month", "我失业了，没有收入"])
def test_hardship_in_a_note_for_a_person_is_noticed_and_the_note_kept(text: str) -> None:
    driver = _waiting_for_a_person()
    driver.text(text)
    assert driver.at == "hardship"
    assert driver.state is not None
    assert driver.state.vars["note_for_agent"] == text
