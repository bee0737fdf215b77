"""Each action declares what it sets; the validator and the pause guard rely on it."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path

import pytest

from bot.engine.actions import (
    ACTIONS,
    ActionRun,
    PlanDecisionOutcome,
    PromiseCheck,
    _plan_vars,
    action,
    outcome_values,
)
from bot.engine.errors import ScriptError
from bot.engine.extract import extract_script
from bot.engine.loader import load_policy
from bot.engine.types import Context, CreateArrangement, NoteForPerson
from tests.engine.driver import NOW, make_account, shipped_policy

ROOT = Path(__file__).resolve().parents[2]


def test_an_action_is_registered_with_its_variables_and_outcomes() -> None:
    def probe(run: ActionRun) -> None:
        del run

    try:
        action("a", "b", outcomes={"probe_check": PromiseCheck}, asks_for_money=True)(probe)
        spec = ACTIONS["probe"]
        assert spec.run is probe
        assert spec.sets == frozenset({"a", "b", "probe_check"})
        assert dict(spec.outcomes) == {"probe_check": PromiseCheck}
        assert spec.asks_for_money is True
        assert action()(probe) is probe
        plain = ACTIONS["probe"]
        assert (plain.sets, dict(plain.outcomes), plain.asks_for_money) == (frozenset(), {}, False)
    finally:
        ACTIONS.pop("probe", None)


def test_plan_variables_are_named_after_their_prefix() -> None:
    assert _plan_vars("plan") == (
        "plan_months",
        "plan_installment",
        "plan_amount",
        "plan_first_due_date",
        "plan_last_due_date",
        "plan_installments",
    )
    assert set(_plan_vars("plan")) <= ACTIONS["propose_monthly"].sets


def run_actions(*names: str, value: object = None) -> ActionRun:
    ctx = Context(make_account(), shipped_policy(), NOW, id_seed="t")
    run = ActionRun(ctx, {}, None, {}, [], verified=True, locale="en")
    for name in names:
        run.value = value if name.startswith("choose") else None
        ACTIONS[name].run(run)
    return run


def test_a_payment_link_asks_for_the_first_installment_or_the_whole_amount() -> None:
    plan = run_actions("prepare_plan_options", "choose_plan", "create_plan", value="3")
    assert plan.get("pay_amount") == Decimal("440.17")
    (created,) = [e for e in plan.effects if isinstance(e, CreateArrangement)]
    assert plan.get("arrangement_id") == created.arrangement_id
    extension = run_actions("prepare_extensions", "choose_extension", "create_extension", value="7")
    assert extension.get("pay_amount") == Decimal("1320.50")


def test_a_policy_error_about_the_whole_file_is_reported_at_its_top() -> None:
    text = (ROOT / "dialogs" / "policy.yaml").read_text(encoding="utf-8")
    broken = text.replace("  max_term_months: 24", "  max_term_months: 6")
    with pytest.raises(ScriptError) as caught:
        load_policy(broken, "policy.yaml")
    (problem,) = caught.value.problems
    assert problem.state is None
    assert problem.message == (
        "(top): Value error, hardship: term 12 is outside 1..max_term_months"
    )


def test_a_text_said_per_item_tells_the_translator_so() -> None:
    script = (
        'id: s\nversion: "1"\nstart: a\nverify_state: a\nstates:\n  a:\n    end: true\n'
        "    say:\n"
        '      - {id: one, text: "Once"}\n'
        '      - {id: row, text: "{months}", each: "plan_options"}\n'
    )
    comments = {messages[0]: c for _, _, messages, c in extract_script(script, "s.yaml")}
    assert comments["s.a.one"] == ["state: a, message"]
    assert comments["s.a.row"] == [
        "state: a, said once per item of 'plan_options'",
        "placeholders (keep as they are): {months}",
    ]


def test_ids_are_deterministic_per_step_and_numbered_in_order() -> None:
    run = run_actions()

    def expected(n: int) -> str:
        digest = hashlib.sha256(f"t:A:{n}".encode()).hexdigest()[:10].upper()
        return f"A-{digest}"

    assert [run.new_id("A"), run.new_id("A")] == [expected(1), expected(2)]


def test_actions_sharing_an_outcome_give_it_every_value_of_both() -> None:
    def first(run: ActionRun) -> None:
        del run

    def second(run: ActionRun) -> None:
        del run

    try:
        action(outcomes={"shared_check": PromiseCheck})(first)
        action(outcomes={"shared_check": PlanDecisionOutcome})(second)
        assert outcome_values()["shared_check"] == frozenset(
            {k.value for k in PromiseCheck} | {k.value for k in PlanDecisionOutcome}
        )
    finally:
        ACTIONS.pop("first", None)
        ACTIONS.pop("second", None)


@pytest.mark.parametrize(("chosen", "notes"), [(False, 1), (True, 0)])
def test_a_note_for_the_person_is_what_was_written_not_a_pressed_button(
    chosen: bool, notes: int
) -> None:
    """R15: the note states' actions also run when "Continue with the assistant" is
    pressed; the button's id ("back") must not reach the agent as a note."""
    ctx = Context(make_account(), shipped_policy(), NOW, id_seed="t")
    run = ActionRun(ctx, {"ticket": "T-1"}, "back", {}, [], True, "en", chosen=chosen)
    ACTIONS["note_for_person"].run(run)
    assert [e for e in run.effects if isinstance(e, NoteForPerson)] == (
        [NoteForPerson(ticket="T-1", text="back")] * notes
    )
