"""A copy of the shipped dialogs and catalogs to break on purpose: the lint tests
write a violating text into it and expect `dialogs check` to name it. One copy of
the set-up for every such test."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def copy_project(tmp_path: Path) -> tuple[Path, Path]:
    """The dialogs and the catalogs' sources (no compiled .mo) under `tmp_path`."""
    dialogs = tmp_path / "dialogs"
    shutil.copytree(ROOT / "dialogs", dialogs)
    locales = tmp_path / "locales"
    shutil.copytree(ROOT / "locales", locales, ignore=shutil.ignore_patterns("*.mo"))
    return dialogs, locales


def catalog(locales: Path, locale: str) -> Path:
    return locales / locale / "LC_MESSAGES" / "messages.po"


def translate(locales: Path, locale: str, context: str, text: str) -> int:
    """Make `text` the (first) translation of `context` in a locale's catalog, in
    place of every line of the old one (a long msgstr goes on in quoted lines);
    the 0-based index of the entry's msgctxt line."""
    po = catalog(locales, locale)
    lines = po.read_text(encoding="utf-8").split("\n")
    start = lines.index(f'msgctxt "{context}"')
    at = next(i for i in range(start, len(lines)) if lines[i].startswith("msgstr"))
    end = at + 1
    while end < len(lines) and lines[end].startswith('"'):
        end += 1
    prefix = lines[at].split(" ", 1)[0]  # msgstr, or msgstr[0] of a plural
    lines[at:end] = [f'{prefix} "{text}"']
    po.write_text("\n".join(lines), encoding="utf-8")
    return start
