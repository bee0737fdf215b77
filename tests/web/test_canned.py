"""Canned replies are checked when the console starts: a placeholder nobody fills, a
language missing or a file that is not YAML is refused then, naming the file and
line, never found by an agent whose borrower receives "{amout}"."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from bot.config import ROOT
from bot.domain.accounts import CATALOG_LOCALES, LOCALES
from bot.service import canned
from bot.service.canned import CannedRepliesError
from bot.web.app import create_app
from tests.web.conftest import Console

SHIPPED = canned.file_in(ROOT / "dialogs")
GOOD = """\
replies:
  - id: balance
    title:
      en: "Amount due"
      zh_Hans: "应还金额"
      zh_Hant: "應還金額"
    text:
      en: "You owe {amount}, due on {date}."
      zh_Hans: "您应还 {amount}，到期日为 {date}。"
      zh_Hant: "您應還 {amount}，到期日為 {date}。"
"""


def _write(tmp_path: Path, text: str) -> Path:
    canned.load.cache_clear()
    path = canned.file_in(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_replies_load_in_every_language() -> None:
    replies = canned.load(SHIPPED)
    assert replies
    # Every language, and a region's own wording where it differs (Hong Kong's 戶口).
    assert all(set(LOCALES) <= set(r.text) <= set(CATALOG_LOCALES) for r in replies)
    (balance,) = [r for r in replies if r.id == "balance"]
    assert "戶口" in balance.text_for("zh_Hant_HK") and "帳戶" in balance.text_for("zh_Hant")
    assert balance.text_for("en_GB") == balance.text["en"]  # no British text: the English one


def test_a_language_the_bot_does_not_have_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD + '      fr: "Vous devez {amount}."\n')
    with pytest.raises(CannedRepliesError, match="unknown language"):
        canned.load(path)


def test_a_good_file_loads(tmp_path: Path) -> None:
    (reply,) = canned.load(_write(tmp_path, GOOD))
    assert reply.text["zh_Hant"] == "您應還 {amount}，到期日為 {date}。"


def test_an_unknown_placeholder_is_refused_with_its_file_and_line(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace("到期日為 {date}", "到期日為 {dat}"))
    with pytest.raises(CannedRepliesError) as refused:
        canned.load(path)
    # line 10 is the zh_Hant text, the one with the typo
    assert str(refused.value).startswith(f"{path}:10: text.zh_Hant: unknown placeholder {{dat}}")


def test_a_missing_language_is_refused_with_its_file_and_line(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace('      zh_Hans: "应还金额"\n', ""))
    with pytest.raises(CannedRepliesError) as refused:
        canned.load(path)
    assert str(refused.value).startswith(f"{path}:3: replies.0.title: ")
    assert "zh_Hans" in str(refused.value)


def test_a_file_that_is_not_yaml_is_refused_with_its_line(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace('en: "You owe', 'en: "You owe" {'))
    with pytest.raises(CannedRepliesError, match=rf"^{path}:8: not YAML"):
        canned.load(path)


async def test_the_console_refuses_to_start_on_a_broken_file(
    console: Console, tmp_path: Path
) -> None:
    dialogs = tmp_path / "dialogs"
    shutil.copytree(ROOT / "dialogs", dialogs)
    broken = canned.file_in(dialogs)
    broken.write_text(
        broken.read_text(encoding="utf-8").replace("account is {amount}", "account is {amout}"),
        encoding="utf-8",
    )
    canned.load.cache_clear()
    app = console.chat.app
    moved = dataclasses.replace(
        app, settings=app.settings.model_copy(update={"dialogs_dir": dialogs})
    )
    with pytest.raises(CannedRepliesError, match=rf"^{broken}:\d+: text\.en: .*{{amout}}"):
        create_app(moved)
    assert create_app(app).title == "repaybot CRM API"  # the shipped file starts
