"""Labelled examples, kept as plain text a manager can read and extend.

One file per locale and theme, named `<locale>.<theme>.txt` (`en.core.txt`),
with a `[intent]` line before the messages that mean it, one message a line,
written exactly as a borrower would type it (no quoting). Blank lines and
lines starting with `//` are skipped. `data/nlu/train/` teaches the model;
`data/nlu/heldout/` was written separately, in other words, and is only
ever used to measure it.
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
HELDOUT_DIR = DATA_DIR / "heldout"


class ExampleError(ValueError):
    """A data line that is not a valid example; the message names file and line."""


@dataclass(frozen=True)
class Example:
    text: str
    intent: Meaning
    locale: str


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
            found.append(Example(line, intent, locale))
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
