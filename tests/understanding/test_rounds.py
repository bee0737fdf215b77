"""The per-round measure (`repaybot nlu rounds --misses`): each round of the
dev and held-out sets apart, with the lines it misreads."""

from __future__ import annotations

import pytest

from bot.understanding import cli
from bot.understanding.evaluate import round_of
from bot.understanding.examples import Example
from bot.understanding.labels import Meaning


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("en.round7-crisis.txt", "round7"),
        ("zh_Hans.h2-negatives.txt", "h2"),
        ("zh_Hant.round3.txt", "round3"),
        ("en.dev.txt", "dev"),
    ],
)
def test_a_line_belongs_to_the_round_its_file_names(source: str, expected: str) -> None:
    assert round_of(Example("ok", Meaning.CONFIRM, "en", source)) == expected


def test_the_rounds_command_prints_each_round_and_its_misses(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.rounds_command(misses=True) == 0
    out = capsys.readouterr().out
    for name in ("dev", "h2", "round3", "round6"):
        assert f"\n{name} (" in f"\n{out}"
    assert "recall" in out and "sure alarms" in out and "possible alarms" in out
    # Every misread line names its file, what it means and the crisis level it was given.
    misses = [line for line in out.splitlines() if line.startswith("  [")]
    assert misses and all("expected" in line and "(crisis " in line for line in misses)
