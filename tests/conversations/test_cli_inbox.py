"""`repaybot inbox failed|retry` as an operator runs them: one clear line, an exit code."""

from __future__ import annotations

from pathlib import Path

from tests.conversations.test_cli_edges import _run


def test_an_empty_list_and_an_unknown_id(tmp_path: Path) -> None:
    listed = _run(tmp_path, "inbox", "failed")
    assert (listed.returncode, listed.stdout.strip()) == (0, "No failed updates.")
    retried = _run(tmp_path, "inbox", "retry", "42")
    assert retried.returncode == 2
    assert retried.stderr.strip() == "No failed update 42; `repaybot inbox failed` lists them."
    not_a_number = _run(tmp_path, "inbox", "retry", "forty-two")
    assert not_a_number.returncode == 2 and "invalid int value" in not_a_number.stderr
