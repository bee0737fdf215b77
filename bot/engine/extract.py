"""A Babel extraction method for dialog scripts (dialogs/*.yaml).

Managers write the English texts in the script; translators work in gettext
catalogs. This extractor is the bridge: `pybabel extract` calls it for every
YAML file matched in babel.cfg, and it yields each text keyed by the same id
the engine puts in a reply (`Script.message_table()`), used as msgctxt. The id,
not the English text, is the key, so two states may say the same English words
and still be translated differently, and a typo fix in English shows up as a
changed entry for that one id.

Registered in pyproject.toml under `babel.extractors` as `repaybot_dialogs`.
Pure: it reads the given file object and nothing else.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

from bot.engine.loader import Path_, line_for, load_script, parse_yaml
from bot.engine.script import Message, Script

# (lineno, funcname, messages, comments), as Babel expects from an extractor.
Extracted = tuple[int, str, tuple[str, ...], list[str]]


def looks_like_script(data: Any) -> bool:
    """Policy and other YAML files live beside the scripts; they have no states."""
    return isinstance(data, dict) and "states" in data and "id" in data


def _paths(script: Script) -> dict[str, tuple[Path_, str | None, str]]:
    """For each message id: where its text is in the YAML, its state and what it is.

    Walks the script in the same shape as `Script.message_table()`; the test
    checks that both agree on the set of ids.
    """
    paths: dict[str, tuple[Path_, str | None, str]] = {}
    for key in script.messages:
        paths[f"{script.id}.{key}"] = (("messages", key), None, "shared text")
    for name, state in script.states.items():
        for index, message in enumerate(state.say):
            kind = f"said once per item of '{message.each}'" if message.each else "message"
            paths[f"{script.id}.{name}.{message.id}"] = (
                ("states", name, "say", index, "text"),
                name,
                kind,
            )
        for index, choice in enumerate(state.choices):
            paths[f"{script.id}.{name}.choice.{choice.id}"] = (
                ("states", name, "choices", index, "label"),
                name,
                "button label: keep it short",
            )
        if state.dynamic_choices is not None:
            label = state.dynamic_choices.label
            paths[f"{script.id}.{name}.{label.id}"] = (
                ("states", name, "dynamic_choices", "label", "text"),
                name,
                "button label, one per option: keep it short",
            )
    return paths


def _comments(message: Message, state: str | None, kind: str) -> list[str]:
    comments = [f"state: {state}, {kind}" if state else kind]
    names = sorted(message.placeholders())
    if names:
        comments.append("placeholders (keep as they are): " + ", ".join(f"{{{n}}}" for n in names))
    if message.count:
        comments.append(f"the plural form is chosen by {{{message.count}}}")
    return comments


def extract_script(text: str, filename: str) -> Iterator[Extracted]:
    """Every text of one script in message_table order; nothing for non-scripts."""
    data, lines = parse_yaml(text, filename)
    if not looks_like_script(data):
        return
    # A broken script raises ScriptError naming file and line: extraction
    # should fail loudly rather than silently drop texts from the catalogs.
    script, _ = load_script(text, filename)
    paths = _paths(script)
    for message_id, message in script.message_table().items():
        path, state, kind = paths[message_id]  # both walk the same shape (tested)
        lineno = line_for(lines, path)
        comments = _comments(message, state, kind)
        if message.plural is not None:
            yield lineno, "npgettext", (message_id, message.text, message.plural), comments
        else:
            yield lineno, "pgettext", (message_id, message.text), comments


def extract_dialog_messages(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any] | Collection[str],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[Extracted]:
    """Babel's extractor interface; keywords and comment tags do not apply to YAML."""
    # Codec names ignore case: "UTF-8" is the same codec, so the literal is not mutated.
    encoding = str(options.get("encoding", "utf-8"))  # pragma: no mutate
    raw = fileobj.read()
    text = raw.decode(encoding) if isinstance(raw, bytes) else str(raw)
    filename = str(getattr(fileobj, "name", "<dialog>"))
    yield from extract_script(text, filename)
