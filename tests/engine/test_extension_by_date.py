"""A new due date typed at the extension question, or named at the menu: the option
that reaches it (the same day or the nearest after it), and past the furthest one a
plain "this is the latest I can offer" instead of "I didn't understand"."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.engine.actions import ACTIONS, ActionError, ActionRun
from bot.engine.types import Context
from tests.engine.driver import NOW, Driver, make_account, shipped_policy

TODAY = NOW.date()


def _chosen(typed: object, *, used: bool = False) -> ActionRun:
    ctx = Context(make_account(), shipped_policy(), NOW, id_seed="t")
    run = ActionRun(ctx, {}, None, {}, [], verified=True, locale="en")
    if not used:
        ACTIONS["prepare_extensions"].run(run)
    run.value = typed
    ACTIONS["choose_extension_by_date"].run(run)
    return run


def _offered() -> list[date]:
    run = _chosen(TODAY)
    return sorted(o["new_due_date"] for o in run.get("extension_options"))


def test_the_same_day_as_an_option_is_that_option() -> None:
    for offered in _offered():
        run = _chosen(offered)
        assert (run.get("extension_new_due"), run.get("extension_past_offers")) == (offered, False)


def test_a_day_between_options_is_the_nearest_option_after_it() -> None:
    first, second, *_ = _offered()
    run = _chosen(first + timedelta(days=1))
    assert run.get("extension_new_due") == second
    assert run.get("extension_days") == run.get("extension")["days"]
    # The confirmation says it is the nearest date offered after the day asked for.
    assert run.get("extension_asked") == first + timedelta(days=1)


def test_the_day_asked_is_said_only_when_it_is_not_the_option_itself() -> None:
    first = _offered()[0]
    assert _chosen(first).get("extension_asked") is None
    run = _chosen(first - timedelta(days=1))
    assert run.get("extension_asked") == first - timedelta(days=1)
    # A button pressed afterwards is that option exactly: nothing left to explain.
    run.value = run.get("extension_options")[-1]["id"]
    ACTIONS["choose_extension"].run(run)
    assert run.get("extension_asked") is None


def test_past_the_furthest_option_nothing_is_chosen_and_the_latest_is_said() -> None:
    latest = _offered()[-1]
    run = _chosen(latest + timedelta(days=1))
    assert run.get("extension_past_offers") is True
    assert run.get("extension_latest") == latest
    assert run.get("extension") is None


def test_with_no_option_left_nothing_is_chosen() -> None:
    run = _chosen(TODAY + timedelta(days=3), used=True)
    assert (run.get("extension_past_offers"), run.get("extension_latest")) == (True, None)


def test_without_a_date_it_is_a_script_error() -> None:
    with pytest.raises(ActionError):
        _chosen("14")


@pytest.mark.parametrize(("days", "state"), [(1, "extension_confirm"), (400, "extension_too_far")])
def test_a_date_typed_at_the_question_leads_to_the_confirmation_or_the_latest(
    days: int, state: str
) -> None:
    d = Driver()
    d.verified_start()
    d.choose("extension")
    d.text(f"{TODAY + timedelta(days=days):%Y-%m-%d}")
    visited = d.said()
    # The day typed (tomorrow) is before every option: the nearest after it is confirmed.
    assert f"repayment.{state}.{'ask_confirm_nearest' if days == 1 else 'too_far'}" in visited
