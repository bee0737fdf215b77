"""A promise of part: the router hands the part and its day to `check_promise`,
which promises that part (never more than is collectible) and says what stays due;
a route leaving a state runs its own actions, not the state's."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from bot.engine import router
from bot.engine.actions import ACTIONS, ActionError, ActionRun
from bot.engine.router import TakeRoute
from bot.engine.scope import computed_from, computed_names
from bot.engine.types import (
    Context,
    CreateArrangement,
    MoneyValue,
    Reading,
    SaidPayment,
    Sense,
)
from tests.engine.driver import NOW, make_account, repayment_script, shipped_policy

SCOPE: dict[str, Any] = computed_names(
    computed_from({}), True, "en", 0, Context(make_account(), shipped_policy(), NOW)
)
FRIDAY = date(2026, 11, 27)


def _promise(**fields: Any) -> Reading:
    return Reading(senses=(Sense("promise", 0.9),), sure=True, **{"dates": (FRIDAY,), **fields})


def test_a_part_and_its_day_reach_check_promise_from_the_menu() -> None:
    script = repayment_script()
    decision = router.route_text(
        script, script.states["menu"], _promise(amount=Decimal(300)), "x", SCOPE
    )
    assert isinstance(decision, TakeRoute)
    assert (decision.value, decision.to) == (SaidPayment(FRIDAY, Decimal(300)), "promise_decide")
    assert [a.name for a in decision.actions] == ["check_promise"]


@pytest.mark.parametrize("per", [{"monthly": True}, {"other_period": True}])
def test_an_amount_a_month_or_a_week_is_no_part_of_a_promise(per: dict[str, bool]) -> None:
    assert router.route_value(_promise(amount=Decimal(300), **per), "promise") == FRIDAY


def test_a_date_alone_stays_a_date() -> None:
    assert router.route_value(_promise(), "promise") == FRIDAY
    assert router.route_value(_promise(amount=Decimal(300)), "pay_in_full") == FRIDAY


def _checked(value: object) -> ActionRun:
    ctx = Context(make_account(), shipped_policy(), NOW, id_seed="t")
    run = ActionRun(ctx, {}, value, {}, [], verified=True, locale="en")
    ACTIONS["check_promise"].run(run)
    return run


@pytest.mark.parametrize(
    ("said", "promised", "rest"),
    [
        (Decimal("300"), Decimal("300"), Decimal("1020.50")),
        (Decimal("1320.49"), Decimal("1320.49"), Decimal("0.01")),
        (Decimal("1320.50"), Decimal("1320.50"), None),  # all of it: nothing stays due
        (Decimal("5000"), Decimal("1320.50"), None),  # more than is owed: the balance
        (Decimal("0"), Decimal("1320.50"), None),  # nothing is no part
    ],
)
def test_check_promise_promises_the_part_named_and_keeps_what_stays_due(
    said: Decimal, promised: Decimal, rest: Decimal | None
) -> None:
    run = _checked(SaidPayment(FRIDAY, said))
    assert run.get("promise_date") == FRIDAY
    assert run.get("promise_amount") == MoneyValue(promised, "USD")
    assert run.get("promise_rest") == (None if rest is None else MoneyValue(rest, "USD"))
    ACTIONS["create_promise"].run(run)
    (created,) = run.effects
    assert isinstance(created, CreateArrangement)
    assert [i.amount for i in created.installments] == [promised]


def test_a_plain_date_promises_the_whole_balance() -> None:
    run = _checked(FRIDAY)
    assert run.get("promise_amount") == MoneyValue(Decimal("1320.50"), "USD")
    assert run.get("promise_rest") is None


def test_check_promise_without_a_day_is_a_script_error() -> None:
    with pytest.raises(ActionError):
        _checked(Decimal(300))


# ---- a part by a day that reads two ways ----

NEXT_WEEK = date(2026, 12, 4)


def test_a_part_by_a_two_way_day_keeps_the_part_and_both_readings() -> None:
    script = repayment_script()
    reading = _promise(amount=Decimal(300), dates=(NEXT_WEEK, FRIDAY))
    decision = router.route_text(script, script.states["menu"], reading, "x", SCOPE)
    assert isinstance(decision, TakeRoute)
    assert decision.to == "promise_part"
    assert [a.name for a in decision.actions] == ["keep_promise_part"]
    assert decision.value == SaidPayment(NEXT_WEEK, Decimal(300), (NEXT_WEEK, FRIDAY))


def test_a_two_way_day_without_a_part_asks_for_the_full_amount() -> None:
    script = repayment_script()
    reading = _promise(dates=(NEXT_WEEK, FRIDAY))
    decision = router.route_text(script, script.states["menu"], reading, "x", SCOPE)
    assert decision == router.Choose("pay_full")


def _kept(said: object) -> ActionRun:
    ctx = Context(make_account(), shipped_policy(), NOW, id_seed="t")
    run = ActionRun(ctx, {}, said, {}, [], verified=True, locale="en")
    ACTIONS["keep_promise_part"].run(run)
    return run


@pytest.mark.parametrize("chosen", [FRIDAY.isoformat(), FRIDAY, date(2026, 12, 1)])
def test_the_day_chosen_or_typed_promises_the_part_kept(chosen: object) -> None:
    run = _kept(SaidPayment(NEXT_WEEK, Decimal(300), (NEXT_WEEK, FRIDAY)))
    assert run.get("promise_part") == MoneyValue(Decimal(300), "USD")
    assert [o["date"] for o in run.get("promise_part_dates")] == [NEXT_WEEK, FRIDAY]
    run.value = chosen
    ACTIONS["check_promise_part"].run(run)
    day = chosen if isinstance(chosen, date) else FRIDAY
    assert (run.get("promise_date"), run.get("promise_amount")) == (
        day,
        MoneyValue(Decimal(300), "USD"),
    )
    assert run.get("promise_rest") == MoneyValue(Decimal("1020.50"), "USD")


def test_more_than_is_owed_is_kept_as_the_balance() -> None:
    run = _kept(SaidPayment(NEXT_WEEK, Decimal(5000), (NEXT_WEEK, FRIDAY)))
    assert run.get("promise_part") == MoneyValue(Decimal("1320.50"), "USD")


@pytest.mark.parametrize("said", [SaidPayment(FRIDAY, Decimal(300)), FRIDAY])
def test_keeping_a_part_needs_two_readings(said: object) -> None:
    with pytest.raises(ActionError):
        _kept(said)


def test_a_day_not_offered_nor_typed_is_a_script_error() -> None:
    run = _kept(SaidPayment(NEXT_WEEK, Decimal(300), (NEXT_WEEK, FRIDAY)))
    run.value = "2027-01-01"
    with pytest.raises(ActionError):
        ACTIONS["check_promise_part"].run(run)
