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
