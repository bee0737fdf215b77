"""R9, R10: the lint generalises to paraphrases it was not written from.

The held-out lists in `lint_heldout/` were written before the patterns and
kept apart from their development list. Per locale the lint must catch at
least 95 % of the violating lines, each under its rule, and raise no alarm on
any of the innocent ones (statements, offers, reminders, negations such as
"we will not take legal action while...").
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.domain.compliance import find_violations

HELDOUT = Path(__file__).parent / "lint_heldout"
LOCALES = ("en", "zh_Hans", "zh_Hant")
# Which rule each meaning class breaks.
CLASS_RULES = {
    "third_party": "R9",
    "police": "R9",
    "legal": "R9",
    "assets": "R9",
    "visit": "R9",
    "credit": "R9",
    "final_notice": "R9",
    "borrow": "R10",
    "sell": "R10",
    "savings": "R10",
    "deadline": "R10",
}
MIN_RECALL = 0.95


def _lines(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def violating(locale: str) -> list[tuple[str, str]]:
    rows = [line.split("\t", 1) for line in _lines(HELDOUT / "violating" / f"{locale}.txt")]
    return [(kind, text) for kind, text in rows]


def innocent(locale: str) -> list[str]:
    return _lines(HELDOUT / "innocent" / f"{locale}.txt")


@pytest.mark.parametrize("locale", LOCALES)
def test_the_heldout_lists_are_big_enough_and_cover_every_class(locale: str) -> None:
    rows = violating(locale)
    assert len(rows) >= 40
    assert {kind for kind, _ in rows} == set(CLASS_RULES)
    assert len(innocent(locale)) >= 60


@pytest.mark.rule("R9", "R10")
@pytest.mark.parametrize("locale", LOCALES)
def test_recall_on_heldout_paraphrases(locale: str) -> None:
    rows = violating(locale)
    missed = [
        (kind, text)
        for kind, text in rows
        if CLASS_RULES[kind] not in {v.rule for v in find_violations(text, locale)}
    ]
    recall = 1 - len(missed) / len(rows)
    assert recall >= MIN_RECALL, f"{locale} recall {recall:.0%}, missed: {missed}"


@pytest.mark.rule("R9", "R10")
@pytest.mark.parametrize("locale", LOCALES)
def test_no_false_alarm_on_heldout_innocent_texts(locale: str) -> None:
    alarms = {text: find_violations(text, locale) for text in innocent(locale)}
    assert {text: found for text, found in alarms.items() if found} == {}
