"""Typed answers to the state's question: a birth date, an amount, a number and
free text, each at its limits, read as the runtime reads them.

The engine takes the value the reading found (the understanding layer reads
the whole message as an amount, a number or a date too: a bare "300" at a
number question); it never parses the text itself, for a meaning or a value (a
text event without a reading means nothing).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from bot.engine.loader import load_script
from bot.engine.machine import ScriptRuntimeError
from bot.engine.types import (
    Escalate,
    Event,
    EventKind,
    PauseCollection,
    Reading,
    RecordDispute,
)
from bot.engine.values import from_json
from tests.engine.driver import Driver, make_account
from tests.engine.test_validator import broken

DOB = "1990-05-17"
VERIFY_MAX_LENGTH = 500  # the shipped script's `max_length` for the birth date


def verified() -> Driver:
    d = Driver()
    d.start()
    d.text(DOB)
    assert d.at == "menu"
    return d


def test_the_birth_date_typed_without_a_reading_verifies() -> None:
    d = Driver()
    d.start()
    d.text(DOB)
    assert d.verified
    assert d.at == "menu"


@pytest.mark.parametrize("said", ["2030-05-17", "17 May 1991", "yesterday-ish"])
def test_a_wrong_future_or_unreadable_birth_date_is_asked_again(said: str) -> None:
    d = Driver()
    d.start()
    d.text(said)
    assert not d.verified
    assert d.at == "verify"


def test_a_birth_date_after_today_is_refused_as_a_bad_date() -> None:
    d = Driver()
    d.start()
    d.text("2030-05-17")
    assert d.said()[0] == "repayment.bad_date"


def test_input_up_to_the_longest_allowed_is_read_one_character_more_is_not() -> None:
    at_limit = DOB + " " + "x" * (VERIFY_MAX_LENGTH - len(DOB) - 1)
    assert len(at_limit) == VERIFY_MAX_LENGTH
    d = Driver()
    d.start()
    d.text(at_limit)
    assert d.verified
    d = Driver()
    d.start()
    d.text(at_limit + "x")
    assert not d.verified
    assert d.said()[0] == "repayment.bad_date"


def test_the_engine_takes_the_birth_date_from_the_reading_not_the_text() -> None:
    d = Driver()
    d.start()
    # The text reads as the right birth date, but nothing was read: the engine does not parse.
    d.send(Event(EventKind.TEXT, text=DOB, meaning=Reading()))
    assert not d.verified
    assert d.said()[0] == "repayment.bad_date"
    # The reading's date (written with its year, no payment date) is the answer, whatever the text.
    d.send(Event(EventKind.TEXT, text="my birthday", meaning=Reading(value_date=date(1990, 5, 17))))
    assert d.verified
    assert d.at == "menu"


def test_the_engine_takes_the_amount_from_the_reading_not_the_text() -> None:
    d = verified()
    d.choose("plan")
    d.choose("custom")
    d.send(Event(EventKind.TEXT, text="250", meaning=Reading()))
    assert d.at == "plan_custom"
    assert d.said()[0] == "repayment.bad_amount"
    # The amount an offer names comes first; any one number in the message after it.
    d.send(
        Event(EventKind.TEXT, text="as much as I can", meaning=Reading(value_amount=Decimal(250)))
    )
    assert d.state is not None
    assert from_json(d.state.vars["monthly_given"]) == Decimal(250)
    assert d.at == "plan_confirm"


def test_an_amount_typed_at_the_custom_plan_is_read() -> None:
    d = verified()
    d.choose("plan")
    d.choose("custom")
    assert d.at == "plan_custom"
    d.text("250")
    assert d.state is not None
    assert from_json(d.state.vars["monthly_given"]) == Decimal(250)
    assert d.at == "plan_confirm"


def test_no_amount_at_the_custom_plan_is_a_bad_amount() -> None:
    d = verified()
    d.choose("plan")
    d.choose("custom")
    d.text("whenever I can")
    assert d.at == "plan_custom"
    assert d.said()[0] == "repayment.bad_amount"


def test_a_number_input_reads_a_whole_number(tmp_path: Path) -> None:
    amount = "      type: amount\n      store: monthly_given\n      invalid: bad_amount\n"
    amount += "    actions: [propose_monthly]\n    next:\n      - {to: plan_decision}"
    number = amount.replace("type: amount", "type: number").replace("plan_decision}", "menu}")
    directory, text = broken(
        tmp_path, amount, number.replace("    actions: [propose_monthly]\n", "")
    )
    script, _ = load_script(text, str(directory / "repayment.yaml"))
    d = Driver(script=script)
    d.start()
    d.text(DOB)
    d.choose("plan")
    d.choose("custom")
    d.text("2.5")
    assert d.at == "plan_custom"
    assert d.said()[0] == "repayment.bad_amount"
    d.text("300")
    assert d.state is not None
    assert from_json(d.state.vars["monthly_given"]) == 300
    assert d.at == "menu"


def test_a_dispute_reason_needs_words_not_a_bare_number() -> None:
    d = verified()
    d.to_dispute_reason()
    d.text("12345")
    assert d.at == "dispute_reason"
    assert d.said()[0] == "repayment.bad_reason"
    assert not d.of_type(RecordDispute)
    d.text("The fee was waived on the phone")
    (dispute,) = d.of_type(RecordDispute)
    assert dispute.reason == "The fee was waived on the phone"


# ---- meanings, as the understanding layer reads them ----


def test_crisis_words_go_to_crisis_help_from_anywhere() -> None:
    d = verified()
    d.text("I want to kill myself")
    assert d.at == "crisis"
    assert d.of_type(PauseCollection)


def test_asking_for_a_person_is_heard_even_while_a_reason_is_typed() -> None:
    d = verified()
    d.to_dispute_reason()
    d.text("I want to talk to a person")
    assert d.at == "handoff_wait"
    assert d.of_type(Escalate)
    assert not d.of_type(RecordDispute)


def test_other_words_typed_as_a_reason_are_the_reason() -> None:
    d = verified()
    d.to_dispute_reason()
    d.text("how do I pay this fee, it was waived")
    (dispute,) = d.of_type(RecordDispute)
    assert dispute.reason == "how do I pay this fee, it was waived"


def test_how_to_pay_at_the_menu_opens_the_payment_details() -> None:
    d = verified()
    d.text("how do I pay")
    assert d.at == "anything_else"
    assert any(m.startswith("repayment.payment_info.") for m in d.said())


def test_a_monthly_amount_in_words_at_the_menu_is_an_offer() -> None:
    d = verified()
    d.text("I can pay 100 a month")
    # 100 a month is too long for the usual terms: the hardship terms fit it.
    assert d.at == "plan_confirm"
    assert d.state is not None
    assert from_json(d.state.vars["offered_monthly"]).amount == Decimal(100)


def test_nothing_typed_is_not_understood() -> None:
    d = verified()
    d.send(Event(EventKind.TEXT, text=""))  # the runtime reads no empty text
    assert d.at == "menu"
    assert d.said()[0] == "repayment.not_understood"


def test_writing_after_the_goodbye_starts_a_new_conversation() -> None:
    d = verified()
    d.choose("done")
    assert d.state is not None and d.state.ended
    d.text("hello again")
    assert d.at == "verify"
    assert d.said()[0] == "repayment.greeting.hello"


def test_a_shared_message_gets_the_values_of_its_placeholders(tmp_path: Path) -> None:
    directory, text = broken(
        tmp_path,
        "  unknown_command: \"I don't know that command.",
        "  unknown_command: \"{lender} doesn't know the command {locale}.",
    )
    script, _ = load_script(text, str(directory / "repayment.yaml"))
    d = Driver(script=script)
    d.start()
    d.text(DOB)
    d.command("frobnicate")
    assert d.said()[0] == "repayment.unknown_command"
    assert d.params("repayment.unknown_command") == {
        "lender": "Harbor Consumer Finance",
        "locale": "en",
    }


def test_a_wrong_answer_repeats_only_the_question_not_the_whole_state() -> None:
    d = verified()
    d.choose("plan")
    d.choose("3")
    assert d.at == "plan_confirm"
    assert len(d.said()) > 1  # the summary and each payment, then the question
    d.text("qqq")
    assert d.said() == ["repayment.not_understood", "repayment.plan_confirm.ask_confirm"]


def test_a_script_without_a_paused_state_fails_loudly_when_collection_is_paused(
    tmp_path: Path,
) -> None:
    directory, text = broken(tmp_path, "paused_state: collection_paused\n", "")
    script, _ = load_script(text, str(directory / "repayment.yaml"))
    d = Driver(script=script, account=replace(make_account(), collection_paused=True))
    d.start()
    d.text(DOB)  # the statement and the paused menu ask for nothing: no guard is met
    with pytest.raises(ScriptRuntimeError, match=r"^collection is paused and the script has no"):
        d.command("menu")  # the menu offers payment: the guard needs the paused state
