"""Typed text that comes without a reading: the engine parses each input type itself.

The runtime always attaches the understanding layer's reading, but the engine is
a public, pure function and must answer an event without one the same way: a
birth date, an amount, a number and free text, each at its limits.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from bot.engine.loader import load_script
from bot.engine.types import RecordDispute
from bot.engine.values import from_json
from tests.engine.driver import Driver
from tests.engine.test_validator import broken

DOB = "1990-05-17"
VERIFY_MAX_LENGTH = 500  # the shipped script's `max_length` for the birth date


def verified() -> Driver:
    d = Driver()
    d.start()
    d.words(DOB)
    assert d.at == "menu"
    return d


def test_the_birth_date_typed_without_a_reading_verifies() -> None:
    d = Driver()
    d.start()
    d.words(DOB)
    assert d.verified
    assert d.at == "menu"


@pytest.mark.parametrize("said", ["2030-05-17", "17 May 1991", "yesterday-ish"])
def test_a_wrong_future_or_unreadable_birth_date_is_asked_again(said: str) -> None:
    d = Driver()
    d.start()
    d.words(said)
    assert not d.verified
    assert d.at == "verify"


def test_a_birth_date_after_today_is_refused_as_a_bad_date() -> None:
    d = Driver()
    d.start()
    d.words("2030-05-17")
    assert d.said()[0] == "repayment.bad_date"


def test_input_up_to_the_longest_allowed_is_read_one_character_more_is_not() -> None:
    at_limit = DOB + " " + "x" * (VERIFY_MAX_LENGTH - len(DOB) - 1)
    assert len(at_limit) == VERIFY_MAX_LENGTH
    d = Driver()
    d.start()
    d.words(at_limit)
    assert d.verified
    d = Driver()
    d.start()
    d.words(at_limit + "x")
    assert not d.verified
    assert d.said()[0] == "repayment.bad_date"


def test_an_amount_typed_at_the_custom_plan_is_read() -> None:
    d = verified()
    d.choose("plan")
    d.choose("custom")
    assert d.at == "plan_custom"
    d.words("250")
    assert d.state is not None
    assert from_json(d.state.vars["monthly_given"]) == Decimal(250)
    assert d.at == "plan_confirm"


def test_no_amount_at_the_custom_plan_is_a_bad_amount() -> None:
    d = verified()
    d.choose("plan")
    d.choose("custom")
    d.words("whenever I can")
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
    d.words(DOB)
    d.choose("plan")
    d.choose("custom")
    d.words("2.5")
    assert d.at == "plan_custom"
    assert d.said()[0] == "repayment.bad_amount"
    d.words("300")
    assert d.state is not None
    assert from_json(d.state.vars["monthly_given"]) == 300
    assert d.at == "menu"


def test_a_dispute_reason_needs_words_not_a_bare_number() -> None:
    d = verified()
    d.choose("dispute")
    d.choose("C3")
    d.choose("continue")
    assert d.at == "dispute_reason"
    d.words("12345")
    assert d.at == "dispute_reason"
    assert d.said()[0] == "repayment.bad_reason"
    assert not d.of_type(RecordDispute)
    d.words("The fee was waived on the phone")
    (dispute,) = d.of_type(RecordDispute)
    assert dispute.reason == "The fee was waived on the phone"
