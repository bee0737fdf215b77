"""Measure the understanding on a labelled set: accuracy, precision, recall, crisis.

Pure functions over (expected, predicted) pairs, so the numbers the CLI
prints and the floors the test suite enforces come from the same code.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.domain.accounts import LOCALES
from bot.understanding.examples import Example
from bot.understanding.labels import MEANINGS, CrisisLevel, Meaning


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


def format_report(report: Report, name: str) -> str:
    """The plain-text table `repaybot nlu evaluate` prints for one set."""
    lines = [f"{name} examples: {len(report.outcomes)}"]
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


# The floors the test suite enforces on the held-out set (issues 12 and 30):
# overall accuracy; in every locale, every crisis line found (sure or possible),
# at most 5% of the hard negatives read as a sure crisis, and enough of both.
ACCURACY_FLOOR = 0.95
CRISIS_RECALL_FLOOR = 1.0
FALSE_ALARM_CEILING = 0.05
MIN_CRISIS_LINES = 40
MIN_NEGATIVES = 40


@dataclass(frozen=True)
class CrisisCheck:
    """How the crisis check does on one locale's crisis lines and hard negatives."""

    locale: str
    crisis_examples: int  # [crisis] lines of *-crisis.txt files
    found: int  # of those, read as sure or possible
    sure_found: int  # of those, read as sure
    negatives: int  # lines of *-negatives.txt files
    sure_alarms: int  # of those, read as a sure crisis
    possible_alarms: int  # of those, read as a possible crisis

    @property
    def recall(self) -> float:
        return self.found / self.crisis_examples if self.crisis_examples else 0.0

    @property
    def false_alarm_rate(self) -> float:
        return self.sure_alarms / self.negatives if self.negatives else 0.0


def check_crisis(
    examples: Sequence[Example], level: Callable[[str], CrisisLevel]
) -> tuple[CrisisCheck, ...]:
    checks = []
    for locale in LOCALES:
        crisis = [level(e.text) for e in examples if e.locale == locale and e.crisis_line]
        negative = [level(e.text) for e in examples if e.locale == locale and e.hard_negative]
        checks.append(
            CrisisCheck(
                locale=locale,
                crisis_examples=len(crisis),
                found=sum(found is not CrisisLevel.NONE for found in crisis),
                sure_found=crisis.count(CrisisLevel.SURE),
                negatives=len(negative),
                sure_alarms=negative.count(CrisisLevel.SURE),
                possible_alarms=negative.count(CrisisLevel.POSSIBLE),
            )
        )
    return tuple(checks)


def format_crisis(checks: Sequence[CrisisCheck], name: str) -> str:
    lines = [f"crisis check on the {name} set (recall: sure + possible; false alarms: sure)"]
    for check in checks:
        lines.append(
            f"  {check.locale:8} recall {_percent(check.recall)} "
            f"({check.found}/{check.crisis_examples}; sure {check.sure_found}); "
            f"false alarms {_percent(check.false_alarm_rate)} "
            f"({check.sure_alarms}/{check.negatives}; possible {check.possible_alarms})"
        )
    return "\n".join(lines)


def below_floor(report: Report, checks: Sequence[CrisisCheck]) -> list[str]:
    """What falls short of the floors; empty when all is well."""
    problems = []
    if report.accuracy() < ACCURACY_FLOOR:
        problems.append(f"accuracy {report.accuracy():.1%} is below the floor {ACCURACY_FLOOR:.0%}")
    for check in checks:
        where = check.locale
        if check.crisis_examples < MIN_CRISIS_LINES:
            problems.append(
                f"{where}: {check.crisis_examples} crisis lines, fewer than {MIN_CRISIS_LINES}"
            )
        if check.negatives < MIN_NEGATIVES:
            problems.append(
                f"{where}: {check.negatives} hard negatives, fewer than {MIN_NEGATIVES}"
            )
        if check.recall < CRISIS_RECALL_FLOOR:
            problems.append(
                f"{where}: crisis recall {check.recall:.1%} is below the floor {CRISIS_RECALL_FLOOR:.0%}"
            )
        if check.false_alarm_rate > FALSE_ALARM_CEILING:
            problems.append(
                f"{where}: sure-crisis false alarms {check.false_alarm_rate:.1%} "
                f"are above the ceiling {FALSE_ALARM_CEILING:.0%}"
            )
    return problems


def round_of(example: Example) -> str:
    """The round a measured line belongs to, from its file's name: "en.round7-crisis.txt"
    is round7, "zh_Hans.h2-negatives.txt" h2, "en.dev.txt" dev."""
    theme = example.source.split(".")[1] if example.source.count(".") >= 2 else example.source
    return theme.split("-")[0]


def format_round(
    name: str,
    report: Report,
    checks: Sequence[CrisisCheck],
    levels: dict[str, CrisisLevel] | None = None,
) -> str:
    """One round on one line per figure: accuracy per locale, recall, sure and possible
    alarms; with `levels` (the crisis level of each line) every misread line too."""
    accuracy = ", ".join(
        f"{check.locale} {_percent(report.accuracy(check.locale)).strip()}" for check in checks
    )
    lines = [f"{name} ({len(report.outcomes)}): {_percent(report.accuracy()).strip()} ({accuracy})"]
    lines.append(
        "  recall "
        + ", ".join(f"{c.found}/{c.crisis_examples} (sure {c.sure_found})" for c in checks)
        + "; sure alarms "
        + ", ".join(f"{c.sure_alarms}/{c.negatives}" for c in checks)
        + "; possible alarms "
        + ", ".join(str(c.possible_alarms) for c in checks)
    )
    if levels is not None:
        for outcome in report.mistakes():
            example = outcome.example
            lines.append(
                f"  [{example.source}] {example.text!r}: expected {example.intent}, "
                f"read {outcome.predicted} (crisis {levels[example.text]})"
            )
    return "\n".join(lines)
