"""`repaybot --help` reads as an operator wants it: commands grouped by what they are for,
each command in one group, and every command's own help with examples that parse."""

from __future__ import annotations

import shlex

import pytest

from bot.cli import EXAMPLES, GROUPS, _parser


def _help(*args: str, capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as done:
        _parser().parse_args([*args, "--help"])
    assert done.value.code == 0
    return capsys.readouterr().out


def test_every_command_is_in_exactly_one_group_and_has_examples() -> None:
    grouped = [name for _, names in GROUPS for name in names]
    action = _parser()._subparsers._group_actions[0]  # type: ignore[union-attr]
    assert isinstance(action.choices, dict)
    commands = set(action.choices)
    assert sorted(grouped) == sorted(commands)
    assert set(EXAMPLES) == commands


def test_the_overview_lists_the_groups_in_order(capsys: pytest.CaptureFixture[str]) -> None:
    text = _help(capsys=capsys)
    places = [text.index(f"{title}:\n") for title, _ in GROUPS]
    assert places == sorted(places)
    assert "repaybot COMMAND --help" in text


@pytest.mark.parametrize("command", sorted(EXAMPLES))
def test_each_command_shows_examples_that_parse(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    text = _help(command, capsys=capsys)
    assert "examples:" in text
    for example in EXAMPLES[command]:
        if "|" in example:  # a pipeline: the repaybot part is what must parse
            example = next(part for part in example.split("|") if "repaybot" in part)
        words = shlex.split(example, comments=True)
        assert words[0] == "repaybot"
        _parser().parse_args(words[1:])  # an example that does not parse is a wrong example
