"""Labelled examples, kept as plain text a manager can read and extend.

One file per locale and theme, named `<locale>.<theme>.txt` (`en.core.txt`),
with a `[intent]` line before the messages that mean it, one message a line,
written exactly as a borrower would type it (no quoting). Blank lines and
lines starting with `//` are skipped. `data/nlu/train/` teaches the model;
`data/nlu/dev/` measures it while it is tuned (its lines may be looked at,
never copied into training); `data/nlu/heldout/` was written by someone else,
is never looked at while tuning, and is only ever used to measure it. Files
named `*-crisis.txt` hold crisis lines (recall is measured on their `[crisis]`
lines), `*-negatives.txt` hard negatives labelled with their true meaning.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from bot.domain.accounts import LOCALES
from bot.understanding.labels import Meaning

DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "nlu"
TRAIN_DIR = DATA_DIR / "train"
DEV_DIR = DATA_DIR / "dev"
HELDOUT_DIR = DATA_DIR / "heldout"
CRISIS_FILES = "-crisis.txt"
NEGATIVE_FILES = "-negatives.txt"


class ExampleError(ValueError):
    """A data line that is not a valid example; the message names file and line."""


@dataclass(frozen=True)
class Example:
    text: str
    intent: Meaning
    locale: str
    source: str = ""  # the file's name

    @property
    def crisis_line(self) -> bool:
        """A crisis line of a `*-crisis.txt` file: counted for crisis recall."""
        return self.source.endswith(CRISIS_FILES) and self.intent is Meaning.CRISIS

    @property
    def hard_negative(self) -> bool:
        """A line of a `*-negatives.txt` file: counted for crisis false alarms."""
        return self.source.endswith(NEGATIVE_FILES) and self.intent is not Meaning.CRISIS


_HEADER = re.compile(r"^\[([a-z_]+)\]$")


def _read(path: Path) -> list[Example]:
    locale = path.name.split(".")[0]
    if locale not in LOCALES:
        raise ExampleError(f"{path.name}: the name must start with a locale {LOCALES}")
    found: list[Example] = []
    intent: Meaning | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("//"):
            continue
        if header := _HEADER.match(line):
            try:
                intent = Meaning(header[1])
            except ValueError:
                raise ExampleError(f"{path.name}:{number}: unknown intent {header[1]!r}") from None
        elif intent is None:
            raise ExampleError(f"{path.name}:{number}: a message before any [intent] line")
        else:
            found.append(Example(line, intent, locale, path.name))
    return found


def load_examples(directory: Path) -> list[Example]:
    """Every example in every *.txt file of the directory, in a stable order."""
    return [example for path in sorted(directory.glob("*.txt")) for example in _read(path)]


def fingerprint(directory: Path) -> str:
    """Changes whenever a training file changes, so a stale model is rebuilt."""
    digest = hashlib.sha256()
    for path in sorted(directory.glob("*.txt")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
