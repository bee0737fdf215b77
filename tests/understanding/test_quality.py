"""The floors of issue 12, measured on the held-out examples the model never trains on."""

from __future__ import annotations

import pytest

from bot.domain.accounts import LOCALES
from bot.understanding.cli import run
from bot.understanding.crisis import crisis_words, model_says_crisis
from bot.understanding.evaluate import (
    ACCURACY_FLOOR,
    CRISIS_RECALL_FLOOR,
    below_floor,
    check_crisis,
    evaluate,
)
from bot.understanding.examples import HELDOUT_DIR, TRAIN_DIR, load_examples
from bot.understanding.labels import MEANINGS, Meaning
from bot.understanding.model import IntentModel
from bot.understanding.text import prepare
from bot.understanding.understand import classify


def test_heldout_accuracy_and_crisis_recall_meet_the_floors(model: IntentModel) -> None:
    heldout = load_examples(HELDOUT_DIR)
    report = evaluate(heldout, lambda text: classify(text, model=model))
    checks = check_crisis(
        heldout,
        lexicon=lambda text: crisis_words(prepare(text)),
        model=lambda text: model_says_crisis(
            message := prepare(text), model.probabilities(message)[Meaning.CRISIS]
        ),
    )
    assert below_floor(report, checks) == []
    assert report.accuracy() >= ACCURACY_FLOOR
    for check in checks:
        assert check.crisis_examples >= 15
        assert check.recall >= CRISIS_RECALL_FLOOR, check.locale


def test_the_evaluate_command_passes_and_prints_every_figure(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run("evaluate") == 0
    out = capsys.readouterr().out
    assert "accuracy:" in out
    assert "confusion matrix" in out
    assert "crisis check" in out
    for locale in LOCALES:
        assert locale in out
    for meaning in MEANINGS:
        assert meaning.value in out


def test_enough_training_examples_in_every_locale_and_intent() -> None:
    train = load_examples(TRAIN_DIR)
    assert len(train) >= 3000
    for locale in LOCALES:
        mine = [e for e in train if e.locale == locale]
        assert len(mine) >= 900, locale
        assert {e.intent for e in mine} == set(MEANINGS), locale


def test_heldout_is_written_apart_from_training() -> None:
    """Only one- or two-word answers ("yes", "好") may appear in both sets."""
    train = {e.text.casefold() for e in load_examples(TRAIN_DIR)}
    heldout = load_examples(HELDOUT_DIR)
    assert len(heldout) >= 380
    shared = [e.text for e in heldout if e.text.casefold() in train]
    long_shared = [t for t in shared if (len(t.split()) > 2 if t.isascii() else len(t) > 4)]
    assert long_shared == []
    for locale in LOCALES:
        assert sum(e.locale == locale for e in heldout) >= 125
