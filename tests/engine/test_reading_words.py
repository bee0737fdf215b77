"""The word lists are read once, with the rest of the message (issue 11 point 3).

The reader puts what `detect_intents` finds into `Reading.words`, and the engine
routes on those instead of scanning the text a second time; a reading built
without them (by hand, in a test) still gets the engine's own scan.
"""

from __future__ import annotations

from bot.domain.intents import Intent
from bot.engine.types import Escalate, Event, EventKind, PauseCollection, Reading
from bot.service.meaning import read_message
from tests.engine.driver import NOW, Driver, make_account


def test_the_reader_gives_the_word_lists_findings() -> None:
    account = make_account()
    reading = read_message(
        "I want to talk to a human", account=account, locale="en", today=NOW.date()
    )
    assert reading.words == (Intent.HUMAN,)
    calm = read_message("I can pay 100 a month", account=account, locale="en", today=NOW.date())
    assert calm.words == ()


def test_the_engine_routes_on_the_words_the_reader_found() -> None:
    d = Driver()
    d.verified_start()
    # The text alone says nothing the word lists know: only the reading's words lead.
    d.send(Event(EventKind.TEXT, text="hmm", meaning=Reading(words=(Intent.CRISIS,))))
    assert d.of_type(PauseCollection)
    assert d.of_type(Escalate)


def test_words_read_as_none_are_not_looked_for_again() -> None:
    d = Driver()
    d.verified_start()
    # The reader found nothing in the text, so the engine does not hand off on it.
    d.send(Event(EventKind.TEXT, text="get me a human", meaning=Reading(words=())))
    assert not d.of_type(Escalate)


def test_a_reading_without_words_gets_the_engines_own_scan() -> None:
    d = Driver()
    d.verified_start()
    d.send(Event(EventKind.TEXT, text="get me a human", meaning=Reading()))
    assert d.of_type(Escalate)
