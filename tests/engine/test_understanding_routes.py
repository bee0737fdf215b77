"""Borrowers' own words through the engine: every meaning where it makes sense (issue 12, 7).

The driver reads each message with the real understanding layer, as the runtime does.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from bot.domain.accounts import Account, Charge, ChargeKind
from bot.engine.loader import load_script
from bot.engine.script import MEANINGS
from bot.engine.types import (
    ArrangementKind,
    CreateArrangement,
    Escalate,
    EscalationReason,
    Event,
    EventKind,
    MarkVerified,
    PauseCollection,
    RecordDispute,
)
from bot.engine.values import from_json
from bot.service.scripts import check_dialogs
from bot.understanding import Meaning, prepare
from bot.understanding.features import features
from bot.understanding.model import IntentModel
from bot.understanding.understand import understand
from tests.engine.driver import Driver, make_account, repayment_script
from tests.engine.test_validator import broken

TODAY = date(2026, 11, 22)  # the driver's today (a Sunday)


def _var(d: Driver, name: str) -> Any:
    assert d.state is not None
    return from_json(d.state.vars.get(name))


def at_menu(account: Account | None = None) -> Driver:
    d = Driver(account=account) if account is not None else Driver()
    d.verified_start()
    assert d.at == "menu"
    return d


def test_the_engine_knows_every_meaning_the_reader_can_give() -> None:
    assert {m.value for m in Meaning} == MEANINGS


# ---- from the menu ----


def test_a_named_charge_opens_the_dispute_with_it_selected() -> None:
    d = at_menu()
    d.text("I never agreed to that late fee")
    assert d.at == "dispute_select"
    assert _var(d, "dispute_selection") == ["C3"]
    assert "repayment.dispute_select.selected" in d.said()
    assert "continue" in d.choices()
    d.text("yes")  # confirms the selection
    assert d.at == "dispute_reason"
    d.text("customer service told me this fee would be waived")
    (dispute,) = d.of_type(RecordDispute)
    assert dispute.charge_ids == ("C3",)
    assert "customer service" in dispute.reason
    assert not d.of_type(Escalate)  # a reason naming customer service is no handoff


def test_a_dispute_reason_in_cantonese_naming_customer_service_stays_a_reason() -> None:
    account = replace(
        make_account(currency="HKD", locale="zh_Hant"),
        timezone="Asia/Hong_Kong",
        phone="+85291230001",
        charges=(
            Charge("P", ChargeKind.PRINCIPAL, "信用卡結欠", Decimal(6000), date(2026, 10, 1)),
            Charge("A", ChargeKind.ANNUAL_FEE, "年費", Decimal(300), date(2026, 11, 1)),
        ),
    )
    d = at_menu(account)
    d.text("年費唔係我申請嘅")
    assert d.at == "dispute_select"
    assert _var(d, "dispute_selection") == ["A"]
    d.choose("continue")
    d.text("客服話年費會豁免")
    (dispute,) = d.of_type(RecordDispute)
    assert dispute.reason == "客服話年費會豁免"
    assert not d.of_type(Escalate)


def test_paying_everything_by_a_date_proposes_that_promise() -> None:
    d = at_menu()
    d.text("ill clear it all by dec 5")
    assert d.at == "promise_confirm"
    assert _var(d, "promise_date") == date(2026, 12, 5)
    d.text("OK")
    (promise,) = d.of_type(CreateArrangement)
    assert promise.kind is ArrangementKind.PROMISE_TO_PAY
    assert promise.installments[0].due_date == date(2026, 12, 5)


def test_paying_everything_by_a_date_in_chinese() -> None:
    d = at_menu()
    d.text("我下个月15号前全部还清")
    assert d.at == "promise_confirm"
    assert _var(d, "promise_date") == date(2026, 12, 15)


def test_part_of_it_by_a_date_is_not_taken_for_the_whole_balance() -> None:
    d = at_menu()
    d.text("I can pay 500 on friday")
    assert d.at == "promise_confirm"  # 500 by friday, asked before it is recorded
    assert not d.of_type(CreateArrangement)
    d.choose("yes")
    (promise,) = d.of_type(CreateArrangement)
    assert promise.amount == Decimal("500")


def test_paying_in_full_without_a_date_asks_for_it() -> None:
    d = at_menu()
    d.text("I want to pay the whole thing off")
    assert d.at == "promise"


def test_more_time_opens_the_extension() -> None:
    d = at_menu()
    d.text("can I get a couple more weeks?")
    assert d.at == "extension"
    assert "7" in d.choices()


@pytest.mark.parametrize("said", ["I can pay 100 a month", "我每个月只能还八百"])
def test_a_monthly_amount_at_the_menu_is_an_offer(said: str) -> None:
    d = at_menu()
    d.text(said)
    assert d.at == "plan_confirm"
    assert _var(d, "offered_monthly").amount in (Decimal(100), Decimal(800))


# ---- confirmations ----


@pytest.mark.parametrize("yes", ["好", "OK", "yes", "得", "好的，就这样"])
def test_yes_in_everyday_words_confirms(yes: str) -> None:
    d = at_menu()
    d.choose("plan")
    d.choose("3")
    d.text(yes)
    assert d.at == "anything_else"
    (plan,) = d.of_type(CreateArrangement)
    assert plan.kind is ArrangementKind.INSTALLMENT_PLAN


@pytest.mark.parametrize("no", ["不用了", "no", "唔得，太多"])
def test_no_in_everyday_words_declines(no: str) -> None:
    d = at_menu()
    d.choose("extension")
    d.choose("14")
    assert d.at == "extension_confirm"
    d.text(no)
    assert d.at == "menu"
    assert not d.of_type(CreateArrangement)


# ---- offers wherever a plan can be chosen ----


@pytest.mark.parametrize("said", ["I can pay 100 a month", "我每个月只能还八百", "100"])
def test_an_amount_at_the_installment_options_is_an_offer(said: str) -> None:
    d = at_menu()
    d.choose("plan")
    d.text(said)
    assert d.at == "plan_confirm"
    assert _var(d, "offered_monthly").amount in (Decimal(100), Decimal(800))


@pytest.mark.parametrize(
    "said", ["I can pay 100 a month", "我每个月只能还八百", "$100, I really can't afford more"]
)
def test_an_amount_at_hardship_is_an_offer(said: str) -> None:
    d = at_menu()
    d.choose("hardship")
    d.text(said)
    assert d.at == "plan_confirm"
    assert _var(d, "offered_monthly").amount in (Decimal(100), Decimal(800))


@pytest.mark.rule("R11")
def test_hardship_words_without_an_amount_still_lead_to_forbearance_R11() -> None:
    d = at_menu()
    d.text("I lost my job last month")
    assert d.at == "hardship"


# ---- payment dates ----


@pytest.mark.parametrize(
    ("said", "day"),
    [
        ("today", TODAY),
        ("tomorrow", date(2026, 11, 23)),
        ("next friday", date(2026, 11, 27)),
        ("Dec 1", date(2026, 12, 1)),
        ("下个月15号", date(2026, 12, 15)),
        ("月底", date(2026, 11, 30)),
        ("下禮拜五", date(2026, 11, 27)),
    ],
)
def test_relative_and_partial_payment_dates(said: str, day: date) -> None:
    d = at_menu()
    d.choose("pay_full")
    d.text(said)
    assert d.at == "promise_confirm"
    assert _var(d, "promise_date") == day


def test_a_payment_date_too_far_can_be_corrected_in_words() -> None:
    d = at_menu()
    d.choose("pay_full")
    d.text("March 3")
    assert d.at == "promise_too_far"
    d.text("Dec 10 then")
    assert d.at == "promise_confirm"
    assert _var(d, "promise_date") == date(2026, 12, 10)


# ---- birth dates in the account region's order ----


def _born(birth: date, timezone: str, phone: str) -> Account:
    return replace(make_account(), birth_date=birth, timezone=timezone, phone=phone)


def test_a_us_account_reads_month_first() -> None:
    d = Driver(account=_born(date(1995, 1, 2), "America/Los_Angeles", "+13105550100"))
    d.start()
    d.text("01/02/1995")
    assert d.verified
    assert d.at == "menu"


def test_a_british_account_reads_day_first() -> None:
    d = Driver(account=_born(date(1990, 6, 5), "Europe/London", "+447700900123"))
    d.start()
    d.text("05/06/1990")
    assert d.verified


def test_the_phone_gives_the_region_when_the_zone_does_not() -> None:
    d = Driver(account=_born(date(1990, 6, 5), "UTC", "+447700900123"))
    d.start()
    d.text("05/06/1990")
    assert d.verified


@pytest.mark.rule("R5")
def test_an_ambiguous_birth_date_is_asked_back_and_not_counted_R5() -> None:
    d = Driver(account=_born(date(1990, 6, 5), "UTC", "+99912345"))
    d.start()
    d.text("05/06/1990")
    assert d.at == "verify"
    assert "repayment.which_date" in d.said()
    assert d.choices() == ["@date:1990-06-05", "@date:1990-05-06"]
    assert not d.verified
    assert _var(d, "verify_failures") in (None, 0)  # asking is no failed attempt
    d.choose("@date:1990-06-05")
    assert d.verified


@pytest.mark.rule("R5")
def test_the_wrong_reading_counts_as_one_attempt_R5() -> None:
    d = Driver(account=_born(date(1990, 6, 5), "UTC", "+99912345"))
    d.start()
    d.text("05/06/1990")
    d.choose("@date:1990-05-06")
    assert not d.verified
    assert _var(d, "verify_failures") == 1
    assert d.at == "verify"


def test_a_taiwan_year_that_reads_two_ways_is_asked_back() -> None:
    d = Driver(account=_born(date(1990, 5, 17), "Asia/Taipei", "+886912345678"))
    d.start()
    d.text("79年5月17日")
    assert d.choices() == ["@date:1990-05-17", "@date:1979-05-17"]
    d.choose("@date:1990-05-17")
    assert d.verified


def test_a_date_button_from_an_earlier_question_is_stale() -> None:
    d = Driver(account=_born(date(1990, 6, 5), "UTC", "+99912345"))
    d.start()
    d.text("05/06/1990")
    assert d.state is not None
    old_step = d.state.step
    d.text("hmm")
    from bot.engine.types import Event, EventKind

    d.send(Event(EventKind.CHOICE, choice="@date:1990-06-05", step=old_step))
    assert "repayment.stale_choice" in d.said()
    assert not d.of_type(MarkVerified)


# ---- not sure: ask back ----


def test_an_unclear_message_is_asked_back_with_the_likeliest_choices() -> None:
    d = at_menu()
    d.text("can we do something about the payment")
    assert d.at == "menu"
    assert "repayment.ask_back" in d.said()
    choices = d.choices()
    assert {"@meaning:extension", "@meaning:installment"} <= set(choices)
    assert choices[-1] == "@meaning:none"
    assert len(choices) <= 4
    d.choose("@meaning:installment")
    assert d.at == "plan_options"


def test_none_of_those_asks_the_question_again() -> None:
    d = at_menu()
    d.text("can we do something about the payment")
    d.choose("@meaning:none")
    assert d.at == "menu"
    assert "repayment.menu.ask_menu" in d.said()
    assert "plan" in d.choices()


def test_a_meaning_button_that_leads_nowhere_here_is_not_understood() -> None:
    d = at_menu()
    d.text("can we do something about the payment")
    d.choose("@meaning:confirm")
    assert "repayment.not_understood" in d.said()
    assert d.at == "menu"


# ---- crisis and a person win everywhere (R12, R13) ----


def _somewhere(where: str) -> Driver:
    d = at_menu()
    if where == "promise_confirm":
        d.text("ill clear it all by dec 5")
    elif where == "dispute_reason":
        d.choose("dispute")
        d.choose("C3")
        d.choose("continue")
    elif where == "plan_custom":
        d.choose("plan")
        d.choose("custom")
    elif where == "promise":
        d.choose("pay_full")
    assert d.at == where
    return d


@pytest.mark.rule("R12")
@pytest.mark.parametrize("where", ["promise_confirm", "dispute_reason", "plan_custom", "promise"])
@pytest.mark.parametrize("said", ["I want to end my life", "再逼我我就从楼上跳下去"])
def test_crisis_wins_everywhere_R12(where: str, said: str) -> None:
    d = _somewhere(where)
    d.text(said)
    assert d.at == "crisis"
    assert d.of_type(PauseCollection)


@pytest.mark.rule("R13")
@pytest.mark.parametrize("where", ["promise_confirm", "dispute_reason", "plan_custom", "promise"])
@pytest.mark.parametrize("said", ["I want to talk to a person", "搵個agent", "转人工"])
def test_a_person_wins_everywhere_R13(where: str, said: str) -> None:
    d = _somewhere(where)
    d.text(said)
    assert d.at == "handoff_wait"
    assert [e.reason for e in d.of_type(Escalate)] == [EscalationReason.REQUESTED]


@pytest.mark.rule("R13")
def test_turning_a_person_down_is_no_request_for_one() -> None:
    d = _somewhere("promise_confirm")
    d.text("no need for a human")
    assert not d.of_type(Escalate)
    assert d.at == "menu"  # it is a "no"


def test_text_without_a_reading_is_nothing_understood_the_engine_reads_no_words() -> None:
    d = at_menu()
    d.send(Event(EventKind.TEXT, text="agent"))
    assert d.at == "menu"
    assert d.said()[0] == "repayment.not_understood"
    assert not d.of_type(Escalate)
    d.text("agent")  # read by the understanding layer: the word asks for a person
    assert d.at == "handoff_wait"


# ---- what the validator says about meanings ----


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        (
            "      installment: {choice: plan}\n",
            "      instalment: {choice: plan}\n",
            "unknown meaning 'instalment'",
        ),
        (
            '  hardship: {to: hardship, when: "verified"}',
            "  hardshp: {to: hardship}",
            "unknown meaning 'hardshp'",
        ),
        (
            "      installment: {choice: plan}\n",
            "      installment: {choice: plans}\n",
            "unknown choice 'plans'",
        ),
        ('  meaning_extension: "Ask for more time"\n', "", "no button label 'meaning_extension'"),
        ("  which_date: ", "  which_dates: ", "the engine needs message 'which_date'"),
        (
            '        when: "said_monthly"\n',
            '        when: "said_monthy"\n',
            "unknown name(s) in expression: said_monthy",
        ),
    ],
)
def test_the_validator_checks_meanings(tmp_path: Path, old: str, new: str, words: str) -> None:
    directory, _ = broken(tmp_path, old, new)
    problems = check_dialogs(directory, None)
    assert any(words in p.message for p in problems), [str(p) for p in problems]


def test_a_route_needs_one_target(tmp_path: Path) -> None:
    directory, _ = broken(
        tmp_path,
        "      installment: {choice: plan}\n",
        "      installment: {choice: plan, to: menu}\n",
    )
    problems = check_dialogs(directory, None)
    assert any("either 'to' or 'choice'" in p.message for p in problems), problems


def test_a_conversation_pinned_to_an_older_script_is_not_asked_back() -> None:
    """Scripts published before asking back existed have no texts for it."""
    script = repayment_script()
    messages = {k: v for k, v in script.messages.items() if k not in ("ask_back", "which_date")}
    older = script.model_copy(update={"messages": messages})
    d = Driver(account=_born(date(1990, 6, 5), "UTC", "+99912345"), script=older)
    d.start()
    d.text("05/06/1990")  # the likeliest reading (day first) is taken
    assert d.verified
    d.text("can we do something about the payment")
    assert "repayment.not_understood" in d.said()


def _reads_no_then_dispute(text: str) -> IntentModel:
    """A stand-in model that reads every message as a sure "no" (0.7) and a dispute
    second (0.25), and knows the words of `text`: the route is what is tested here, not
    how a retrained model happens to rank one sentence."""
    logits = {Meaning.DECLINE: 3.0, Meaning.DISPUTE: 1.9}
    labels = tuple(Meaning)
    known = frozenset(f for f in features(prepare(text).folded) if f.startswith("w:"))
    return IntentModel(labels, tuple(logits.get(m, -2.0) for m in labels), {}, "", known)


def test_a_sure_meaning_with_no_place_here_offers_the_next_likeliest() -> None:
    text = "the interest looks way too high, thats not what i signed up for"
    d = at_menu()
    d.model = _reads_no_then_dispute(text)
    # Read as a sure "no" (nothing to say no to at the menu), a dispute second.
    reading = understand(text, locale="en", today=date(2026, 1, 1), model=d.model)
    assert reading.sure and reading.top is Meaning.DECLINE
    d.text(text)
    assert "repayment.ask_back" in d.said()
    assert "@meaning:dispute" in d.choices()
    d.choose("@meaning:dispute")
    assert d.at == "dispute_select"


def test_a_meaning_routed_to_a_button_that_is_not_shown_does_not_press_it() -> None:
    # Every charge is disputed: nothing to pay, so the menu shows no plan button (R8).
    d = at_menu(make_account(disputed=frozenset({"C1", "C2", "C3"})))
    assert "plan" not in d.choices()
    d.text("I want to pay in installments")
    assert d.at == "menu"
    assert not d.of_type(CreateArrangement)
    assert "plan" not in d.choices()


def test_route_guards_can_read_every_said_name(tmp_path: Path) -> None:
    # said_charges and said_all are part of the script language even where the shipped
    # script does not use them: a manager's guard may.
    guard = "said_monthly and not said_all and said_charges | length == 0"
    directory, text = broken(tmp_path, '        when: "said_monthly"', f'        when: "{guard}"')
    script, _ = load_script(text, str(directory / "repayment.yaml"))
    d = Driver(script=script)
    d.verified_start()
    d.text("I can pay 100 a month")
    assert d.at == "plan_confirm"
    everything = Driver(script=script)
    everything.verified_start()
    everything.text("I can pay all of it, 100 a month")
    assert everything.at != "plan_confirm"


# ---- a person, as the reading and the word lists see it ----


def test_a_person_asked_for_in_words_no_list_has_is_still_reached() -> None:
    d = at_menu()
    d.text("can I speak with somebody real")  # the model is sure; no person word in it
    assert d.at == "handoff_wait"
    assert d.of_type(Escalate)


def test_no_that_mentions_an_agent_declines_and_asks_for_nobody() -> None:
    d = at_menu()
    d.choose("plan")
    d.choose("3")
    d.text("no, the agent already said no")
    assert d.at == "plan_options"
    assert not d.of_type(Escalate)
    assert not d.of_type(CreateArrangement)


def test_an_amount_a_week_is_no_monthly_offer() -> None:
    d = at_menu()
    d.text("I can pay 100 a week")
    assert d.at == "plan_options"
    assert d.state is not None
    assert "offered_monthly" not in d.state.vars


def test_an_amount_typed_at_the_custom_plan_is_kept_as_the_amount() -> None:
    d = at_menu()
    d.choose("plan")
    d.choose("custom")
    d.text("250")
    assert _var(d, "monthly_given") == Decimal(250)
    assert d.at == "plan_confirm"
