"""Every path of the repayment script, driven through the pure engine."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from bot.engine.types import (
    ArrangementKind,
    CreateArrangement,
    Escalate,
    EscalationReason,
    MarkVerified,
    MoneyValue,
    OptOut,
    PauseCollection,
    Priority,
    RecordDispute,
    SetLocale,
)
from tests.engine.driver import Driver, make_account


@pytest.mark.rule("R6")
def test_greeting_names_lender_and_says_it_is_automated_R6() -> None:
    d = Driver()
    d.start()
    assert d.said()[0] == "repayment.greeting.hello"
    assert d.params("repayment.greeting.hello") == {"lender": "Harbor Consumer Finance"}
    assert d.at == "verify"


@pytest.mark.rule("R5")
def test_nothing_about_the_account_before_verification_R5() -> None:
    d = Driver()
    d.start()
    d.text("what do I owe?")  # read as a question for help: a public detour
    d.choose("pay_full")  # a forged choice from another state
    d.command("menu")
    d.text("I can pay 100 a month")
    for reply in d.all_replies:
        for part in reply.parts:
            assert not any(isinstance(v, MoneyValue) for v in part.params.values()), part
            assert "borrower_name" not in part.params
    assert d.script.states[d.at].public
    d.choose("back")
    assert d.at == "verify"


@pytest.mark.parametrize("birth", ["1990-05-17", "1990年5月17日", "17/05/1990", "May 17, 1990"])
def test_birth_date_formats_verify(birth: str) -> None:
    d = Driver()
    d.start()
    d.text(birth)
    assert d.verified
    assert "repayment.statement.header" in d.said()
    assert d.at == "menu"


@pytest.mark.rule("R5", "R13")
@pytest.mark.rule("R5")
@pytest.mark.rule("R13")
def test_wrong_birth_dates_lock_with_a_way_to_a_person_R5_R13() -> None:
    d = Driver()
    d.start()
    d.text("1991-01-01")
    assert d.at == "verify"
    assert d.params("repayment.verify_retry.mismatch") == {"attempts_left": 2}
    d.text("1991-01-02")
    d.text("1991-01-03")
    assert d.at == "locked"
    assert "person" in d.choices()
    d.start()  # a restart is no way around the lock
    assert d.at == "locked"
    d.choose("person")
    assert [e.reason for e in d.of_type(Escalate)] == [EscalationReason.REQUESTED]
    assert not d.verified


@pytest.mark.rule("R5")
@pytest.mark.parametrize("typed", ["1990-05-17", "17/05/1990", "May 17, 1990", "1990年5月17日"])
def test_r5_the_right_date_typed_while_locked_is_told_the_lock_not_misunderstood(
    typed: str,
) -> None:
    """Issue 32: a locked borrower typing their (right) birth date got "Sorry, I didn't
    understand that". They are told again why the check is locked and who can help,
    and the date neither verifies nor counts as an attempt."""
    d = Driver()
    d.start()
    for wrong in ("1991-01-01", "1991-01-02", "1991-01-03"):
        d.text(wrong)
    assert d.at == "locked"
    d.text(typed)
    assert d.at == "locked"
    assert d.said()[0] == "repayment.locked.ask_locked"
    assert "repayment.not_understood" not in d.said()
    assert "person" in d.choices()
    assert not d.verified
    assert d.of_type(MarkVerified) == []


@pytest.mark.rule("R7")
def test_statement_itemizes_each_charge_total_and_days_past_due_R7() -> None:
    d = Driver()
    d.verified_start()
    lines = [p for r in d.replies for p in r.parts if p.message_id == "repayment.statement.line"]
    assert [p.params["description"] for p in lines] == [
        "Card balance",
        "October interest",
        "Late payment fee",
    ]
    assert d.params("repayment.statement.total")["collectible_total"] == MoneyValue(
        Decimal("1320.50"), "USD"
    )
    assert d.params("repayment.statement.due") == {
        "due_date": date(2026, 11, 18),
        "days_past_due": 4,
    }
    assert "repayment.statement.tone_early" in d.said()


def test_tone_follows_the_delinquency_stage() -> None:
    late = Driver(account=make_account(due=date(2026, 9, 1)))
    late.verified_start()
    assert "repayment.statement.tone_late" in late.said()
    current = Driver(account=make_account(due=date(2026, 12, 1)))
    current.verified_start()
    assert "repayment.statement.tone_current" in current.said()
    assert "repayment.statement.due_ahead" in current.said()


def test_promise_to_pay_in_full() -> None:
    d = Driver()
    d.verified_start()
    d.choose("pay_full")
    d.text("2026-11-20")
    assert "repayment.promise_past.past" in d.said()
    d.text("2027-03-01")
    assert d.at == "promise_too_far"
    d.choose("retry")
    d.text("2026-12-05")
    assert d.at == "promise_confirm"
    d.choose("yes")
    (arrangement,) = d.of_type(CreateArrangement)
    assert isinstance(arrangement, CreateArrangement)
    assert arrangement.kind is ArrangementKind.PROMISE_TO_PAY
    assert arrangement.amount == Decimal("1320.50")
    assert arrangement.installments[0].due_date == date(2026, 12, 5)
    assert d.at == "anything_else"


def test_installment_plan_from_policy_terms() -> None:
    d = Driver()
    d.verified_start()
    d.choose("plan")
    assert d.choices()[:3] == ["3", "6", "12"]
    d.choose("6")
    assert d.at == "plan_confirm"
    d.choose("yes")
    (plan,) = d.of_type(CreateArrangement)
    assert isinstance(plan, CreateArrangement)
    assert plan.kind is ArrangementKind.INSTALLMENT_PLAN
    assert len(plan.installments) == 6
    assert sum(i.amount for i in plan.installments) == Decimal("1320.50")
    assert plan.installments[0].due_date == date(2026, 11, 29)


@pytest.mark.parametrize("said", ["I can pay 200 a month", "每个月只能还两百", "每月還200"])
def test_monthly_offer_in_free_text_builds_a_plan(said: str) -> None:
    d = Driver()
    d.verified_start()
    d.text(said)
    assert d.at == "plan_confirm"
    assert d.params("repayment.plan_confirm.summary")["plan_months"] == 7


@pytest.mark.rule("R14")
def test_offer_below_every_term_goes_to_a_person_not_a_plan_above_it_R14() -> None:
    """20 a month fits neither the usual nor the hardship terms: a person reviews it,
    and no "closest plan" above 20 a month is offered (CONC 7.3)."""
    d = Driver()
    d.verified_start()
    d.choose("plan")
    d.choose("custom")
    d.text("20")
    assert d.at == "plan_refused"
    assert "accept" not in d.choices()
    d.choose("review")
    assert d.of_type(CreateArrangement) == []


@pytest.mark.rule("R14")
def test_offer_refused_offers_a_person_to_review_R14() -> None:
    d = Driver(account=make_account(principal="40.00", interest="0", fee="0"))
    d.verified_start()
    d.text("I can pay 5 a month")
    assert d.at == "plan_refused"
    d.choose("review")
    assert [e.reason for e in d.of_type(Escalate)] == [EscalationReason.REVIEW_DECISION]


def test_offer_above_the_balance_suggests_paying_in_full() -> None:
    d = Driver()
    d.verified_start()
    d.text("I can pay 5000 a month")
    assert d.at == "plan_above_total"


@pytest.mark.rule("R14")
def test_extension_within_policy_then_refused_R14() -> None:
    d = Driver()
    d.verified_start()
    d.choose("extension")
    assert d.choices()[:3] == ["7", "14", "30"]
    d.choose("14")
    d.choose("yes")
    (ext,) = d.of_type(CreateArrangement)
    assert isinstance(ext, CreateArrangement)
    # The account is already past due (18 Nov): the extension runs from today, 22 Nov.
    assert ext.new_due_date == date(2026, 11, 22) + timedelta(days=14)
    d.choose("menu")
    d.choose("extension")
    assert "repayment.extension.used" in d.said()
    d.choose("review")
    assert [e.reason for e in d.of_type(Escalate)] == [EscalationReason.REVIEW_DECISION]


@pytest.mark.rule("R8")
def test_dispute_holds_charges_out_of_every_plan_R8() -> None:
    d = Driver()
    d.verified_start()
    d.choose("dispute")
    d.choose("C3")
    d.choose("C2")
    d.choose("C2")  # pressing again unselects
    d.choose("continue")
    d.text("I paid on time, the late fee is wrong")
    (dispute,) = d.of_type(RecordDispute)
    assert isinstance(dispute, RecordDispute)
    assert dispute.charge_ids == ("C3",)
    assert dispute.amount == Decimal("35.00")
    assert d.params("repayment.dispute_done.done")["case_number"] == dispute.case_number
    # The statement is not repeated after the dispute (issue 32): it is one tap away.
    assert d.at == "anything_else"
    d.choose("menu")
    assert d.params("repayment.statement.total")["collectible_total"] == MoneyValue(
        Decimal("1285.50"), "USD"
    )
    d.choose("plan")
    d.choose("3")
    d.choose("yes")
    (plan,) = d.of_type(CreateArrangement)
    assert isinstance(plan, CreateArrangement)
    assert plan.amount == Decimal("1285.50")


def test_dispute_needs_a_reason_in_words() -> None:
    d = Driver()
    d.verified_start()
    d.choose("dispute")
    d.choose("C1")
    d.choose("continue")
    for junk in ("🙂🙂🙂", "12345", "", "!!!"):
        d.text(junk)
        assert d.at == "dispute_reason"
    assert not d.of_type(RecordDispute)
    assert "@human" in d.choices()  # after repeated failures a person is offered (R13)


@pytest.mark.rule("R11")
@pytest.mark.parametrize("words", ["I lost my job", "我失业了", "我最近住院了"])
def test_hardship_words_offer_forbearance_first_R11(words: str) -> None:
    d = Driver()
    d.verified_start()
    d.text(words)
    assert d.at == "hardship"
    assert d.choices()[:3] == ["plan", "extension", "person"]
    d.choose("person")
    assert [(e.reason, e.priority) for e in d.of_type(Escalate)] == [
        (EscalationReason.HARDSHIP, Priority.HIGH)
    ]


@pytest.mark.rule("R12")
@pytest.mark.parametrize("words", ["I want to kill myself", "我不想活了", "我想自殺"])
def test_crisis_stops_collection_and_hands_to_a_person_first_R12(words: str) -> None:
    d = Driver()
    d.start()  # even before verification
    d.text(words)
    assert d.at == "crisis"
    assert d.of_type(PauseCollection)
    assert [(e.reason, e.priority) for e in d.of_type(Escalate)] == [
        (EscalationReason.CRISIS, Priority.URGENT)
    ]
    assert "support_contacts" in d.params("repayment.crisis.contacts")


@pytest.mark.rule("R13")
@pytest.mark.parametrize("words", ["agent", "I want a human", "人工", "真人", "轉人工"])
def test_a_person_from_any_state_by_words_R13(words: str) -> None:
    for setup in ("verify", "menu", "plan_custom", "dispute_reason"):
        d = Driver()
        d.verified_start() if setup != "verify" else d.start()
        if setup == "plan_custom":
            d.choose("plan")
            d.choose("custom")
        if setup == "dispute_reason":
            d.choose("dispute")
            d.choose("C1")
            d.choose("continue")
        assert d.at == setup
        d.text(words)
        assert d.at == "handoff_wait", (setup, words)
        assert d.of_type(Escalate)


@pytest.mark.rule("R13")
def test_human_command_and_button_R13() -> None:
    d = Driver()
    d.verified_start()
    d.command("human")
    assert d.at == "handoff_wait"
    d2 = Driver()
    d2.verified_start()
    d2.choose("@human")
    assert d2.at == "handoff_wait"


@pytest.mark.rule("R13")
def test_two_failed_inputs_offer_a_person_R13() -> None:
    d = Driver()
    d.verified_start()
    d.choose("plan")
    d.choose("custom")
    d.text("lots")
    assert "@human" not in d.choices()
    d.text("-50")
    assert "repayment.offer_person" in d.said()
    assert "@human" in d.choices()


@pytest.mark.rule("R15")
def test_complaint_is_logged_with_a_due_date_R15() -> None:
    d = Driver()
    d.verified_start()
    d.text("I want to file a complaint")
    assert d.at == "complaint"
    (esc,) = d.of_type(Escalate)
    assert isinstance(esc, Escalate)
    assert esc.reason is EscalationReason.COMPLAINT
    assert d.params("repayment.complaint.ask_logged")["ticket"] == esc.ticket


def test_language_switch_returns_to_where_the_borrower_was() -> None:
    d = Driver()
    d.verified_start()
    d.choose("plan")
    d.command("language")
    d.choose("zh_Hant")
    assert d.state is not None and d.state.locale == "zh_Hant"
    assert d.of_type(SetLocale) == [SetLocale("zh_Hant")]
    assert d.at == "plan_options"


@pytest.mark.rule("R3")
def test_stop_opts_out_and_the_conversation_goes_on_R3() -> None:
    d = Driver()
    d.verified_start()
    d.text("STOP")
    assert d.of_type(OptOut)
    assert d.at == "menu"


def test_help_detour_and_end_cleanly() -> None:
    d = Driver()
    d.verified_start()
    d.command("help")
    assert d.at == "help"
    d.choose("back")
    assert d.at == "menu"
    d.choose("done")
    assert d.state is not None and d.state.ended
    d.text("hello again")
    assert d.at == "verify"  # a new conversation verifies again


def test_stale_button_changes_nothing() -> None:
    d = Driver()
    d.verified_start()
    before = d.state
    from bot.engine.types import Event, EventKind

    d.send(Event(EventKind.CHOICE, choice="plan", step=0))
    assert d.state == before
    assert d.said() == ["repayment.stale_choice"]


@pytest.mark.parametrize(
    "junk",
    ["", "   ", "🙂", "x" * 100_000, "-50", "0", "999999999999999", "\x00\x1b[2J", "1990-02-30"],
)
def test_bad_input_is_answered_and_changes_nothing(junk: str) -> None:
    d = Driver()
    d.verified_start()
    d.choose("plan")
    d.choose("custom")
    effects_before = list(d.effects)
    d.text(junk)
    assert d.at == "plan_custom"
    assert d.effects == effects_before
    assert d.said()[0] in ("repayment.bad_amount", "repayment.not_understood")


def test_engine_is_deterministic() -> None:
    runs = []
    for _ in range(2):
        d = Driver()
        d.verified_start()
        d.choose("dispute")
        d.choose("C3")
        d.choose("continue")
        d.text("wrong fee")
        runs.append((d.state, d.all_replies, d.effects))
    assert runs[0] == runs[1]
