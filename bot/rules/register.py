"""The rules register: for each rule of docs/rulebook.md, where it is enforced and what proves it.

Enforcement points are named here, in one table, as `module:qualname` (a
function, class or constant of the bot) or `dialogs/<file>.yaml:<path>` (a
part of a script). Each name is resolved, so a renamed function breaks the
register's test instead of leaving a stale entry. Tests name the rule they
prove with `@pytest.mark.rule("R5")`; they are found by reading the test
files, not by running them, so `repaybot rules` is quick and needs no
database.
"""

from __future__ import annotations

import ast
import importlib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.config import ROOT

RULEBOOK = ROOT / "docs" / "rulebook.md"
TESTS = ROOT / "tests"

# Where each rule is enforced. Keep it to the guard or check that decides, not every caller.
ENFORCEMENT: Mapping[str, tuple[str, ...]] = {
    "R1": (
        "bot.domain.contact_hours:hours_allow",
        "bot.domain.contact_hours:zones_for",
        "bot.domain.contact_hours:allowed_intervals",
        "bot.domain.cadence:check_hours",
        "bot.service.reminders.sender:send_due",
        "bot.domain.contact_rules:follow_up_check",
    ),
    "R2": (
        "bot.domain.contact_rules:r2_earliest",
        "bot.domain.cadence:check_counts",
        "bot.service.reminders.planner:plan_reminders",
        "bot.service.reminders.sender:send_due",
        "bot.domain.contact_rules:follow_up_check",
        "bot.service.promise_followup:_count_for_r2",
    ),
    "R3": (
        "bot.understanding.cues:asks_to_stop",
        "bot.engine.actions:opt_out",
        "bot.domain.compliance:bot_initiated_has_opt_out",
        "bot.engine.validator:_Validator.check_opt_out",
        "dialogs/repayment.yaml:triggers.reminder",
        "bot.engine.actions:opt_in",
        "dialogs/repayment.yaml:states.opt_in_confirm",
        "bot.domain.contact_rules:follow_up_check",
        "bot.domain.contact_rules:hold",
    ),
    "R4": (
        "bot.understanding.quiet_hours:read_quiet_windows",
        "bot.engine.router:_quiet_request",
        "dialogs/repayment.yaml:states.quiet_confirm",
        "bot.engine.actions:save_quiet_windows",
        "bot.domain.quiet_windows:is_quiet",
        "bot.domain.contact_rules:follow_up_check",
        "bot.domain.contact_hours:quiet_now",
        "bot.domain.contact_hours:allowed_intervals",
        "bot.service.reminders.sender:send_due",
    ),
    "R5": (
        "bot.engine.validator:_Validator.check_message",
        "bot.engine.actions:verify_identity",
        "bot.service.linking:redeem_token",
        "bot.service.linking:link_by_contact",
        "bot.service.runtime:Runtime._group",
    ),
    "R6": (
        "bot.engine.validator:_Validator.check_first_contact",
        "bot.engine.validator:validate_texts",
        "bot.service.sent_texts:FIRST_CONTACT_IDS",
        "bot.domain.compliance:first_contact_problems",
        "dialogs/repayment.yaml:states.greeting",
    ),
    "R7": (
        "bot.engine.scope:_account_names_on_of",
        "bot.i18n.render:Translator.format_param",
        "bot.domain.accounts:collectable_amount",
        "bot.domain.accounts:unpaid_installments",
        "dialogs/repayment.yaml:states.statement",
    ),
    "R8": (
        "bot.engine.actions:record_dispute",
        "bot.engine.actions:ActionRun.collectible",
        "bot.service.effects:_record_dispute",
        "bot.service.disputes_desk:resolve",
        "bot.domain.contact_rules:hold",
        "bot.domain.accounts:dispute_suspends",
        "bot.domain.accounts:collectable_amount",
        "bot.engine.machine:_Step._nothing_due",
        "bot.service.triggers:nothing_to_ask",
        "dialogs/repayment.yaml:states.nothing_due",
    ),
    "R9": (
        "bot.domain.compliance:find_violations",
        "bot.domain.threat_patterns:find_findings",
        "bot.engine.validator:_Validator.check_texts",
        "bot.engine.validator:validate_texts",
        "bot.service.sent_texts:check_sent_texts",
        "bot.service.sent_texts:policy_sent_texts",
        "bot.domain.compliance:lender_text_problem",
        "bot.service.import_validation:RowValidator._shown_text_problem",
    ),
    "R10": (
        "bot.domain.compliance:find_violations",
        "bot.domain.threat_patterns:find_findings",
        "bot.engine.validator:_Validator.check_texts",
        "bot.engine.validator:validate_texts",
        "bot.service.sent_texts:check_sent_texts",
        "bot.domain.compliance:lender_text_problem",
        "bot.service.import_validation:RowValidator._shown_text_problem",
        "bot.domain.plans:promise_date_ok",
    ),
    "R11": (
        "bot.understanding.cues:mentions_hardship",
        "bot.engine.router:_always_on",
        "dialogs/repayment.yaml:states.hardship",
    ),
    "R12": (
        "bot.understanding.crisis:words_level",
        "bot.understanding.crisis:crisis_level",
        "bot.understanding.quiet:quiet_signs",
        "bot.engine.router:_possible_crisis",
        "bot.service.safety_checks:raise_unanswered_safety_checks",
        "bot.engine.actions:pause_collection",
        "bot.service.runtime:Runtime._watch_for_crisis",
        "bot.service.desk_timers:in_crisis",
        "bot.engine.machine:_Step._guard",
        "bot.engine.validator:_Validator.check_rules",
        "dialogs/repayment.yaml:states.crisis",
        "dialogs/repayment.yaml:states.crisis_check",
        "dialogs/repayment.yaml:states.collection_paused",
    ),
    "R13": (
        "bot.engine.validator:_Validator.check_rules",
        "bot.engine.machine:_Step._failed_input",
        "bot.understanding.cues:asks_for_person",
        "bot.engine.router:wants_person",
        "dialogs/repayment.yaml:states.handoff",
    ),
    "R14": (
        "dialogs/repayment.yaml:states.plan_refused",
        "dialogs/repayment.yaml:states.handoff_review",
    ),
    "R15": (
        "bot.understanding.cues:complains",
        "bot.engine.router:_always_on",
        "bot.service.effects:_escalate",
        "bot.domain.policy:CasePolicy",
    ),
    "R16": (
        "bot.engine.machine:_Step._guard",
        "bot.engine.machine:_Step._collection_paused",
        "bot.service.runtime:Runtime.on_trigger",
        "bot.service.triggers:silenced",
        "bot.domain.contact_rules:hold",
        "bot.domain.accounts:breathing_space_on",
        "bot.store.bulk_import:Staging.merge",
    ),
    "R17": (
        "bot.store.tables:TranscriptRow",
        "bot.service.queueing:Queue._add",
        "bot.service.kept:transcript_in",
        "bot.service.kept:adopt_transcript",
        "bot.domain.records:RecordsPolicy",
        "bot.service.retention:purge",
        "bot.service.periodic:jobs",
    ),
    "R18": (
        "bot.service.linking:hash_token",
        "bot.service.kept:gives_birth_date",
        "bot.engine.machine:_Step._keep_answer",
        "bot.service.inbox:claim_kept",
        "bot.service.erasure:erase_account",
        "bot.service.erasure:let_go",
    ),
}
# Rules whose enforcement does not exist yet, and who builds it. The register
# shows them as planned instead of passing them silently or failing the suite.
PLANNED: Mapping[str, str] = {}
# Rules enforced and tested in part: what is missing (issue 34 point 8). They are
# shown as partial, never counted as enforced, until the missing part runs too.
PARTIAL: Mapping[str, str] = {}
# Known gaps, shown beside the status.
GAPS: Mapping[str, str] = {
    "R18": "erasure covers the tables of issue 31's point 7; tables added since must be "
    "added to bot.service.erasure (its test searches every table)",
}

