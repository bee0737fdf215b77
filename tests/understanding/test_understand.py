"""The messages issue 12 lists, read end to end: meaning, entities, and the rules around them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.accounts import Charge, ChargeKind
from bot.understanding import Meaning, Period, Understanding, understand
from bot.understanding.model import IntentModel
from bot.understanding.text import prepare
from tests.trained import trained_model
from tests.understanding.conftest import TODAY

CHARGES = (
    Charge("c1", ChargeKind.PRINCIPAL, "Loan principal", Decimal("1000"), date(2026, 9, 1)),
    Charge("c2", ChargeKind.LATE_FEE, "Late payment fee", Decimal("35"), date(2026, 10, 5)),
    Charge("c3", ChargeKind.ANNUAL_FEE, "年費 Annual fee", Decimal("120"), date(2026, 10, 1)),
    Charge("c4", ChargeKind.INTEREST, "Interest", Decimal("18.50"), date(2026, 11, 1)),
)


def read(
    text: str, model: IntentModel, locale: str = "en", region: str | None = None
) -> Understanding:
    return understand(text, locale=locale, today=TODAY, region=region, charges=CHARGES, model=model)


@pytest.mark.parametrize(
    ("text", "locale", "meaning"),
    [
        ("payment plan please", "en", Meaning.INSTALLMENT),
        ("can we split it into a few payments", "en", Meaning.INSTALLMENT),
        ("我每个月只能还八百", "zh_Hans", Meaning.INSTALLMENT),
        ("每個月還三舊水得唔得", "zh_Hant", Meaning.INSTALLMENT),
        ("can I get a couple more weeks?", "en", Meaning.EXTENSION),
        ("可以宽限几天吗", "zh_Hans", Meaning.EXTENSION),
        ("遲幾日先還得唔得", "zh_Hant", Meaning.EXTENSION),
        ("ill clear it all by dec 5", "en", Meaning.PAY_IN_FULL),
        ("下个月15号全部还清", "zh_Hans", Meaning.PAY_IN_FULL),
        ("月尾一次過還晒", "zh_Hant", Meaning.PAY_IN_FULL),
        ("I'll pay 100 on friday", "en", Meaning.PROMISE),
        ("发工资就还", "zh_Hans", Meaning.PROMISE),
        ("I never agreed to that late fee", "en", Meaning.DISPUTE),
        ("Why is there an extra dollar charged to my account?", "en", Meaning.DISPUTE),
        ("年費唔係我申請嘅", "zh_Hant", Meaning.DISPUTE),
        ("客服話年費會豁免", "zh_Hant", Meaning.DISPUTE),
        ("i lost my job last month", "en", Meaning.HARDSHIP),
        ("我冇收入", "zh_Hant", Meaning.HARDSHIP),
        ("我畀人炒咗", "zh_Hant", Meaning.HARDSHIP),
        ("get me a human", "en", Meaning.HUMAN),
        ("搵個agent", "zh_Hant", Meaning.HUMAN),
        ("我要投诉", "zh_Hans", Meaning.COMPLAINT),
        ("stop texting me", "en", Meaning.STOP),
        ("can we do this in chinese", "en", Meaning.LANGUAGE),
        ("what are my options", "en", Meaning.HELP),
        ("怎么还款", "zh_Hans", Meaning.HOW_TO_PAY),
        ("點樣還錢", "zh_Hant", Meaning.HOW_TO_PAY),
        ("how do I pay", "en", Meaning.HOW_TO_PAY),
        ("hello", "en", Meaning.OFF_TOPIC),
    ],
)
def test_meaning_in_every_locale(
    text: str, locale: str, meaning: Meaning, model: IntentModel
) -> None:
    assert read(text, model, locale).top is meaning


@pytest.mark.parametrize(
    "text",
    [
        "might just jump off a bridge",
        "I want to kill myself",
        "everyone would be better off without me",
        "再逼我我就从楼上跳下去",
        "我不想活了",
        "我真係唔想再活落去",
        "我已經買好炭",
        "活著好累，不想繼續了",
    ],
)
def test_crisis_comes_first_even_beside_other_meanings(text: str, model: IntentModel) -> None:
    for message in (text, text + " and I want an agent", text + "，转人工"):
        reading = read(message, model)
        assert reading.crisis
        assert reading.top is Meaning.CRISIS
        assert reading.sure


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("yes", True),
        ("OK", True),
        ("好", True),
        ("得", True),
        ("冇問題", True),
        ("sure", True),
        ("no", False),
        ("nope", False),
        ("不用了", False),
        ("唔得，太多", False),
        ("算了", False),
    ],
)
def test_yes_and_no_at_a_confirmation(text: str, answer: bool, model: IntentModel) -> None:
    reading = read(text, model)
    assert reading.answer is answer
    assert reading.top is (Meaning.CONFIRM if answer else Meaning.DECLINE)


@pytest.mark.parametrize("text", ["no need for a human", "唔使轉人工", "不用转人工，我自己弄"])
def test_a_person_turned_down_is_not_a_request_for_one(text: str, model: IntentModel) -> None:
    reading = read(text, model)
    assert reading.top is not Meaning.HUMAN
    assert reading.score(Meaning.HUMAN) == 0.0


def test_a_dispute_that_mentions_customer_service_is_no_handoff(model: IntentModel) -> None:
    reading = read("客服話年費會豁免", model, "zh_Hant")
    assert reading.top is Meaning.DISPUTE
    assert reading.charges == ("c3",)


def test_a_dispute_names_its_charge(model: IntentModel) -> None:
    reading = read("I never agreed to that late fee", model)
    assert reading.top is Meaning.DISPUTE
    assert reading.charges == ("c2",)


def test_an_offer_with_hardship_keeps_the_amount(model: IntentModel) -> None:
    reading = read("$50, I really can't afford more", model)
    assert reading.amount is not None
    assert reading.amount.value == Decimal("50")
    assert reading.hardship


def test_pay_in_full_by_a_date_has_the_date_and_the_whole_balance(model: IntentModel) -> None:
    reading = read("ill clear it all by dec 5", model)
    assert reading.top is Meaning.PAY_IN_FULL
    assert reading.dates == (date(2026, 12, 5),)
    assert reading.all_of_it
    assert reading.amount is None


def test_a_monthly_offer_in_chinese(model: IntentModel) -> None:
    reading = read("我每个月只能还八百", model, "zh_Hans")
    assert reading.amount is not None
    assert (reading.amount.value, reading.amount.period) == (Decimal("800"), Period.MONTH)


def test_a_promise_has_amount_and_date(model: IntentModel) -> None:
    reading = read("I'll pay 100 on friday", model)
    assert reading.amount is not None
    assert reading.amount.value == Decimal("100")
    assert reading.dates == (date(2026, 12, 4),)


def test_an_unclear_message_offers_choices(model: IntentModel) -> None:
    reading = read("hmm maybe, the thing", model)
    assert len(reading.choices()) == 3
    assert len(set(reading.choices())) == 3
    scores = [s.score for s in reading.intents]
    assert scores == sorted(scores, reverse=True)
    assert sum(scores) == pytest.approx(1.0)


def test_the_same_message_reads_the_same_every_time(model: IntentModel) -> None:
    assert read("can we break it up", model) == read("can we break it up", model)


@pytest.mark.parametrize("text", ["", "   ", "🙂", "\x00\x1b[2J", "a" * 100_000, "好" * 100_000])
def test_junk_is_read_without_error(text: str, model: IntentModel) -> None:
    reading = read(text, model)
    assert len(reading.intents) == len(Meaning)
    assert not reading.crisis
    assert reading.amount is None


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=80))
def test_any_text_gives_a_ranked_reading(text: str) -> None:
    reading = read(text, trained_model())
    assert reading.top is reading.intents[0].meaning
    assert sum(s.score for s in reading.intents) == pytest.approx(1.0)
    assert all(day.year >= TODAY.year for day in reading.dates)


@pytest.mark.parametrize("text", ["i", "v", "我", "了", "e"])
def test_a_lone_character_is_too_little_for_the_model_to_call_crisis(
    text: str, model: IntentModel
) -> None:
    assert not read(text, model).crisis


def test_a_lone_word_of_the_lexicon_still_is(model: IntentModel) -> None:
    assert read("死", model).crisis
    assert read("kms", model).crisis


@pytest.mark.parametrize("text", ["zzz", "kkkk", "xkcd", "qwerty uiop", "咕噜咕噜", "嘀嘀嘀"])
def test_gibberish_is_unfamiliar_and_never_a_sure_answer(text: str, model: IntentModel) -> None:
    """Softmax over unknown pieces can look sure ("kkkk": 0.98 confirm); it means nothing."""
    reading = read(text, model)
    assert reading.unfamiliar
    assert not reading.sure
    assert reading.answer is None


@pytest.mark.parametrize(
    "text",
    [
        "ok",
        "yes",
        "Yesss",
        "noo",
        "ths is too mch",
        "instalment pls",
        "你係邊個",
        "好",
        "1500",
        # Chinese with an English word the model never saw: the characters are known.
        "我在地铁广告上看到你们的slogan",
        "你哋個mascot好得意",
    ],
)
def test_everyday_and_misspelt_words_stay_familiar(text: str, model: IntentModel) -> None:
    assert not model.unfamiliar(prepare(text))


def test_every_training_and_dev_example_is_familiar(model: IntentModel) -> None:
    """A fresh held-out round may hold words the model never saw ("yeppp"): how the
    model copes with them is part of what that round measures, so it is left out."""
    from bot.understanding.examples import DEV_DIR, TRAIN_DIR, load_examples

    texts = [e.text for e in load_examples(TRAIN_DIR)]
    texts += [e.text for e in load_examples(DEV_DIR)]
    assert texts
    assert [t for t in texts if model.unfamiliar(prepare(t))] == []
