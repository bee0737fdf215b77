"""The words that decide are read once, with the rest of the message (issue 28).

The reader puts the meanings the word lists find into `Reading.cues`, and the
engine routes on those; it never scans the text itself, so a reading without
cues (or no reading at all) routes on nothing the text says.
"""

from __future__ import annotations

import pytest

from bot.engine.types import Escalate, EscalationReason, Event, EventKind, PauseCollection, Reading
from bot.service.meaning import read_message
from tests.engine.driver import NOW, Driver, make_account
from tests.trained import trained_model


def test_the_reader_gives_the_word_cues_and_crisis() -> None:
    def read(text: str) -> Reading:
        return read_message(
            text, account=make_account(), locale="en", today=NOW.date(), model=trained_model()
        )

    assert read("I want to talk to a human").cues == frozenset({"human"})
    assert read("stop").cues == frozenset({"stop"})
    assert read("I lost my job and I want to complain").cues == {"complaint", "hardship"}
    assert read("I can pay 100 a month").cues == frozenset()
    assert read("I want to end my life").crisis


@pytest.mark.rule("R12")
def test_the_engine_routes_crisis_on_the_reading_alone() -> None:
    d = Driver()
    d.verified_start()
    # The text says nothing: only the reading leads.
    d.send(Event(EventKind.TEXT, text="hmm", meaning=Reading(crisis=True)))
    assert d.at == "crisis"
    assert d.of_type(PauseCollection)


@pytest.mark.rule("R13")
def test_the_engine_routes_on_the_cues_the_reader_found() -> None:
    d = Driver()
    d.verified_start()
    d.send(Event(EventKind.TEXT, text="hmm", meaning=Reading(cues=frozenset({"human"}))))
    assert d.at == "handoff_wait"
    assert [e.reason for e in d.of_type(Escalate)] == [EscalationReason.REQUESTED]


@pytest.mark.parametrize("reading", [Reading(), None], ids=["no cues", "no reading"])
def test_words_the_reader_did_not_find_are_not_looked_for_again(reading: Reading | None) -> None:
    d = Driver()
    d.verified_start()
    d.send(Event(EventKind.TEXT, text="I want to kill myself, get me a human", meaning=reading))
    assert not d.of_type(Escalate)
    assert not d.of_type(PauseCollection)
    assert d.said()[0] == "repayment.not_understood"
