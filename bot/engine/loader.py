"""Load scripts and policy from YAML text, keeping line numbers for errors.

The caller reads the files (the engine does no I/O); the loader turns text into
validated models or a ScriptError whose problems point at file and line.
"""

from __future__ import annotations

import re
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from bot.domain.policy import Policy
from bot.engine.errors import ScriptError, ScriptProblem
from bot.engine.script import Script

Path_ = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)


# libyaml's parser when PyYAML was built with it: the pure-Python one spent most of
# the time of loading a script (and of every test and mutant that loads one).
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Yaml12Loader(_SafeLoader):  # type: ignore[valid-type,misc]
    """YAML 1.2 booleans: only true/false. In YAML 1.1 `yes`, `no`, `on` and `off`
    are booleans, which turns a choice id `yes` into True behind a manager's back."""


_Yaml12Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in _SafeLoader.yaml_implicit_resolvers.items()
}
_Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


def _line_map(node: yaml.Node, path: Path_, lines: dict[Path_, int]) -> None:
    # A mapping key's own line wins over its value's: "states.verify" is the
    # line that says "verify:".
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            line = key_node.start_mark.line + 1
            if (*path, key) in lines:
                first = lines[(*path, key)]
                message = f"{key!r} is written twice in this mapping (first on line {first})"
                raise _DuplicateKey(line, message)
            lines[(*path, key)] = line
            _line_map(value_node, (*path, key), lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _line_map(item, (*path, index), lines)


class _DuplicateKey(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


def parse_yaml(text: str, filename: str) -> tuple[Any, dict[Path_, int]]:
    """Parse YAML safely and return the data with a path -> line map."""
    loader = _Yaml12Loader(text)
    try:
        # Parsed once: the nodes give the lines, and the data is built from them.
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        raise ScriptError([ScriptProblem(filename, line, None, f"invalid YAML: {exc}")]) from exc
    finally:
        loader.dispose()
    lines: dict[Path_, int] = {}
    if node is not None:
        try:
            _line_map(node, (), lines)
        except _DuplicateKey as exc:
            # YAML keeps the last of two equal keys without a word: an edit would vanish.
            raise ScriptError([ScriptProblem(filename, exc.line, None, str(exc))]) from exc
    return data, lines


def line_for(lines: dict[Path_, int], path: Path_) -> int:
    """The line of the deepest known prefix of path (pydantic paths may go deeper)."""
    path = _as_written(lines, path)
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return 1


def _as_written(lines: dict[Path_, int], path: Path_) -> Path_:
    """The path as the YAML has it: a list of one may be written as its item alone (a
    meaning's route as a mapping, an action as a name), and then index 0 is not there."""
    written: Path_ = ()
    for part in path:
        if part == 0 and written in lines and (*written, 0) not in lines:
            continue
        written = (*written, part)
    return written


def state_of(path: Path_) -> str | None:
    if len(path) >= 2 and path[0] == "states":
        return str(path[1])
    return None


def _problems(exc: ValidationError, filename: str, lines: dict[Path_, int]) -> list[ScriptProblem]:
    problems = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        where = ".".join(str(p) for p in loc) or "(top)"
        problems.append(
            ScriptProblem(filename, line_for(lines, loc), state_of(loc), f"{where}: {error['msg']}")
        )
    return problems


def _validate(model: type[M], text: str, filename: str) -> tuple[M, dict[Path_, int]]:
    data, lines = parse_yaml(text, filename)
    if not isinstance(data, dict):
        raise ScriptError([ScriptProblem(filename, 1, None, "expected a mapping at the top level")])
    try:
        return model.model_validate(data), lines
    except ValidationError as exc:
        raise ScriptError(_problems(exc, filename, lines)) from exc


def load_script(text: str, filename: str) -> tuple[Script, dict[Path_, int]]:
    """Schema-validate a script; semantic checks are in bot.engine.validator."""
    return _validate(Script, text, filename)


def load_policy(text: str, filename: str) -> Policy:
    policy, _ = _validate(Policy, text, filename)
    return policy
