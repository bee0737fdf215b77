"""The Babel extractor pulls every text out of a dialog script under its message id."""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract

from bot.engine.extract import extract_dialog_messages
from bot.engine.script import Message, Script

from .conftest import DIALOGS_DIR, SCRIPT_FILE


def _run(path: Path) -> list[tuple[int, str, tuple[str, ...], list[str]]]:
    with path.open("rb") as fileobj:
        return list(extract_dialog_messages(fileobj, DEFAULT_KEYWORDS, [], {}))


def _source_prefix(text: str) -> str:
    """The start of a text as it is written in the YAML (before any escape)."""
    for stop in ('"', "\\", "\n"):
        text = text.split(stop)[0]
    return text[:15]


def test_every_text_is_extracted_once_with_its_id_as_context(
    script: Script, table: dict[str, Message]
) -> None:
    extracted = _run(SCRIPT_FILE)
    ids = [messages[0] for _, _, messages, _ in extracted]
    assert len(ids) == len(set(ids))
    assert set(ids) == set(table)
    for _, funcname, messages, _ in extracted:
        message = table[messages[0]]
        if message.plural is None:
            assert (funcname, messages[1:]) == ("pgettext", (message.text,))
        else:
            assert (funcname, messages[1:]) == ("npgettext", (message.text, message.plural))


def test_known_ids_are_there(table: dict[str, Message]) -> None:
    extracted = {messages[0]: messages for _, _, messages, _ in _run(SCRIPT_FILE)}
    for message_id in (
        "repayment.verify.ask_birth_date",
        "repayment.menu.choice.plan",
        "repayment.not_understood",
        "repayment.plan_options.option",
    ):
        assert message_id in extracted
    assert extracted["repayment.menu.choice.plan"][1] == table["repayment.menu.choice.plan"].text


def test_line_numbers_point_at_the_text() -> None:
    lines = SCRIPT_FILE.read_text(encoding="utf-8").splitlines()
    for lineno, _, messages, _ in _run(SCRIPT_FILE):
        assert _source_prefix(messages[1]) in lines[lineno - 1], messages[0]


def test_comments_name_the_state_and_placeholders() -> None:
    found = {messages[0]: comments for _, _, messages, comments in _run(SCRIPT_FILE)}
    comments = found["repayment.verify_retry.mismatch"]
    assert comments[0].startswith("state: verify_retry")
    assert any("{attempts_left}" in c for c in comments)
    assert found["repayment.menu.choice.plan"][0] == "state: menu, button label: keep it short"
    assert found["repayment.not_understood"] == ["shared text"]


def test_files_that_are_not_scripts_yield_nothing() -> None:
    assert _run(DIALOGS_DIR / "policy.yaml") == []
    empty = io.BytesIO(b"")
    assert list(extract_dialog_messages(empty, DEFAULT_KEYWORDS, [], {})) == []


def test_babel_finds_the_extractor_by_its_entry_point_name() -> None:
    with SCRIPT_FILE.open("rb") as fileobj:
        results = list(extract("repaybot_dialogs", fileobj, keywords=DEFAULT_KEYWORDS))
    by_context = {context: message for _, message, _, context in results}
    assert by_context["repayment.verify_retry.mismatch"][1].endswith("attempts left.")
    assert isinstance(by_context["repayment.not_understood"], str)
