"""Measure the intent model on the held-out examples: accuracy, precision, recall.

Pure functions over (expected, predicted) pairs, so the numbers the CLI
prints and the floors the test suite enforces come from the same code.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.domain.accounts import LOCALES
from bot.understanding.examples import Example
from bot.understanding.labels import MEANINGS, Meaning


@dataclass(frozen=True)
class Scores:
    """Precision and recall of one intent; None when there was nothing to divide by."""

    support: int
    precision: float | None
    recall: float | None


@dataclass(frozen=True)
class Outcome:
    example: Example
    predicted: Meaning

    @property
    def correct(self) -> bool:
        return self.example.intent is self.predicted


@dataclass(frozen=True)
class Report:
    outcomes: tuple[Outcome, ...]

    def accuracy(self, locale: str | None = None) -> float:
        chosen = [o for o in self.outcomes if locale in (None, o.example.locale)]
        return sum(o.correct for o in chosen) / len(chosen) if chosen else 0.0

    def scores(self, intent: Meaning, locale: str | None = None) -> Scores:
        chosen = [o for o in self.outcomes if locale in (None, o.example.locale)]
        expected = sum(o.example.intent is intent for o in chosen)
        predicted = sum(o.predicted is intent for o in chosen)
        hits = sum(o.example.intent is intent and o.correct for o in chosen)
        return Scores(
            expected,
            hits / predicted if predicted else None,
            hits / expected if expected else None,
        )

    def confusion(self) -> Counter[tuple[Meaning, Meaning]]:
        """(expected, predicted) -> count, over every locale."""
        return Counter((o.example.intent, o.predicted) for o in self.outcomes)

    def mistakes(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.correct]


def evaluate(examples: Sequence[Example], classify: Callable[[str], Meaning]) -> Report:
    return Report(tuple(Outcome(e, classify(e.text)) for e in examples))


def _percent(value: float | None) -> str:
    return "   -  " if value is None else f"{value * 100:5.1f}%"


def format_report(report: Report) -> str:
    """The plain-text table `repaybot nlu evaluate` prints."""
    lines = [f"held-out examples: {len(report.outcomes)}"]
    lines.append(f"accuracy: {_percent(report.accuracy())} overall")
    for locale in LOCALES:
        count = sum(o.example.locale == locale for o in report.outcomes)
        lines.append(f"  {locale:8} {_percent(report.accuracy(locale))}  ({count} examples)")
    lines.append("")
    header = f"{'intent':12} {'n':>4} {'prec':>6} {'recall':>6}"
    header += "".join(f"  {locale + ' P/R':>15}" for locale in LOCALES)
    lines.append(header)
    for intent in MEANINGS:
        total = report.scores(intent)
        row = f"{intent:12} {total.support:4} {_percent(total.precision)} {_percent(total.recall)}"
        for locale in LOCALES:
            scores = report.scores(intent, locale)
            row += f"  {_percent(scores.precision)}/{_percent(scores.recall)}"
        lines.append(row)
    lines.append("")
    lines.append("confusion matrix (rows: expected, columns: predicted)")
    short = [intent[:4] for intent in MEANINGS]
    lines.append(" " * 12 + "".join(f"{name:>5}" for name in short))
    matrix = report.confusion()
    for expected in MEANINGS:
        cells = "".join(f"{matrix[(expected, predicted)] or '.':>5}" for predicted in MEANINGS)
        lines.append(f"{expected:12}{cells}")
    mistakes = report.mistakes()
    if mistakes:
        lines.append("")
        lines.append(f"misread ({len(mistakes)}):")
        for outcome in mistakes:
            example = outcome.example
            lines.append(
                f"  [{example.locale}] {example.text!r}: "
                f"expected {example.intent}, read {outcome.predicted}"
            )
    return "\n".join(lines)


# The floors the test suite enforces (issue 12): overall accuracy, and the
# crisis check's recall in every locale.
ACCURACY_FLOOR = 0.95
CRISIS_RECALL_FLOOR = 0.98


@dataclass(frozen=True)
class CrisisCheck:
    """How the crisis check (lexicon + model) does on one locale's held-out examples."""

    locale: str
    crisis_examples: int
    found: int
    lexicon_found: int
    model_found: int
    other_examples: int
    false_alarms: int

    @property
    def recall(self) -> float:
        return self.found / self.crisis_examples if self.crisis_examples else 0.0


def check_crisis(
    examples: Sequence[Example],
    *,
    lexicon: Callable[[str], bool],
    model: Callable[[str], bool],
) -> tuple[CrisisCheck, ...]:
    checks = []
    for locale in LOCALES:
        mine = [e for e in examples if e.locale == locale]
        crisis = [e.text for e in mine if e.intent is Meaning.CRISIS]
        other = [e.text for e in mine if e.intent is not Meaning.CRISIS]
        checks.append(
            CrisisCheck(
                locale=locale,
                crisis_examples=len(crisis),
                found=sum(lexicon(t) or model(t) for t in crisis),
                lexicon_found=sum(lexicon(t) for t in crisis),
                model_found=sum(model(t) for t in crisis),
                other_examples=len(other),
                false_alarms=sum(lexicon(t) or model(t) for t in other),
            )
        )
    return tuple(checks)


def format_crisis(checks: Sequence[CrisisCheck]) -> str:
    lines = ["crisis check (lexicon + model) on the held-out examples"]
    for check in checks:
        lines.append(
            f"  {check.locale:8} recall {_percent(check.recall)} "
            f"({check.found}/{check.crisis_examples}; lexicon alone {check.lexicon_found}, "
            f"model alone {check.model_found}); false alarms {check.false_alarms}"
            f"/{check.other_examples}"
        )
    return "\n".join(lines)


def below_floor(report: Report, checks: Sequence[CrisisCheck]) -> list[str]:
    """What falls short of the floors; empty when all is well."""
    problems = []
    if report.accuracy() < ACCURACY_FLOOR:
        problems.append(f"accuracy {report.accuracy():.1%} is below the floor {ACCURACY_FLOOR:.0%}")
    for check in checks:
        if check.recall < CRISIS_RECALL_FLOOR:
            problems.append(
                f"crisis recall in {check.locale} {check.recall:.1%} "
                f"is below the floor {CRISIS_RECALL_FLOOR:.0%}"
            )
    return problems
