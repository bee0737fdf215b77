"""The round-4 held-out set of issue 30 (point 4): its shape, read by the project's own loader.

A second, fresh set written by someone who never saw data/nlu/train/ or data/nlu/dev/; these
tests read those files by code only, to prove that no held-out line leaked into them (or the
other way round). They never run the model: the set is measured by `repaybot nlu evaluate`.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from bot.domain.accounts import LOCALES
from bot.understanding.examples import DEV_DIR, HELDOUT_DIR, TRAIN_DIR, Example, _read
from bot.understanding.labels import MEANINGS, Meaning

ROUND = "round4"
KINDS = ("crisis", "negatives", "everyday")
MIN_LINES = {"crisis": 40, "negatives": 40, "everyday": 60}


def round4_path(locale: str, kind: str) -> Path:
    suffix = "" if kind == "everyday" else f"-{kind}"
    return HELDOUT_DIR / f"{locale}.{ROUND}{suffix}.txt"


def round4_files() -> list[Path]:
    return [round4_path(locale, kind) for locale in LOCALES for kind in KINDS]


def round4_examples() -> list[Example]:
    return [example for path in round4_files() for example in _read(path)]


def same_words(text: str) -> str:
    """What two lines share when they differ only in case, width, spaces or punctuation."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


def everything_in(directory: Path) -> set[str]:
    """Every line of every .txt file under a directory (recursively), by its words."""
    return {
        same_words(example.text)
        for path in sorted(directory.rglob("*.txt"))
        for example in _read(path)
    }


def test_same_words_keeps_lines_apart_that_differ_in_a_word_or_a_digit() -> None:
    assert same_words("OK bye!") == same_words("ok bye")
    assert same_words("拜拜。") == same_words("拜拜")
    assert same_words("一千五") != same_words("一千六")
    assert same_words("i'm done paying") != same_words("i'm done living")


@pytest.mark.parametrize("path", round4_files(), ids=lambda path: path.name)
def test_round4_file_parses_with_the_project_loader_and_says_how_to_use_it(path: Path) -> None:
    examples = _read(path)
    locale = path.name.split(".")[0]
    assert examples
    assert all(example.locale == locale for example in examples)
    assert {example.intent for example in examples} <= set(MEANINGS)
    header = " ".join(
        line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("//")
    ).casefold()
    assert "written independently on 2026-12-07" in header
    assert "did not see the training data or the dev data" in header
    assert "never train on these lines" in header
    assert "every later miss becomes a training line" in header


@pytest.mark.parametrize("locale", LOCALES)
def test_each_locale_has_enough_quiet_crisis_lines_and_nothing_else_in_them(locale: str) -> None:
    examples = _read(round4_path(locale, "crisis"))
    assert len(examples) >= MIN_LINES["crisis"]
    assert {example.intent for example in examples} == {Meaning.CRISIS}


@pytest.mark.parametrize("locale", LOCALES)
def test_hard_negatives_are_many_spread_over_labels_and_never_under_crisis(locale: str) -> None:
    path = round4_path(locale, "negatives")
    examples = _read(path)
    assert len(examples) >= MIN_LINES["negatives"]
    assert Meaning.CRISIS not in {example.intent for example in examples}
    assert "[crisis]" not in path.read_text(encoding="utf-8").casefold()
    assert len({example.intent for example in examples}) >= 12


@pytest.mark.parametrize("locale", LOCALES)
def test_everyday_lines_cover_every_label_but_crisis(locale: str) -> None:
    examples = _read(round4_path(locale, "everyday"))
    assert len(examples) >= MIN_LINES["everyday"]
    assert {example.intent for example in examples} == set(MEANINGS) - {Meaning.CRISIS}


def test_no_round4_line_repeats_another_in_any_file_or_locale() -> None:
    seen: dict[str, str] = {}
    repeated = []
    for example in round4_examples():
        key = same_words(example.text)
        if key in seen:
            repeated.append((seen[key], example.text))
        seen[key] = example.text
    assert repeated == []


@pytest.mark.parametrize("directory", [TRAIN_DIR, DEV_DIR], ids=lambda d: d.name)
def test_no_round4_line_is_in_the_training_or_dev_data(directory: Path) -> None:
    known = everything_in(directory)
    assert known, f"{directory} holds lines to compare with"
    leaked = [e.text for e in round4_examples() if same_words(e.text) in known]
    assert leaked == []


def test_no_round4_line_repeats_an_older_heldout_line() -> None:
    mine = {path.name for path in round4_files()}
    older = {
        same_words(example.text)
        for path in sorted(HELDOUT_DIR.glob("*.txt"))
        if path.name not in mine
        for example in _read(path)
    }
    assert [e.text for e in round4_examples() if same_words(e.text) in older] == []
