"""The per-round measure (`repaybot nlu rounds --misses`): each round of the
dev set apart, with the lines it misreads; the held-out round only with `--heldout`."""

from __future__ import annotations

import pytest

from bot.understanding import cli
from bot.understanding.evaluate import round_of
from bot.understanding.examples import HELDOUT_DIR, Example, load_examples
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


def test_the_heldout_round_is_left_out_unless_asked_for(
    capsys: pytest.CaptureFixture[str],
) -> None:
    (current,) = {round_of(example) for example in load_examples(HELDOUT_DIR)}
    assert cli.rounds_command(misses=True) == 0
    assert f"\n{current} (" not in f"\n{capsys.readouterr().out}"
    assert cli.rounds_command(heldout=True) == 0
    assert f"\n{current} (" in f"\n{capsys.readouterr().out}"