_RULE_ROW = re.compile(r"^\|\s*(R\d+)\s*\|\s*([^|]+?)\s*\|")


@dataclass(frozen=True)
class Rule:
    rule_id: str
    text: str


@dataclass(frozen=True)
class RegisterRow:
    rule: Rule
    enforced_by: tuple[str, ...]
    unresolved: tuple[str, ...]
    tests: tuple[str, ...]
    status: str
    gap: str


def read_rulebook(path: Path = RULEBOOK) -> tuple[Rule, ...]:
    """The rules of the rulebook's table, in order."""
    rules = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _RULE_ROW.match(line)
        if match:
            rules.append(Rule(match.group(1), match.group(2)))
    return tuple(rules)


def _resolve_code(target: str) -> bool:
    module_name, _, qualname = target.partition(":")
    try:
        obj: object = importlib.import_module(module_name)
    except ImportError:
        return False
    for part in qualname.split("."):
        if not hasattr(obj, part):
            return False
        obj = getattr(obj, part)
    return True


def _resolve_script(target: str, root: Path) -> bool:
    file_name, _, key_path = target.partition(":")
    path = root / file_name
    if not path.is_file():
        return False
    node: object = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key in key_path.split("."):
        if not isinstance(node, dict) or key not in node:
            return False
        node = node[key]
    return True


