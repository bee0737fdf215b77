"""R8, R12, R16: while collection is paused no path offers or asks for money.

Every state of the repayment script, every choice it shows, typed offers,
dates and yeses, in three locales, with each kind of pause: no arrangement is
made and no message that offers a plan, an extension or a promise is said. The
person route and the statement stay open.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.engine.types import CreateArrangement, Event, EventKind
from tests.engine.driver import Driver, make_account, repayment_script

SCRIPT = repayment_script()
MONEY_STATES = {
    "promise",
    "promise_past",
    "promise_too_far",
    "promise_confirm",
    "promise_done",
    "plan_options",
    "plan_custom",
    "plan_refused",
    "plan_above_total",
    "plan_confirm",
    "plan_done",
    "extension",
    "extension_confirm",
    "extension_done",
}
MONEY_MESSAGES = {"repayment.menu.ask_menu"}
TYPED = ("I can pay 300 a month", "每个月还八百", "2026-12-05", "yes", "1", "3", "/menu", "hello")
# (collection_paused, breathing_space): a crisis pause, a breathing space.
PAUSES = {"crisis": (True, False), "breathing_space": (False, True)}
STATES = sorted(n for n, s in SCRIPT.states.items() if not s.end)


def _offers_money(message_id: str) -> bool:
    parts = message_id.split(".")
    return message_id in MONEY_MESSAGES or (len(parts) > 2 and parts[1] in MONEY_STATES)


def _placed(state: str, locale: str, pause: str) -> Driver:
    paused, breathing = PAUSES[pause]
    account = replace(
        make_account(locale=locale), collection_paused=paused, breathing_space=breathing
    )
    driver = Driver(account=account)
    driver.verified_start()
    assert driver.state is not None
    # A charge picked, as a borrower reaching the dispute's reason would have.
    picked = {**driver.state.vars, "dispute_selection": ["C3"], "dispute_count": 1}
    driver.state = replace(driver.state, state=state, vars=picked)
    driver.replies = []
    return driver


def _inputs(state: str, locale: str, pause: str) -> list[Event]:
    """What a borrower can send at `state`: each choice shown, and typed text."""
    probe = _placed(state, locale, pause)
    probe.text("zzz")  # not understood: the state's own choices are shown again
    choices = {c for reply in probe.replies for c in (ch.choice_id for ch in reply.choices)}
    choices |= {c.id for c in repayment_script().states[state].choices}
    events = [Event(EventKind.CHOICE, choice=c) for c in sorted(choices)]
    return events + [Event(EventKind.TEXT, text=t) for t in TYPED]


@pytest.mark.rule("R8")
@pytest.mark.rule("R12")
@pytest.mark.rule("R16")
@pytest.mark.parametrize("pause", sorted(PAUSES))
@pytest.mark.parametrize("locale", ["en", "zh_Hans", "zh_Hant"])
@pytest.mark.parametrize("state", STATES)
def test_no_path_offers_or_asks_for_money_while_paused(state: str, locale: str, pause: str) -> None:
    for event in _inputs(state, locale, pause):
        driver = _placed(state, locale, pause)
        assert driver.state is not None
        if event.kind is EventKind.CHOICE:
            event = replace(event, step=driver.state.step)
        driver.send(event)
        said = driver.said()
        offered = [m for m in said if _offers_money(m)]
        assert offered == [], (state, event, offered)
        assert driver.of_type(CreateArrangement) == [], (state, event)


@pytest.mark.rule("R12")
@pytest.mark.rule("R13")
@pytest.mark.parametrize("pause", sorted(PAUSES))
def test_after_a_pause_the_bot_stays_supportive_and_a_person_is_reachable(pause: str) -> None:
    driver = _placed("menu", "en", pause)
    driver.text("I can pay 300 a month")
    assert driver.at == "collection_paused"
    assert "person" in driver.choices()
    driver.choose("statement")
    # The statement says once what the pause is: on hold, or the breathing space.
    said = driver.said()
    assert ("repayment.statement.paused" in said) != any(
        message_id.startswith("repayment.statement.breathing_") for message_id in said
    )
    driver.text("agent")
    assert driver.at == "handoff_wait"


@pytest.mark.rule("R12")
def test_a_crisis_then_an_offer_in_the_same_conversation_makes_no_plan() -> None:
    driver = Driver()
    driver.verified_start()
    driver.text("I want to end it all")
    assert driver.at == "crisis"
    # What the service stores after the crisis: the account is paused.
    driver.account = replace(driver.account, collection_paused=True)
    driver.command("menu")
    assert "repayment.menu.ask_menu" not in driver.said()
    driver.text("I can pay 300 a month")
    assert driver.of_type(CreateArrangement) == []
    assert driver.at == "collection_paused"
