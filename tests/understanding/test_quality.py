"""The floors of issues 12 and 30, measured on sets the model never trains on.

`data/nlu/heldout/` is the held-out set proper, written by someone who does not
write training lines and never looked at while tuning: the floors are judged
there. `data/nlu/dev/` is what tuning may look at (the first held-out rounds,
and quiet-crisis and hard-negative lines written to tune on); it must meet the
same recall and false-alarm floors, or tuning broke something.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.domain.accounts import LOCALES
from bot.understanding import cli
from bot.understanding.evaluate import (
    ACCURACY_FLOOR,
    CRISIS_RECALL_FLOOR,
    FALSE_ALARM_CEILING,
    MIN_CRISIS_LINES,
    MIN_NEGATIVES,
    below_floor,
)
from bot.understanding.examples import DEV_DIR, HELDOUT_DIR, TRAIN_DIR, Example, load_examples
from bot.understanding.labels import MEANINGS
from bot.understanding.model import IntentModel

# What the development set must hold per locale (issue 30: at least 20 of each).
DEV_CRISIS_LINES = 20
DEV_NEGATIVES = 20


# Round 16 of the held-out set, measured once on 2026-12-07 (docs/understanding.md):
# accuracy 93.5% (en 95.0%, zh_Hans 93.7%, zh_Hant 91.7%); crisis recall (sure + possible)
# en 96.7%, zh_Hans 98.4%, zh_Hant 96.8%; sure-crisis false alarms en 0.0%, zh_Hans 3.1%
# (2 of 65), zh_Hant 6.2% (4 of 65, above the 5% ceiling: "wanting to die" said of
# annoyance or instead of a payment). The floors (ACCURACY_FLOOR,
# CRISIS_RECALL_FLOOR, FALSE_ALARM_CEILING: 95%, 100%, 5%) are NOT met, so issue 30 stays
# open; `repaybot nlu evaluate` says so and exits 1. The suite holds the model to no less
# than what round 16 measured (its misses and the annoyance idioms were read after it).
MEASURED_ACCURACY = 0.93
MEASURED_RECALL = 0.96
MEASURED_FALSE_ALARMS = 0.07


def test_heldout_is_big_enough_to_judge_in_every_locale(model: IntentModel) -> None:
    """At least 40 quiet crisis lines and 40 hard negatives per locale."""
    _, checks = cli.measure(load_examples(HELDOUT_DIR), model)
    assert {check.locale for check in checks} == set(LOCALES)
    for check in checks:
        assert check.crisis_examples >= MIN_CRISIS_LINES, check.locale
        assert check.negatives >= MIN_NEGATIVES, check.locale


def test_heldout_does_not_fall_below_what_its_round_measured(model: IntentModel) -> None:
    report, checks = cli.measure(load_examples(HELDOUT_DIR), model)
    assert report.accuracy() >= MEASURED_ACCURACY
    for check in checks:
        assert check.recall >= MEASURED_RECALL, check.locale
        assert check.false_alarm_rate <= MEASURED_FALSE_ALARMS, check.locale


def test_evaluate_names_each_floor_the_heldout_set_misses(model: IntentModel) -> None:
    """The issue's floors stay the measure: what misses them is named, per locale."""
    report, checks = cli.measure(load_examples(HELDOUT_DIR), model)
    problems = below_floor(report, checks)
    assert (report.accuracy() < ACCURACY_FLOOR) == any("accuracy" in p for p in problems)
    for check in checks:
        missed = check.recall < CRISIS_RECALL_FLOOR
        assert missed == any(p.startswith(f"{check.locale}: crisis recall") for p in problems)
        alarmed = check.false_alarm_rate > FALSE_ALARM_CEILING
        assert alarmed == any(p.startswith(f"{check.locale}: sure-crisis") for p in problems)


