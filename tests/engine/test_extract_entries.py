"""What translators get from a script: each text, its line, and comments that explain it."""

from __future__ import annotations

import io
from typing import IO, cast

import pytest

from bot.engine.errors import ScriptError
from bot.engine.extract import extract_dialog_messages

SCRIPT = """\
id: s
version: "1"
start: a
verify_state: a
messages:
  hello: "Hi {lender}"
states:
  a:
    say:
      - {id: one, text: "Once"}
      - {id: n, text: "{count} left", plural: "{count} left.", count: count}
    choices:
      - {id: yes, label: "Yes", to: a}
    dynamic_choices:
      each: plan_options
      id: id
      label: {id: plan, text: "{months} months, {installment}"}
"""


def test_every_text_comes_with_its_line_and_what_it_is() -> None:
    source = io.BytesIO(SCRIPT.encode("utf-16"))
    source.name = "dialogs/s.yaml"
    assert list(extract_dialog_messages(source, {}, [], {"encoding": "utf-16"})) == [
        (
            6,
            "pgettext",
            ("s.hello", "Hi {lender}"),
            ["shared text", "placeholders (keep as they are): {lender}"],
        ),
        (10, "pgettext", ("s.a.one", "Once"), ["state: a, message"]),
        (
            11,
            "npgettext",
            ("s.a.n", "{count} left", "{count} left."),
            [
                "state: a, message",
                "placeholders (keep as they are): {count}",
                "the plural form is chosen by {count}",
            ],
        ),
        (13, "pgettext", ("s.a.choice.yes", "Yes"), ["state: a, button label: keep it short"]),
        (
            17,
            "pgettext",
            ("s.a.plan", "{months} months, {installment}"),
            [
                "state: a, button label, one per option: keep it short",
                "placeholders (keep as they are): {installment}, {months}",
            ],
        ),
    ]


def test_text_files_are_read_too() -> None:
    # Babel opens files in binary mode; a text stream is read as well.
    text_stream = cast("IO[bytes]", io.StringIO(SCRIPT))
    entries = list(extract_dialog_messages(text_stream, {}, [], {}))
    assert [messages[0] for _, _, messages, _ in entries] == [
        "s.hello",
        "s.a.one",
        "s.a.n",
        "s.a.choice.yes",
        "s.a.plan",
    ]


def test_a_broken_script_fails_extraction_naming_its_file() -> None:
    broken = SCRIPT.replace('"Once"', '""')
    named = io.BytesIO(broken.encode())
    named.name = "dialogs/s.yaml"
    with pytest.raises(ScriptError) as caught:
        list(extract_dialog_messages(named, {}, [], {}))
    assert {p.file for p in caught.value.problems} == {"dialogs/s.yaml"}
    with pytest.raises(ScriptError) as caught:
        list(extract_dialog_messages(io.BytesIO(b"id: [1\n"), {}, [], {}))
    assert {p.file for p in caught.value.problems} == {"<dialog>"}


BLOCK_STYLE = """\
id: s
version: "1"
start: a
verify_state: a
states:
  a:
    say:
      - id: one
        text: "Once"
    choices:
      - id: yes
        to: a
        label: "Yes"
"""


def test_a_button_label_written_in_block_style_points_at_its_own_line() -> None:
    source = io.BytesIO(BLOCK_STYLE.encode())
    entries = list(extract_dialog_messages(source, {}, [], {}))
    lines = {messages[0]: line for line, _, messages, _ in entries}
    assert lines == {"s.a.one": 9, "s.a.choice.yes": 13}
