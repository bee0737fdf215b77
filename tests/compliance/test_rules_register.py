"""The rules register: every rule of the rulebook has enforcing code and a test that proves it.

This test is part of the normal suite, so `make test` fails when a rule loses
its enforcement (a renamed guard) or its last test. R1, R2 and R4 were planned
until the reminders' planner and sender (issue 31) enforced them; nothing is
planned now, and this test fails when a rule is added to the planned list.
"""

from __future__ import annotations

import io
import re
from contextlib import redirect_stdout
from pathlib import Path

from bot.cli import main
from bot.rules.register import (
    ENFORCEMENT,
    PARTIAL,
    PLANNED,
    build_register,
    read_rulebook,
    resolves,
    tagged_tests,
    unknown_rule_tags,
)

ROOT = Path(__file__).resolve().parents[2]
OUTBOUND_RULES = {"R1", "R2", "R4"}  # enforced by the reminders' planner and sender


def test_the_register_reads_all_eighteen_rules_from_the_project_copy() -> None:
    rules = read_rulebook()
    assert [r.rule_id for r in rules] == [f"R{n}" for n in range(1, 19)]
    assert rules[12].text.startswith("A person is always reachable")


def test_every_rule_is_enforced_and_tested() -> None:
    rows = build_register()
    uncovered = {r.rule.rule_id: r.status for r in rows if r.status != "enforced and tested"}
    # Issue 34 point 8: a rule enforced in part would be shown as partial, with what is
    # missing; since retention and erasure (issue 31) none is.
    assert uncovered == {}
    assert dict(PARTIAL) == {}
    assert dict(PLANNED) == {}
    for row in rows:
        if row.rule.rule_id in OUTBOUND_RULES:
            assert any(point.startswith("bot.service.reminders") for point in row.enforced_by)
            assert any("tests/reminders/" in test for test in row.tests)
            assert any("tests/domain/test_contact_rules.py" in test for test in row.tests)


def test_every_enforcement_point_exists_under_its_name() -> None:
    missing = [p for points in ENFORCEMENT.values() for p in points if not resolves(p)]
    assert missing == []
    assert not resolves("bot.engine.validator:_Validator.check_nothing")
    assert not resolves("dialogs/repayment.yaml:states.no_such_state")


def test_every_tag_names_a_rule_of_the_rulebook() -> None:
    assert unknown_rule_tags() == {}


def test_a_test_named_after_rules_is_tagged_with_exactly_those() -> None:
    """`test_..._R5_R13` carries rule("R5", "R13"): a tag a merge moved to the
    neighbouring test, or a name that no longer says what it proves, shows here."""
    tags: dict[str, set[str]] = {}
    for rule_id, tests in tagged_tests().items():
        for test in tests:
            tags.setdefault(test, set()).add(rule_id)
    named = {
        f"{path.relative_to(ROOT).as_posix()}::{match.group(1)}": set(
            re.findall(r"_(R\d+)", match.group(1))
        )
        for path in sorted((ROOT / "tests").rglob("test_*.py"))
        for match in re.finditer(
            r"^(?:async )?def (test_\w*_R\d\w*)\(", path.read_text(encoding="utf-8"), re.M
        )
    }
    assert len(named) > 30
    wrong = {test: sorted(rules) for test, rules in named.items() if tags.get(test) != rules}
    assert wrong == {}


def test_tags_are_found_on_functions_and_modules(tmp_path: Path) -> None:
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "test_x.py").write_text(
        "import pytest\n"
        "pytestmark = [pytest.mark.rule('R3')]\n"
        "@pytest.mark.rule('R5', 'R6')\n"
        "@pytest.mark.parametrize('x', [1])\n"
        "async def test_a(x): pass\n"
        "def test_b(): pass\n"
        "def helper(): pass\n",
        encoding="utf-8",
    )
    assert tagged_tests(tests) == {
        "R5": ["tests/test_x.py::test_a"],
        "R6": ["tests/test_x.py::test_a"],
        "R3": ["tests/test_x.py::test_a", "tests/test_x.py::test_b"],
    }


def test_a_rule_without_a_test_is_reported_missing(tmp_path: Path) -> None:
    tests = tmp_path / "tests"
    tests.mkdir()
    rows = {r.rule.rule_id: r for r in build_register(tests_dir=tests)}
    assert rows["R5"].status == "MISSING: no test"
    assert rows["R1"].status == "MISSING: no test"


def test_repaybot_rules_prints_a_table_per_rule() -> None:
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(["rules"])
    text = out.getvalue()
    assert code == 0
    for n in range(1, 19):
        assert f"| **R{n}** " in text
    assert "planned: reminders issue" not in text
    assert "tests/engine/test_repayment_paths.py::test_human_command_and_button_R13" in text
    assert "`bot.engine.validator:_Validator.check_first_contact`" in text
    assert "`bot.domain.contact_hours:hours_allow`" in text
    assert "18 of 18 rules enforced and tested, 0 partial, 0 planned, 0 missing." in text
    assert "| partial: missing" not in text
