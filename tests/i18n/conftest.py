"""Fixtures: the real repayment script and the real catalogs, compiled in a temp dir.

Catalogs are copied before compiling so the tests never write .mo files into
the working tree and never depend on .mo files someone compiled earlier.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.engine.loader import load_script
from bot.engine.script import Message, Script
from bot.i18n.build import compile_catalogs
from bot.i18n.render import Translator

ROOT = Path(__file__).resolve().parents[2]
LOCALES_DIR = ROOT / "locales"
DIALOGS_DIR = ROOT / "dialogs"
SCRIPT_FILE = DIALOGS_DIR / "repayment.yaml"


@pytest.fixture(scope="session")
def script() -> Script:
    loaded, _ = load_script(SCRIPT_FILE.read_text(encoding="utf-8"), str(SCRIPT_FILE))
    return loaded


@pytest.fixture(scope="session")
def table(script: Script) -> dict[str, Message]:
    return script.message_table()


@pytest.fixture(scope="session")
def translator(tmp_path_factory: pytest.TempPathFactory) -> Translator:
    locales = tmp_path_factory.mktemp("catalogs") / "locales"
    shutil.copytree(LOCALES_DIR, locales, ignore=shutil.ignore_patterns("*.mo"))
    compile_catalogs(locales)
    return Translator(locales)