def test_dev_set_meets_the_recall_and_false_alarm_floors(model: IntentModel) -> None:
    report, checks = cli.measure(load_examples(DEV_DIR), model)
    assert report.accuracy() >= ACCURACY_FLOOR
    for check in checks:
        assert check.crisis_examples >= DEV_CRISIS_LINES, check.locale
        assert check.negatives >= DEV_NEGATIVES, check.locale
        assert check.recall == 1.0, check.locale
        assert check.false_alarm_rate <= FALSE_ALARM_CEILING, check.locale


def _small_set(examples: list[Example]) -> list[Example]:
    """At most 20 crisis lines and 20 hard negatives a locale: below the held-out minimum."""
    chosen: list[Example] = []
    for locale in LOCALES:
        mine = [e for e in examples if e.locale == locale]
        chosen += [e for e in mine if e.crisis_line][:20]
        chosen += [e for e in mine if e.hard_negative][:20]
    return chosen


def test_the_floors_name_a_set_too_small_to_judge(model: IntentModel) -> None:
    """The floors fail a held-out set with too few crisis lines or negatives, even
    when every line in it reads right (here: 20 of the development set's crisis lines
    and 20 of its hard negatives a locale)."""
    small = _small_set(load_examples(DEV_DIR))
    report, checks = cli.measure(small, model)
    problems = below_floor(report, checks)
    assert any("fewer than 40" in p and "crisis lines" in p for p in problems)
    assert any("hard negatives, fewer than" in p for p in problems)


def test_the_evaluate_command_prints_dev_and_heldout_figures(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a held-out set (here a copy of the development set standing in for it)
    both are reported apart, per locale, with crisis recall and false alarms."""
    stand_in = tmp_path / "heldout"
    stand_in.mkdir()
    for path in DEV_DIR.glob("*.txt"):
        # A round that was held out alone has 40 or more a locale: leave them out.
        if ".round" not in path.name:
            shutil.copy(path, stand_in / path.name)
    monkeypatch.setattr(cli, "HELDOUT_DIR", stand_in)
    code = cli.run("evaluate")
    out = capsys.readouterr().out
    # The stand-in has fewer than 40 crisis lines a locale: the floors say so.
    assert code == 1
    assert "dev examples:" in out and "held-out examples:" in out
    assert "crisis check on the dev set" in out and "crisis check on the held-out set" in out
    assert out.count("false alarms") >= 2 * len(LOCALES)
    assert "confusion matrix" in out
    for locale in LOCALES:
        assert locale in out
    for meaning in MEANINGS:
        assert meaning.value in out


def test_the_evaluate_command_fails_without_a_heldout_set(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli, "HELDOUT_DIR", tmp_path)
    assert cli.run("evaluate") == 1
    assert "no held-out set" in capsys.readouterr().err


def test_enough_training_examples_in_every_locale_and_intent() -> None:
    train = load_examples(TRAIN_DIR)
    assert len(train) >= 3000
    for locale in LOCALES:
        mine = [e for e in train if e.locale == locale]
        assert len(mine) >= 900, locale
        assert {e.intent for e in mine} == set(MEANINGS), locale


@pytest.mark.parametrize("directory", [DEV_DIR, HELDOUT_DIR], ids=["dev", "heldout"])
def test_measured_sets_are_written_apart_from_training(directory: Path) -> None:
    """Only one- or two-word answers ("yes", "好") may appear in a measured set and
    in training: a miss found later becomes a training line in other words."""
    train = {e.text.casefold() for e in load_examples(TRAIN_DIR)}
    measured = load_examples(directory)
    shared = [e.text for e in measured if e.text.casefold() in train]
    long_shared = [t for t in shared if (len(t.split()) > 2 if t.isascii() else len(t) > 4)]
    assert long_shared == []


def test_dev_set_is_large_enough_in_every_locale() -> None:
    dev = load_examples(DEV_DIR)
    for locale in LOCALES:
        assert sum(e.locale == locale for e in dev) >= 125
