"""Examples as data, the model file, and rebuilding when the data changes."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from bot.understanding.examples import ExampleError, fingerprint, load_examples
from bot.understanding.labels import MEANINGS, Meaning
from bot.understanding.model import IntentModel, ModelError
from bot.understanding.text import prepare
from bot.understanding.train import load_or_train, train

ROOT = Path(__file__).resolve().parents[2]


def _write_small_set(directory: Path) -> None:
    """Two messages for each meaning, enough for a model to be fitted."""
    lines = []
    for meaning in MEANINGS:
        lines += [f"[{meaning}]", f"{meaning} one", f"{meaning} two please", ""]
    (directory / "en.small.txt").write_text("\n".join(lines), encoding="utf-8")


def test_examples_are_read_by_intent_and_locale(tmp_path: Path) -> None:
    (tmp_path / "zh_Hant.demo.txt").write_text(
        "// a comment\n[confirm]\n好\n\n[decline]\n唔使\n", encoding="utf-8"
    )
    examples = load_examples(tmp_path)
    assert [(e.text, e.intent, e.locale) for e in examples] == [
        ("好", Meaning.CONFIRM, "zh_Hant"),
        ("唔使", Meaning.DECLINE, "zh_Hant"),
    ]


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("en.x.txt", "[nonsense]\nhi\n", "unknown intent"),
        ("en.x.txt", "hi before a header\n", "before any \\[intent\\]"),
        ("fr.x.txt", "[confirm]\noui\n", "must start with a locale"),
    ],
)
def test_bad_example_files_name_the_problem(
    tmp_path: Path, name: str, content: str, problem: str
) -> None:
    (tmp_path / name).write_text(content, encoding="utf-8")
    with pytest.raises(ExampleError, match=problem):
        load_examples(tmp_path)


def test_a_model_is_rebuilt_only_when_its_data_changes(tmp_path: Path) -> None:
    data = tmp_path / "train"
    data.mkdir()
    _write_small_set(data)
    path = tmp_path / "model.json"
    built = train(data, path)
    assert built.fingerprint == fingerprint(data)
    assert load_or_train(data, path) == built
    with (data / "en.small.txt").open("a", encoding="utf-8") as extra:
        extra.write("\n[confirm]\nyes indeed\n")
    rebuilt = load_or_train(data, path)
    assert rebuilt.fingerprint == fingerprint(data) != built.fingerprint
    assert IntentModel.load(path) == rebuilt


def test_a_damaged_cached_model_is_rebuilt(tmp_path: Path) -> None:
    data = tmp_path / "train"
    data.mkdir()
    _write_small_set(data)
    path = tmp_path / "model.json"
    path.write_text("{half a file", encoding="utf-8")
    model = load_or_train(data, path)
    assert IntentModel.load(path) == model


def test_the_exported_model_scores_like_the_one_in_memory(tmp_path: Path) -> None:
    data = tmp_path / "train"
    data.mkdir()
    _write_small_set(data)
    model = train(data, tmp_path / "model.json")
    again = IntentModel.from_json(model.to_json())
    probabilities = again.probabilities(prepare("confirm two please"))
    assert probabilities == model.probabilities(prepare("confirm two please"))
    assert sum(probabilities.values()) == pytest.approx(1.0)
    assert max(probabilities, key=probabilities.__getitem__) is Meaning.CONFIRM


@pytest.mark.parametrize(
    "content",
    [
        "not json",
        '{"version": 99, "labels": [], "intercepts": [], "weights": {}, "fingerprint": ""}',
        '{"version": 1, "labels": ["confirm"], "intercepts": [0], "fingerprint": "",'
        ' "weights": {"a": [1.0, 0.5, 0.5]}}',
    ],
)
def test_a_damaged_model_file_is_refused(tmp_path: Path, content: str) -> None:
    path = tmp_path / "model.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ModelError):
        IntentModel.load(path)


def test_a_missing_model_file_is_a_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="cannot read"):
        IntentModel.load(tmp_path / "absent.json")


# Modules on the classify path: pure, no framework, no scikit-learn, no files.
RUN_TIME = (
    "labels",
    "text",
    "features",
    "model",
    "crisis",
    "cues",
    "yesno",
    "amounts",
    "dates",
    "charges",
    "understand",
)
FORBIDDEN = (
    *("sklearn", "numpy", "scipy", "aiogram", "telegram", "sqlmodel", "sqlalchemy"),
    *("httpx", "aiohttp", "asyncio", "bot.store", "bot.service", "bot.channels"),
)


@pytest.mark.parametrize("module", RUN_TIME)
def test_the_classify_path_is_pure(module: str) -> None:
    tree = ast.parse((ROOT / "bot" / "understanding" / f"{module}.py").read_text("utf-8"))
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        for name in names:
            assert not any(name == f or name.startswith(f + ".") for f in FORBIDDEN), name
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            assert node.func.id not in ("open", "print", "input", "eval", "exec")
