"""Asking back when unsure: the likeliest meanings that lead somewhere, as buttons (R13).

The readings here are written out, so each rule is shown on exactly the
meanings and scores it is about, whatever the intent model would say.
"""

from __future__ import annotations

from datetime import date

import pytest

from bot.engine.types import Choice, Event, EventKind, Part, Reading, Reply, Sense
from tests.engine.driver import Driver


def unclear(d: Driver, *senses: tuple[str, float]) -> list[Reply]:
    reading = Reading(senses=tuple(Sense(m, s) for m, s in senses))
    return d.send(Event(EventKind.TEXT, text="hmm", meaning=reading))


def button(meaning: str) -> Choice:
    return Choice(f"@meaning:{meaning}", Part(f"repayment.meaning_{meaning}"))


NONE = button("none")
ASK_BACK = Part("repayment.ask_back")
OFFER_PERSON = Part("repayment.offer_person")


def at_menu() -> Driver:
    d = Driver()
    d.verified_start()
    assert d.at == "menu"
    return d


def test_at_most_three_likely_meanings_then_something_else() -> None:
    d = at_menu()
    assert d.state is not None
    step = d.state.step
    replies = unclear(
        d, ("extension", 0.5), ("installment", 0.3), ("dispute", 0.15), ("hardship", 0.12)
    )
    assert replies == [
        Reply(
            (ASK_BACK,),
            (button("extension"), button("installment"), button("dispute"), NONE),
            step + 1,
        )
    ]
    assert d.at == "menu"
    assert d.state.failed_inputs == 1


def test_a_meaning_below_a_tenth_is_not_worth_a_button() -> None:
    d = at_menu()
    replies = unclear(d, ("extension", 0.5), ("installment", 0.1), ("dispute", 0.099))
    assert replies[0].choices == (button("extension"), button("installment"), NONE)


def test_meanings_that_lead_nowhere_here_get_no_button() -> None:
    d = at_menu()
    # No "yes" to give at the menu; crisis has its own check; "inform" leads nowhere.
    replies = unclear(d, ("confirm", 0.5), ("crisis", 0.3), ("inform", 0.2), ("hardship", 0.15))
    assert replies[0].choices == (button("hardship"), NONE)


def test_nothing_likely_here_is_not_understood() -> None:
    d = at_menu()
    replies = unclear(d, ("confirm", 0.9), ("off_topic", 0.1))
    assert next(p.message_id for r in replies for p in r.parts) == "repayment.not_understood"
    assert all(not c.choice_id.startswith("@meaning:") for r in replies for c in r.choices)


@pytest.mark.rule("R13")
def test_unclear_twice_offers_a_person_once_R13() -> None:
    d = at_menu()
    unclear(d, ("extension", 0.5))
    replies = unclear(d, ("installment", 0.5))
    assert replies[0].parts == (ASK_BACK, OFFER_PERSON)
    assert replies[0].choices == (button("installment"), button("human"), NONE)
    assert d.state is not None and d.state.failed_inputs == 2
    # A person already among the likely meanings gets one button, not two.
    replies = unclear(d, ("human", 0.5), ("installment", 0.3))
    assert replies[0].choices == (button("human"), button("installment"), NONE)


def test_in_a_free_text_answer_only_a_person_may_take_over() -> None:
    d = at_menu()
    d.to_dispute_reason()
    # A global meaning would hijack the reason being written: not understood.
    d.choose("@meaning:hardship")
    assert d.at == "dispute_reason"
    assert "repayment.not_understood" in d.said()
    d.choose("@meaning:human")
    assert d.at == "handoff_wait"


def test_a_global_meaning_whose_guard_fails_leads_nowhere() -> None:
    d = Driver()
    d.start()
    assert d.at == "verify"
    # how_to_pay is for verified borrowers only.
    d.choose("@meaning:how_to_pay")
    assert d.at == "verify"
    assert "repayment.not_understood" in d.said()


def test_a_date_that_reads_two_ways_is_asked_with_both_readings() -> None:
    d = at_menu()
    d.choose("pay_full")
    assert d.at == "promise" and d.state is not None
    step = d.state.step
    readings = (date(2026, 12, 5), date(2026, 5, 12), date(2026, 12, 6))
    replies = d.send(Event(EventKind.TEXT, text="05/12", meaning=Reading(dates=readings)))
    assert replies == [
        Reply(
            (Part("repayment.which_date"),),
            tuple(
                Choice(f"@date:{day.isoformat()}", Part("repayment.date_option", {"date": day}))
                for day in readings[:2]
            ),
            step + 1,
        )
    ]
    assert d.at == "promise"
    assert d.state.failed_inputs == 0
    d.choose("@date:2026-12-05")
    assert d.at == "promise_confirm"


def test_a_date_button_that_is_no_date_or_out_of_range_is_refused() -> None:
    d = at_menu()
    d.choose("pay_full")
    d.choose("@date:2026-13-45")
    assert d.at == "promise"
    # A payment date's own example, not the birth-date one (issue 32).
    assert "repayment.bad_pay_date" in d.said()
    d.choose("@date:2026-05-12")  # in the past
    assert d.at in ("promise", "promise_past")
    d = at_menu()
    d.choose("@date:2026-12-05")  # no date asked at the menu
    assert d.at == "menu"
    assert "repayment.not_understood" in d.said()
