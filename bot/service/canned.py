"""Canned replies for agents, per language, with {name}, {amount} and {date} filled in
the borrower's language and format. Kept as data in dialogs/console/canned_replies.yaml
(beside, not among, the scripts), and checked when the console starts: a reply
with a placeholder nobody fills ({amout}) or a language missing is refused then,
with the file and line, rather than sent to a borrower with a hole in it.

A reply may also be written for a region (zh_Hant_HK, en_GB), as the catalogs are:
a Hong Kong borrower reads 戶口 where Taiwan reads 帳戶. Without one, the region
reads its base language's text. `repaybot dialogs check` lints each text as each
market's borrower reads it (bot/service/canned_lint.py)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from bot.domain.accounts import CATALOG_LOCALES, LOCALES, REGIONAL_LOCALES
from bot.errors import ConfigurationError

PLACEHOLDERS = frozenset({"name", "amount", "date"})
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


class CannedReply(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    title: dict[str, str]
    text: dict[str, str]

    @field_validator("title", "text")
    @classmethod
    def _every_language(cls, value: dict[str, str]) -> dict[str, str]:
        missing = set(LOCALES) - set(value)
        if missing:
            raise ValueError(f"missing language(s) {sorted(missing)}")
        unknown_languages = set(value) - set(CATALOG_LOCALES)
        if unknown_languages:
            raise ValueError(f"unknown language(s) {sorted(unknown_languages)}")
        for text in value.values():
            unknown = set(_PLACEHOLDER.findall(text)) - PLACEHOLDERS
            if unknown:
                raise ValueError(f"unknown placeholder(s) {sorted(unknown)}")
        return value

    def written_for(self, catalog_locale: str) -> str:
        """The language whose text a borrower of this catalog locale reads: the
        region's own (zh_Hant_HK), else its base language (zh_Hant), else English."""
        if catalog_locale in self.text:
            return catalog_locale
        base = REGIONAL_LOCALES.get(catalog_locale, "en")
        return base if base in self.text else "en"

    def text_for(self, catalog_locale: str) -> str:
        return self.text[self.written_for(catalog_locale)]


class CannedReplies(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    replies: tuple[CannedReply, ...]


def file_in(dialogs_dir: Path) -> Path:
    return dialogs_dir / "console" / "canned_replies.yaml"


class CannedRepliesError(ConfigurationError):
    """The canned replies file is wrong; the message starts with `file:line:`."""


@lru_cache(maxsize=4)
def load(path: Path) -> tuple[CannedReply, ...]:
    """The replies in `path` (none when there is no file); CannedRepliesError names the
    file and line of the first mistake."""
    if not path.is_file():
        return ()
    source = path.read_text(encoding="utf-8")
    try:
        tree = yaml.compose(source)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else 1
        raise CannedRepliesError(f"{path}:{line}: not YAML: {exc.problem}") from None
    if tree is None:
        return ()
    _check_placeholders(path, tree)
    try:
        return CannedReplies.model_validate(yaml.safe_load(source) or {}).replies
    except ValidationError as exc:
        first = exc.errors()[0]
        place = ".".join(str(part) for part in first["loc"])
        line = _line_of(tree, first["loc"])
        raise CannedRepliesError(f"{path}:{line}: {place}: {first['msg']}") from None


def _check_placeholders(path: Path, tree: yaml.Node) -> None:
    """Every text's placeholders, checked where they are written (the exact line)."""
    replies = _node_at(tree, ("replies",))
    if not isinstance(replies, yaml.SequenceNode):
        return
    for reply in replies.value:
        for field in ("title", "text"):
            texts = _child(reply, field)
            if not isinstance(texts, yaml.MappingNode):
                continue
            for key, value in texts.value:
                unknown = set(_PLACEHOLDER.findall(str(value.value))) - PLACEHOLDERS
                if unknown:
                    names = ", ".join("{" + name + "}" for name in sorted(unknown))
                    raise CannedRepliesError(
                        f"{path}:{value.start_mark.line + 1}: {field}.{key.value}: unknown "
                        f"placeholder {names} (known: {{name}}, {{amount}}, {{date}})"
                    )


def _child(node: yaml.Node, part: object) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        return next((v for k, v in node.value if k.value == part), None)
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        child: yaml.Node = node.value[part]
        return child
    return None


def _line_of(tree: yaml.Node, loc: tuple[object, ...]) -> int:
    """The line of the key (or list item) pydantic's error location points at."""
    node, line = tree, tree.start_mark.line
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            pair = next(((k, v) for k, v in node.value if k.value == part), None)
            if pair is None:
                break
            line, node = pair[0].start_mark.line, pair[1]
        else:
            child = _child(node, part)
            if child is None:
                break
            line, node = child.start_mark.line, child
    return line + 1


def _node_at(tree: yaml.Node, loc: tuple[object, ...]) -> yaml.Node:
    """The deepest node of `tree` on the path `loc` (pydantic's error location)."""
    node = tree
    for part in loc:
        child = _child(node, part)
        if child is None:
            break
        node = child
    return node


def fill(template: str, values: dict[str, str]) -> str:
    """One pass: a value that looks like a placeholder ("{amount}" in a name) stays as it is."""
    pieces = _PLACEHOLDER.split(template)
    return "".join(
        values.get(piece, "") if odd else piece
        for odd, piece in ((i % 2 == 1, p) for i, p in enumerate(pieces))
    )


def text_lines(path: Path) -> dict[tuple[str, str], int]:
    """(reply id, language) -> the line its text is written on, for the lint's report."""
    tree = yaml.compose(path.read_text(encoding="utf-8"))
    replies = _node_at(tree, ("replies",)) if tree is not None else None
    lines: dict[tuple[str, str], int] = {}
    if not isinstance(replies, yaml.SequenceNode):
        return lines
    for reply in replies.value:
        reply_id = _child(reply, "id")
        texts = _child(reply, "text")
        if not isinstance(reply_id, yaml.ScalarNode) or not isinstance(texts, yaml.MappingNode):
            continue
        for key, value in texts.value:
            lines[(str(reply_id.value), str(key.value))] = value.start_mark.line + 1
    return lines
