"""`dialogs check` lints the console's canned replies (issue 32): an agent sends one
with a click, so a threat, pressure or a forbidden form in it is refused like one
in a catalog, naming the file, the line and the reply, in the market that reads it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.service import canned
from bot.service.scripts import check_dialogs
from tests.project_copy import ROOT, copy_project


def _project(tmp_path: Path) -> tuple[Path, Path]:
    canned.load.cache_clear()
    return copy_project(tmp_path)


def _replace(dialogs: Path, old: str, new: str) -> tuple[Path, int]:
    """Rewrite one canned text; the file and the line it is on."""
    path = canned.file_in(dialogs)
    source = path.read_text(encoding="utf-8")
    assert source.count(old) == 1, old
    path.write_text(source.replace(old, new), encoding="utf-8")
    line = source[: source.index(old)].count("\n") + 1
    return path, line


def _problems(dialogs: Path, locales: Path) -> list[str]:
    return [f"{p.file}:{p.line}: {p.message}" for p in check_dialogs(dialogs, locales)]


def test_the_shipped_canned_replies_pass() -> None:
    canned.load.cache_clear()
    problems = [p for p in check_dialogs(ROOT / "dialogs", ROOT / "locales")]
    assert [p for p in problems if "canned" in p.file or "canned" in p.message] == []


@pytest.mark.rule("R9")
def test_a_reply_threatening_to_tell_the_employer_is_refused(tmp_path: Path) -> None:
    dialogs, locales = _project(tmp_path)
    path, line = _replace(
        dialogs,
        "I'm checking this for you now and will reply here shortly.",
        "If you don't pay, we will tell your employer.",
    )
    problems = _problems(dialogs, locales)
    # English, and the UK borrower who reads the same English text.
    for locale in ("en", "en_GB"):
        assert any(
            p.startswith(f"{path}:{line}: R9: {locale} text 'canned_replies.checking'")
            for p in problems
        ), problems


def test_collections_jargon_in_a_chinese_reply_is_refused(tmp_path: Path) -> None:
    dialogs, locales = _project(tmp_path)
    path, line = _replace(
        dialogs, "我正在为您核查，稍后会在这里回复您。", "您的账户已转入催收，请尽快还款。"
    )
    problems = _problems(dialogs, locales)
    assert any(
        p.startswith(f"{path}:{line}: glossary: zh_Hans text 'canned_replies.checking' says '催收'")
        for p in problems
    ), problems


def test_a_taiwan_word_reaches_hong_kong_through_a_missing_regional_text(
    tmp_path: Path,
) -> None:
    """Without a Hong Kong text the Hong Kong borrower reads Taiwan's: 帳戶 is refused
    for zh_Hant_HK, on the zh_Hant line, and Taiwan's own reading passes."""
    dialogs, locales = _project(tmp_path)
    path, _ = _replace(
        dialogs, '      zh_Hant_HK: "您戶口的結欠總額為 {amount}，還款到期日為 {date}。"\n', ""
    )
    source = path.read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(source, 1) if "您帳戶本期應繳總額" in text)
    problems = _problems(dialogs, locales)
    assert any(
        p.startswith(
            f"{path}:{line}: glossary: zh_Hant_HK text 'canned_replies.balance' says '帳戶'"
        )
        for p in problems
    ), problems
    assert not any("zh_Hant text 'canned_replies.balance'" in p for p in problems), problems


def test_a_broken_canned_file_is_reported_by_the_check(tmp_path: Path) -> None:
    dialogs, locales = _project(tmp_path)
    path, line = _replace(dialogs, "your account is {amount}", "your account is {amout}")
    problems = _problems(dialogs, locales)
    assert any(
        p.startswith(f"{path}:{line}: canned replies: text.en: unknown placeholder {{amout}}")
        for p in problems
    ), problems
