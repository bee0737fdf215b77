"""Issue 28 point 1: a message is prepared once, in every form its readers match on, and
read once into one value that holds everything later steps want from it.

The preparation itself (what was `normalize` in bot/domain/parsing.py, `fold`, and
the date reader's own pass) is checked form by form; the reading is checked to
carry the typed values the engine used to parse from the raw text; and the
readers now read the whole message the runtime's door lets in, where they used to
stop at 500 characters.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.parsing import parse_amount, parse_date, parse_int
from bot.service.choice_matching import match_choice
from bot.service.text import MAX_TEXT, clean_text
from bot.understanding import (
    Meaning,
    Prepared,
    find_amount,
    parse_birth_dates,
    prepare,
    understand,
)
from bot.understanding.crisis import crisis_words
from bot.understanding.model import IntentModel
from tests.understanding.conftest import TODAY


def test_control_characters_and_escapes_become_one_space() -> None:
    # Terminal escapes and control characters become spaces, runs of space one space.
    assert prepare("\x1b[1m800\x1b[0m").plain == "800"
    assert prepare("800 \t\n per   month ").plain == "800 per month"
    assert prepare("17\x00/05/1990").plain == "17 /05/1990"


def test_full_width_digits_and_minus_signs_read_as_ascii() -> None:
    assert prepare("８００－５").plain == "800-5"
    assert prepare("１９９０−０５−１７").plain == "1990-05-17"


def test_invisible_characters_vanish_rather_than_split_a_number() -> None:
    assert prepare("1990-0\u200b5-17").plain == "1990-05-17"


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Don’t CALL me", "dont call me"),
        ("I can't", "i cant"),
        ("還錢", "还钱"),
        ("ＳＴＯＰ", "stop"),
    ],
)
def test_the_folded_form_is_lower_case_simplified_without_apostrophes(
    text: str, folded: str
) -> None:
    assert prepare(text).folded == folded


def test_the_date_form_keeps_apostrophes_and_writes_chinese_numerals_as_digits() -> None:
    prepared = prepare("十二月一號, May 17 '90")
    assert prepared.digits == "12月1号, may 17 '90"
    assert prepared.text == "十二月一號, May 17 '90"  # the text itself, as it came


def test_a_message_prepared_beforehand_reads_as_its_text(model: IntentModel) -> None:
    text = "I can pay 200 a month"
    prepared = prepare(text)
    assert isinstance(prepared, Prepared)
    read = understand(prepared, locale="en", today=TODAY, model=model)
    assert read == understand(text, locale="en", today=TODAY, model=model)
    assert read.text == text


_WORDS = [
    "may",
    "17",
    "tomorrow",
    "千万",
    "万一",
    "旧水",
    "一",
    "k",
    "$",
    "/",
    "-",
    " ",
    "年",
    "月",
]


@given(st.lists(st.sampled_from(_WORDS) | st.text(max_size=4), max_size=8).map("".join))
def test_a_message_without_a_numeral_names_no_value(text: str) -> None:
    """The readers of values are skipped for a message with no digit and no Chinese
    numeral; run anyway, they find nothing there."""
    prepared = prepare(text)
    if prepared.numbered:
        return
    assert parse_amount(prepared.plain) is None
    assert parse_int(prepared.plain) is None
    assert parse_date(prepared.plain) is None
    assert parse_birth_dates(prepared, today=TODAY) == ()
    assert parse_birth_dates(prepared, today=TODAY, region="TW") == ()


def test_digits_and_chinese_numerals_are_numerals() -> None:
    assert prepare("pay 200").numbered
    assert prepare("两千").numbered
    assert prepare("１２").numbered  # full width, as NFKC reads it
    assert not prepare("tomorrow, all of it").numbered


@pytest.mark.parametrize(
    ("text", "amount", "value_amount", "number", "value_date"),
    [
        # A day of the month is no offer, but it is the one number at an amount question.
        ("the 15th", None, Decimal(15), 15, None),
        ("6 months", None, Decimal(6), 6, None),
        ("六个月", None, Decimal(6), 6, None),
        ("I can pay 200 a month", Decimal(200), Decimal(200), 200, None),
        ("17/05/1990", None, None, None, date(1990, 5, 17)),
        ("no idea", None, None, None, None),
    ],
)
def test_the_reading_carries_every_typed_value_a_question_may_want(
    text: str,
    amount: Decimal | None,
    value_amount: Decimal | None,
    number: int | None,
    value_date: date | None,
    model: IntentModel,
) -> None:
    reading = understand(text, locale="en", today=TODAY, model=model)
    assert (reading.amount.value if reading.amount else None) == amount
    assert (reading.value_amount, reading.number, reading.value_date) == (
        value_amount,
        number,
        value_date,
    )


def test_the_reading_carries_the_birth_dates_in_the_accounts_region(model: IntentModel) -> None:
    us = understand("05/06/1990", locale="en", today=TODAY, region="US", model=model)
    gb = understand("05/06/1990", locale="en", today=TODAY, region="GB", model=model)
    assert us.birth_dates[0] == date(1990, 5, 6)
    assert gb.birth_dates[0] == date(1990, 6, 5)


def test_the_readers_read_the_whole_message_the_door_lets_in(model: IntentModel) -> None:
    # Readers used to stop at 500 characters: a crisis said after a long message was missed.
    long = "I have been thinking about the payments for a long time. " * 12
    assert len(long) > 500
    said = clean_text(long + "I want to end my life")
    assert said is not None
    assert crisis_words(prepare(said))
    assert understand(said, locale="en", today=TODAY, model=model).top is Meaning.CRISIS
    amount = find_amount(prepare(long + "I can pay 200 a month"))
    assert amount is not None and amount.value == Decimal(200)


@pytest.mark.parametrize("unit", ["一", "8", "die ", "%1", "1/", "十", "一1"])
def test_a_message_at_the_door_limit_is_read(unit: str, model: IntentModel) -> None:
    """Long runs once cost the square of their length (a pattern tried from every
    character); read here to the end, once each, without asserting on time."""
    said = clean_text(unit * MAX_TEXT)
    assert said is not None and len(said) == MAX_TEXT
    understand(said, locale="en", today=TODAY, model=model)


def test_the_die_cue_needs_a_time_after_it() -> None:
    assert crisis_words(prepare("I will die tonight"))
    assert crisis_words(prepare("die, right now!"))
    assert not crisis_words(prepare("today I could die of boredom"))
    assert not crisis_words(prepare("diet today"))
    assert crisis_words(prepare("die " * 1000 + "now"))


@pytest.mark.parametrize(
    ("typed", "label"),
    [
        ("pay in installments!", "Pay in installments"),
        ("im having financial difficulty", "I'm having financial difficulty"),  # no apostrophe
        ("轉人工", "转人工"),  # Traditional typed at a Simplified label
        ("ＹＥＳ", "Yes"),
    ],
)
def test_a_typed_label_is_matched_in_the_readings_folded_form(typed: str, label: str) -> None:
    shown = [("other", "Something else"), ("wanted", label)]
    assert match_choice(typed, shown) == "wanted"
    assert match_choice("2", shown) == "wanted"
    assert match_choice("3", shown) is None


def test_a_typed_number_that_is_a_choices_own_id_is_that_choice_before_a_place() -> None:
    """Plans of 3, 6 and 12 months, then three buttons: "6" is six months, never the
    sixth button ("Back"); a number that is no id still counts by place."""
    shown = [("3", "3 months"), ("6", "6 months"), ("12", "12 months")]
    shown += [("custom", "My own amount"), ("person", "A person"), ("back", "Back")]
    assert [match_choice(n, shown) for n in ("6", "12", "3")] == ["6", "12", "3"]
    assert match_choice("5", shown) == "person"
    assert match_choice("7", shown) is None
