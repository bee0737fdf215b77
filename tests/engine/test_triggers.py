"""Bot-initiated events: a detour into the trigger's public state, or nothing at all."""

from __future__ import annotations

from bot.engine.script import TriggerRoute
from bot.engine.types import Choice, Event, EventKind, Part, Reply
from tests.engine.driver import Driver, repayment_script

REMINDER = Reply(
    (Part("repayment.reminder.ask_reminder", {"lender": "Harbor Consumer Finance"}),),
    (
        Choice("review", Part("repayment.reminder.choice.review")),
        Choice("later", Part("repayment.reminder.choice.later")),
    ),
)


def trigger(d: Driver, name: str) -> list[Reply]:
    return d.send(Event(EventKind.TRIGGER, text=name))


def test_a_reminder_is_a_detour_that_returns_where_the_borrower_was() -> None:
    d = Driver()
    d.verified_start()
    assert d.state is not None
    step = d.state.step
    assert trigger(d, "reminder") == [Reply(REMINDER.parts, REMINDER.choices, step + 1)]
    assert (d.at, d.state.stack, d.state.ended) == ("reminder", ("menu",), False)
    d.choose("later")
    assert d.at == "menu"
    assert d.state.stack == ()


def test_an_unknown_trigger_changes_and_says_nothing() -> None:
    d = Driver()
    d.verified_start()
    before, effects = d.state, list(d.effects)
    assert trigger(d, "birthday") == []
    assert d.state == before
    assert d.effects == effects


def test_a_trigger_whose_guard_fails_changes_and_says_nothing() -> None:
    script = repayment_script()
    guarded = script.model_copy(
        update={"triggers": {"reminder": TriggerRoute(to="reminder", when="not verified")}}
    )
    d = Driver(script=guarded)
    d.verified_start()
    before = d.state
    assert trigger(d, "reminder") == []
    assert d.state == before
    unverified = Driver(script=guarded)
    unverified.start()
    assert trigger(unverified, "reminder")[0].parts == REMINDER.parts


def test_a_reminder_after_the_end_opens_a_new_conversation_there() -> None:
    d = Driver()
    d.verified_start()
    d.choose("done")
    assert d.state is not None and d.state.ended
    assert trigger(d, "reminder")[0].parts == REMINDER.parts
    assert (d.at, d.state.stack, d.state.ended) == ("reminder", (), False)
