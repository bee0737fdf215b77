"""The layering rules of DESIGN.md, enforced: domain/ and engine/ stay pure."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = (
    "aiogram",
    "telegram",
    "sqlmodel",
    "sqlalchemy",
    "fastapi",
    "httpx",
    "aiohttp",
    "alembic",
    "asyncio",
    "socket",
    "subprocess",
    "requests",
    "bot.store",
    "bot.service",
    "bot.channels",
    "bot.i18n",
    "bot.config",
)


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("layer", ["domain", "engine"])
def test_pure_layers_import_no_framework_and_no_io(layer: str) -> None:
    offenders = []
    for path in sorted((ROOT / "bot" / layer).rglob("*.py")):
        for name in _imports(path):
            if any(name == f or name.startswith(f + ".") for f in FORBIDDEN):
                offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offenders == []


@pytest.mark.parametrize("layer", ["domain", "engine"])
def test_pure_layers_do_not_open_files(layer: str) -> None:
    offenders = []
    for path in sorted((ROOT / "bot" / layer).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("open", "eval", "exec", "print", "input")
            ):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} calls {node.func.id}")
    assert offenders == []


def test_no_python_eval_anywhere_in_the_bot() -> None:
    for path in (ROOT / "bot").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in ("eval", "exec"), f"{path}:{node.lineno}"


def test_the_engine_parses_no_text() -> None:
    """Issue 28: the engine takes typed values (an amount, a number, a date) from the
    reading the runtime attached; it imports none of the text readers."""
    readers = ("bot.domain.parsing", "bot.understanding")
    offenders = []
    for path in sorted((ROOT / "bot" / "engine").rglob("*.py")):
        for name in _imports(path):
            if any(name == r or name.startswith(r + ".") for r in readers):
                offenders.append(f"{path.relative_to(ROOT)} imports {name}")
            elif name == "bot.domain":  # `from bot.domain import parsing`
                tree = ast.parse(path.read_text(encoding="utf-8"))
                offenders += [
                    f"{path.relative_to(ROOT)} imports bot.domain.{alias.name}"
                    for node in ast.walk(tree)
                    if isinstance(node, ast.ImportFrom) and node.module == "bot.domain"
                    for alias in node.names
                    if alias.name == "parsing"
                ]
    assert offenders == []


# The one module that normalizes and case-folds a message (issue 28: one reading).
FOLDING_MODULE = "bot/understanding/text.py"
# Modules that normalize text that is not a borrower's message, and why.
NOT_MESSAGE_TEXT = {
    # The R9/R10 lint of the bot's own script texts, so that full-width letters
    # ("ｐｏｌｉｃｅ") cannot slip a threat past it; run on scripts, never on a message.
    "bot/domain/compliance.py": "normalize",
}


def _normalizing_calls(path: Path) -> list[tuple[int, str]]:
    """Where a module calls unicodedata.normalize (however imported) or `.casefold()`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    aliases = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "unicodedata"
        for alias in node.names
        if alias.name == "normalize"
    }
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "casefold":
            found.append((node.lineno, "casefold"))
        elif (
            isinstance(func, ast.Attribute)
            and func.attr == "normalize"
            and isinstance(func.value, ast.Name)
            and func.value.id == "unicodedata"
        ) or (isinstance(func, ast.Name) and func.id in aliases):
            found.append((node.lineno, "normalize"))
    return found


def test_only_the_folding_module_normalizes_a_message() -> None:
    """Issue 28: a message is prepared once, in bot/understanding/text.py; every other
    module takes that preparation. tests/runtime/test_one_reading.py counts the calls."""
    offenders = []
    seen: dict[str, set[str]] = {}
    for path in sorted((ROOT / "bot").rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        for line, call in _normalizing_calls(path):
            seen.setdefault(name, set()).add(call)
            if name != FOLDING_MODULE and NOT_MESSAGE_TEXT.get(name) != call:
                offenders.append(f"{name}:{line} calls {call}")
    assert offenders == []
    assert seen.get(FOLDING_MODULE) == {"normalize", "casefold"}
    # Each exception is still needed: one that no longer normalizes leaves the list.
    assert {name: seen.get(name) for name in NOT_MESSAGE_TEXT} == {
        name: {call} for name, call in NOT_MESSAGE_TEXT.items()
    }


SERVICE_LINES = 400  # issue 28 point 5: a module past this is split, not grown
ESCALATIONS = ROOT / "bot" / "service" / "escalations"  # the package
WRITES = ("update", "insert", "delete")


def test_no_service_module_passes_400_lines() -> None:
    """The runtime, the outbox and the import each grew past 600 lines before they
    were split; the next module to grow is split before it gets there."""
    too_long = {
        str(path.relative_to(ROOT)): lines
        for path in sorted((ROOT / "bot" / "service").rglob("*.py"))
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > SERVICE_LINES
    }
    assert too_long == {}


def _escalation_writes(tree: ast.AST) -> list[int]:
    """Lines that build an EscalationRow or run update/insert/delete on it (by the
    model, or a table taken from it with table_of), or set a field of one."""
    tables = {"EscalationRow"}
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Call)
            and isinstance(node.value.func, ast.Name)
            and node.value.func.id == "table_of"
            and any(isinstance(a, ast.Name) and a.id == "EscalationRow" for a in node.value.args)
        ):
            tables.update(t.id for t in node.targets if isinstance(t, ast.Name))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = node.func.id if isinstance(node.func, ast.Name) else None
            first = node.args[0] if node.args else None
            if name == "EscalationRow" or (
                name in WRITES and isinstance(first, ast.Name) and first.id in tables
            ):
                found.append(node.lineno)
        elif isinstance(node, ast.Assign):
            found.extend(
                node.lineno
                for target in node.targets
                if isinstance(target, ast.Attribute)
                and isinstance(target.value, ast.Name)
                and target.value.id in ("escalation", "escalation_row")
            )
    return sorted(found)


def test_only_the_escalations_module_writes_escalations() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in sorted((ROOT / "bot").rglob("*.py"))
        if ESCALATIONS not in path.parents
        for line in _escalation_writes(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert offenders == []


def test_the_escalation_scan_sees_each_way_of_writing() -> None:
    """The scan must fail on what it is there to catch, or it proves nothing."""
    written = ast.parse(
        "session.add(EscalationRow(ticket='T'))\n"
        "update(EscalationRow).values(status='closed')\n"
        "_E = table_of(EscalationRow)\n"
        "insert(_E).values(ticket='T')\n"
        "escalation.status = 'taken'\n"
        "select(EscalationRow)\n"
    )
    assert _escalation_writes(written) == [1, 2, 4, 5]
    assert (
        _escalation_writes(ast.parse((ESCALATIONS / "__init__.py").read_text(encoding="utf-8")))
        != []
    )
