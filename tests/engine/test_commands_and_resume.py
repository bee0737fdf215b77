"""Commands in any case and with or without a slash; a person hands a conversation back."""

from __future__ import annotations

import pytest

from bot.engine.machine import ScriptRuntimeError
from bot.engine.types import Event, EventKind, Part, Reply
from tests.engine.driver import Driver


def at_menu() -> Driver:
    d = Driver()
    d.verified_start()
    assert d.at == "menu"
    return d


@pytest.mark.parametrize("written", ["/help", "help", "/HELP", "Help"])
def test_a_command_opens_its_detour_however_it_is_written(written: str) -> None:
    d = at_menu()
    d.command(written)
    assert d.at == "help"
    assert d.state is not None and d.state.stack == ("menu",)


def test_an_unknown_command_says_so_and_asks_again() -> None:
    d = at_menu()
    d.command("/nope")
    assert d.said() == ["repayment.unknown_command", "repayment.menu.ask_menu"]
    assert d.at == "menu"


def test_a_command_whose_guard_fails_is_unknown_there() -> None:
    d = Driver()
    d.start()
    d.command("/menu")  # for verified borrowers only
    assert d.said() == ["repayment.unknown_command", "repayment.verify.ask_birth_date"]
    assert d.at == "verify"


def test_a_person_hands_back_at_a_state_and_open_detours_close() -> None:
    d = at_menu()
    d.command("/help")
    assert d.state is not None and d.state.stack == ("menu",)
    d.send(Event(EventKind.RESUME, text="menu"))
    assert d.at == "menu"
    resumed = d.state
    assert resumed is not None and len(resumed.stack) == 0
    assert d.said() == ["repayment.menu.ask_menu"]


def test_handing_back_at_an_unknown_state_is_a_script_error() -> None:
    d = at_menu()
    with pytest.raises(ScriptRuntimeError, match=r"^cannot resume at unknown state 'nowhere'$"):
        d.send(Event(EventKind.RESUME, text="nowhere"))


def test_a_button_from_an_earlier_step_changes_nothing_but_says_so() -> None:
    d = at_menu()
    assert d.state is not None
    shown_at = d.state.step
    d.choose("extension")
    before = d.state
    replies = d.send(Event(EventKind.CHOICE, choice="plan", step=shown_at))
    assert replies == [Reply((Part("repayment.stale_choice"),), (), before.step)]
    assert d.state == before
