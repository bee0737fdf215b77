"""Plan, extension and promise actions on the domain rules: dates, minimums, hardship."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from bot.engine.actions import ACTIONS, ActionError, ActionRun
from bot.engine.types import ArrangementKind, Context, CreateArrangement, MoneyValue
from bot.engine.values import from_json
from tests.engine.driver import NOW, Driver, make_account, shipped_policy

TODAY = NOW.date()  # 2026-11-22


def run_action(
    name: str,
    *,
    value: Any = None,
    args: dict[str, Any] | None = None,
    run: ActionRun | None = None,
) -> ActionRun:
    if run is None:
        ctx = Context(make_account(), shipped_policy(), NOW, id_seed="t")
        run = ActionRun(ctx, {}, None, {}, [], verified=True, locale="en")
    run.value = value
    run.args = args or {}
    ACTIONS[name].run(run)
    return run


def test_a_chosen_plan_is_kept_whole_and_flat_for_messages() -> None:
    run = run_action("prepare_plan_options")
    run_action("choose_plan", value="3", run=run)
    usd = "USD"
    rows = [
        {"due_date": date(2026, 11, 29), "amount": MoneyValue(Decimal("440.17"), usd)},
        {"due_date": date(2026, 12, 29), "amount": MoneyValue(Decimal("440.17"), usd)},
        {"due_date": date(2027, 1, 29), "amount": MoneyValue(Decimal("440.16"), usd)},
    ]
    assert run.get("plan") == {
        "months": 3,
        "installment": MoneyValue(Decimal("440.17"), usd),
        "amount": MoneyValue(Decimal("1320.50"), usd),
        "first_due_date": date(2026, 11, 29),
        "last_due_date": date(2027, 1, 29),
        "installments": rows,
    }
    assert run.get("plan_installments") == rows
    assert run.get("plan_last_due_date") == date(2027, 1, 29)
    assert run.get("plan_amount") == MoneyValue(Decimal("1320.50"), usd)


@pytest.mark.rule("R8")
def test_charges_disputed_in_this_conversation_are_in_no_plan_R8() -> None:
    ctx = Context(make_account(), shipped_policy(), NOW)
    run = ActionRun(ctx, {"disputed_now": ["C3"]}, None, {}, [], verified=True, locale="en")
    run_action("propose_monthly", value=Decimal(200), run=run)
    assert run.get("plan_amount") == MoneyValue(Decimal("1285.50"), "USD")
    assert run.get("min_monthly_offer") == MoneyValue(Decimal("107.13"), "USD")


def test_a_missing_variable_reads_as_the_default_given() -> None:
    run = run_action("prepare_dispute")
    assert run.get("extension_options", []) == []
    assert run.get("no_such_variable") is None


@pytest.mark.rule("R8")
def test_nothing_collectible_is_a_decimal_zero_R8() -> None:
    everything = frozenset({"C1", "C2", "C3"})
    ctx = Context(make_account(disputed=everything), shipped_policy(), NOW)
    run = ActionRun(ctx, {}, None, {}, [], verified=True, locale="en")
    assert run.collectible() == Decimal(0)
    # A plain int 0 would break quantizing and formatting as money.
    assert isinstance(run.collectible(), Decimal)


def test_installments_fall_on_the_same_day_each_month() -> None:
    d = Driver()
    d.verified_start()
    d.choose("plan")
    d.choose("12")
    d.choose("yes")
    (plan,) = d.of_type(CreateArrangement)
    assert isinstance(plan, CreateArrangement)
    dates = [i.due_date for i in plan.installments]
    assert dates[:5] == [
        date(2026, 11, 29),
        date(2026, 12, 29),
        date(2027, 1, 29),
        date(2027, 2, 28),  # clamped to February's end...
        date(2027, 3, 29),  # ...and back to the 29th: no drift
    ]
    assert dates[-1] == date(2027, 10, 29)


def test_the_stated_minimum_is_accepted_and_one_cent_less_is_not() -> None:
    d = Driver()
    d.verified_start()
    d.choose("plan")
    assert d.state is not None
    # 1320.50 over the longest term (12 months) is 110.05 a month, far above 25.
    assert from_json(d.state.vars["min_monthly_offer"]) == MoneyValue(Decimal("110.05"), "USD")
    d.choose("custom")
    d.text("110.05")
    assert d.at == "plan_confirm"
    d.choose("no")
    d.choose("custom")
    d.text("110.04")
    # One cent below the usual terms: what fits is the hardship terms (R11), never a
    # "closest plan" above the offer.
    assert d.at == "plan_confirm"
    assert d.state.vars["plan_track"] == "hardship"
    assert "repayment.plan_confirm.hardship_terms" in d.said()


def test_no_minimum_to_state_when_no_plan_fits() -> None:
    ctx = Context(make_account(principal="40.00", interest="0", fee="0"), shipped_policy(), NOW)
    run = ActionRun(ctx, {}, None, {}, [], verified=True, locale="en")
    run_action("prepare_plan_options", run=run)
    assert run.vars["plan_options"] == []
    assert run.vars["min_monthly_offer"] is None


@pytest.mark.rule("R11")
def test_hardship_track_offers_longer_smaller_plans_first_R11() -> None:
    usual = run_action("prepare_plan_options")
    assert [o["months"] for o in usual.vars["plan_options"]] == [3, 6, 12]
    run = run_action("prepare_plan_options", args={"track": "hardship"})
    assert run.vars["plan_track"] == "hardship"
    assert [o["months"] for o in run.vars["plan_options"]] == [6, 12, 24]
    run_action("choose_plan", value="24", run=run)
    plan = run.get("plan")
    assert plan["months"] == 24
    # The shipped policy's 30-day payment holiday comes before the usual 7 days.
    assert plan["first_due_date"] == TODAY + timedelta(days=37)


@pytest.mark.rule("R11")
def test_a_monthly_offer_on_the_hardship_track_uses_the_hardship_terms_R11() -> None:
    usual = run_action("propose_monthly", value=Decimal(60))
    # 23 months is over the usual 12: what fits is the hardship terms, said as such.
    assert usual.vars["plan_decision"] == "ok"
    assert usual.vars["plan_track"] == "hardship"
    run = run_action("prepare_plan_options", args={"track": "hardship"})
    run_action("propose_monthly", value=Decimal(60), run=run)
    assert run.vars["plan_decision"] == "ok"
    assert run.vars["plan_track"] == "hardship"
    assert run.get("plan_months") == 23


def test_back_on_the_usual_menu_the_usual_terms_apply() -> None:
    run = run_action("prepare_plan_options", args={"track": "hardship"})
    run_action("prepare_plan_options", run=run)
    assert run.vars["plan_track"] == "standard"
    assert [o["months"] for o in run.vars["plan_options"]] == [3, 6, 12]


def test_an_unknown_plan_track_is_a_script_error() -> None:
    with pytest.raises(ActionError, match="track"):
        run_action("prepare_plan_options", args={"track": "vip"})


def test_an_extension_of_a_late_account_never_ends_in_the_past() -> None:
    ctx = Context(make_account(due=date(2026, 10, 9)), shipped_policy(), NOW)
    run = ActionRun(ctx, {}, None, {}, [], verified=True, locale="en")
    run_action("prepare_extensions", run=run)
    options = run.get("extension_options")
    assert [o["new_due_date"] for o in options] == [
        date(2026, 11, 29),
        date(2026, 12, 6),
        date(2026, 12, 22),
    ]
    run_action("choose_extension", value="30", run=run)
    run_action("create_extension", run=run)
    (extension,) = run.effects
    assert isinstance(extension, CreateArrangement)
    assert extension.kind is ArrangementKind.EXTENSION
    assert extension.new_due_date == date(2026, 12, 22)
    assert extension.currency == "USD"
    assert extension.amount == Decimal("1320.50")
    assert extension.arrangement_id.startswith("A-")
    assert run.vars["arrangement_id"] == extension.arrangement_id


@pytest.mark.parametrize(
    ("due", "promised", "after_due"),
    [
        (date(2026, 12, 1), date(2026, 12, 5), True),
        (date(2026, 12, 1), date(2026, 12, 1), False),
        (date(2026, 11, 18), date(2026, 12, 5), False),  # already late
    ],
)
def test_check_promise_says_when_a_promise_lands_after_the_due_date(
    due: date, promised: date, after_due: bool
) -> None:
    ctx = Context(make_account(due=due), shipped_policy(), NOW)
    run = ActionRun(ctx, {}, None, {}, [], verified=True, locale="en")
    run_action("check_promise", value=promised, run=run)
    assert run.vars["promise_check"] == "ok"
    assert run.vars["promise_after_due"] is after_due


def test_a_plan_is_kept_once_its_flat_names_are_its_parts() -> None:
    run = run_action("propose_monthly", value=Decimal(200))
    plan = run.get("plan")
    assert run.get("plan_installments") is plan["installments"]
    assert run.get("plan_amount") is plan["amount"]


@pytest.mark.rule("R11")
def test_a_policy_copy_with_other_hardship_terms_offers_its_own_R11() -> None:
    policy = shipped_policy()
    ctx = Context(make_account(), policy, NOW, id_seed="t")
    run = ActionRun(ctx, {}, None, {}, [], verified=True, locale="en")
    run_action("prepare_plan_options", args={"track": "hardship"}, run=run)
    assert [o["months"] for o in run.vars["plan_options"]] == [6, 12, 24]
    # model_copy copies the kept hardship terms too: they must not answer for the copy.
    longer = policy.hardship.model_copy(update={"terms_months": (9, 24)})
    copied = policy.model_copy(update={"hardship": longer})
    other = ActionRun(
        Context(make_account(), copied, NOW, id_seed="t"),
        {},
        None,
        {},
        [],
        verified=True,
        locale="en",
    )
    run_action("prepare_plan_options", args={"track": "hardship"}, run=other)
    assert [o["months"] for o in other.vars["plan_options"]] == [9, 24]