def resolves(target: str, root: Path = ROOT) -> bool:
    """Whether an enforcement point still exists under its name."""
    if target.startswith("dialogs/"):
        return _resolve_script(target, root)
    return _resolve_code(target)


def _rule_ids(decorator: ast.expr) -> Iterator[str]:
    """Rule ids of `pytest.mark.rule("R5", ...)` (or `mark.rule(...)`)."""
    if not isinstance(decorator, ast.Call):
        return
    func = decorator.func
    if isinstance(func, ast.Attribute) and func.attr == "rule":
        for arg in decorator.args:
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                yield arg.value


def tagged_tests(tests_dir: Path = TESTS) -> dict[str, list[str]]:
    """rule id -> ["tests/x/test_y.py::test_name", ...] from the rule markers."""
    found: dict[str, list[str]] = {}
    for path in sorted(tests_dir.rglob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        name = path.relative_to(tests_dir.parent).as_posix()
        module_rules: list[str] = []
        for statement in tree.body:
            if isinstance(statement, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "pytestmark" for t in statement.targets
            ):
                value = statement.value
                marks = value.elts if isinstance(value, ast.List) else [value]
                for mark in marks:
                    module_rules.extend(_rule_ids(mark))
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if not node.name.startswith("test"):
                continue
            rules = [r for d in node.decorator_list for r in _rule_ids(d)] + module_rules
            for rule_id in dict.fromkeys(rules):
                found.setdefault(rule_id, []).append(f"{name}::{node.name}")
    return found


def build_register(
    rulebook: Path = RULEBOOK, tests_dir: Path = TESTS, root: Path = ROOT
) -> tuple[RegisterRow, ...]:
    """One row per rule: enforcement points, tests, and whether the rule is covered."""
    tests = tagged_tests(tests_dir) if tests_dir.is_dir() else {}
    rows = []
    for rule in read_rulebook(rulebook):
        points = ENFORCEMENT.get(rule.rule_id, ())
        unresolved = tuple(p for p in points if not resolves(p, root))
        proving = tuple(tests.get(rule.rule_id, ()))
        if rule.rule_id in PLANNED:
            status = PLANNED[rule.rule_id]
        elif not points or unresolved:
            status = "MISSING: no enforcing code" if not points else "BROKEN: stale name"
        elif not proving:
            status = "MISSING: no test"
        elif rule.rule_id in PARTIAL:
            status = PARTIAL[rule.rule_id]
        else:
            status = "enforced and tested"
        rows.append(
            RegisterRow(rule, points, unresolved, proving, status, GAPS.get(rule.rule_id, ""))
        )
    return tuple(rows)


def unknown_rule_tags(rulebook: Path = RULEBOOK, tests_dir: Path = TESTS) -> dict[str, list[str]]:
    """Tags naming a rule the rulebook does not have (a typo proves nothing)."""
    known = {rule.rule_id for rule in read_rulebook(rulebook)}
    return {k: v for k, v in tagged_tests(tests_dir).items() if k not in known}


def format_register(rows: tuple[RegisterRow, ...]) -> str:
    """The register as a Markdown table an auditor can read (or paste)."""
    lines = [
        "| rule | status | enforced by | proved by tests | known gap |",
        "|---|---|---|---|---|",
    ]
    for row in rows:
        summary = row.rule.text if len(row.rule.text) <= 60 else row.rule.text[:57] + "..."
        enforced = "<br>".join(
            f"`{p}`" + (" (NOT FOUND)" if p in row.unresolved else "") for p in row.enforced_by
        )
        tests = "<br>".join(f"`{t}`" for t in row.tests)
        lines.append(
            f"| **{row.rule.rule_id}** {summary} | {row.status} | {enforced or '-'}"
            f" | {tests or '-'} | {row.gap or '-'} |"
        )
    covered = sum(r.status == "enforced and tested" for r in rows)
    partial = sum(r.status.startswith("partial:") for r in rows)
    planned = sum(r.rule.rule_id in PLANNED for r in rows)
    lines.append("")
    lines.append(
        f"{covered} of {len(rows)} rules enforced and tested, {partial} partial,"
        f" {planned} planned, {len(rows) - covered - partial - planned} missing."
    )
    return "\n".join(lines)
