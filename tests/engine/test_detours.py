"""Detours nest: help, language, stop and the person route, opened from any state and
from each other, each return exactly where the borrower was, still verified."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.engine.types import Event, EventKind
from tests.engine.driver import Driver, repayment_script

SCRIPT = repayment_script()
LOCALES = ("en", "zh_Hans", "zh_Hant")
# Each detour: how it is opened, and how the borrower closes it again (None: it
# closes by itself, as stop does once the opt-out is recorded).
DETOURS: dict[str, tuple[str, str | None]] = {
    "help": ("help", "back"),
    "language": ("language", "@locale"),
    "stop": ("stop", None),
    "person": ("human", "back"),
}
# The detours' own states are reached by opening a detour, which the pairs cover.
DETOUR_STATES = {"help", "language", "opted_out", "handoff_wait", "handoff_noted"}
WAITING = sorted(
    name
    for name, state in SCRIPT.states.items()
    if state.waits and not state.end and name != SCRIPT.verify_state and name not in DETOUR_STATES
)


def _placed(state_name: str, locale: str) -> Driver:
    driver = Driver()
    driver.verified_start()
    assert driver.state is not None
    driver.state = replace(driver.state, state=state_name, locale=locale, stack=())
    return driver


def _open(driver: Driver, detour: str) -> None:
    driver.send(Event(EventKind.COMMAND, text=DETOURS[detour][0]))


def _close(driver: Driver, detour: str, locale: str) -> None:
    closer = DETOURS[detour][1]
    if closer is None:
        return
    driver.choose(locale if closer == "@locale" else closer)


@pytest.mark.rule("R3", "R13")
@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("start", WAITING)
def test_every_pair_of_detours_returns_where_the_borrower_was(start: str, locale: str) -> None:
    for outer in DETOURS:
        for inner in DETOURS:
            driver = _placed(start, locale)
            _open(driver, outer)
            opened_at = driver.at
            _open(driver, inner)
            _close(driver, inner, locale)
            if inner == outer and DETOURS[inner][1] is not None:
                # The same detour again is the one already open, not a second one.
                assert driver.at == start, (outer, inner)
            else:
                assert driver.at == opened_at, (outer, inner)
                _close(driver, outer, locale)
            assert driver.state is not None
            assert driver.at == start, (outer, inner, driver.state.stack)
            assert driver.state.verified
            assert driver.state.stack == ()
            assert driver.state.locale == locale


def test_help_then_language_then_continue_is_not_sent_back_to_the_greeting() -> None:
    """The bug a new user met: /help, /language, a language, Continue -> the birth-date check."""
    driver = Driver()
    driver.verified_start()
    driver.command("help")
    driver.command("language")
    driver.choose("zh_Hant")
    assert driver.at == "help"
    driver.choose("back")
    assert driver.at == "menu"
    assert driver.state is not None and driver.state.verified
    assert driver.state.locale == "zh_Hant"


def test_reopening_an_open_detour_does_not_grow_the_stack() -> None:
    driver = Driver()
    driver.verified_start()
    for _ in range(5):
        driver.command("help")
        driver.command("language")
    assert driver.state is not None
    assert len(driver.state.stack) <= 2
    driver.choose("en")
    driver.choose("back")
    assert driver.at == "menu"


def test_back_with_no_detour_open_goes_home_once_verified_and_to_the_start_before() -> None:
    # A conversation an agent handed back at the help page has no detour to return to.
    driver = Driver()
    driver.verified_start()
    assert driver.state is not None
    driver.state = replace(driver.state, state="help", stack=())
    driver.choose("back")
    assert driver.at == "menu"
    assert driver.said() == ["repayment.menu.ask_menu"]
    stranger = Driver()
    stranger.start()
    assert stranger.state is not None
    stranger.state = replace(stranger.state, state="help", stack=())
    stranger.choose("back")
    assert stranger.at == "verify"
    assert stranger.said()[0] == "repayment.greeting.hello"
