"""`repaybot dialogs check`: every broken script is refused with file, line and state."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.engine.errors import ScriptError
from bot.service.scripts import check_dialogs, load_dialogs

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = (ROOT / "dialogs" / "repayment.yaml").read_text(encoding="utf-8")


def line_of(text: str, needle: str) -> int:
    return text.splitlines().index(next(line for line in text.splitlines() if needle in line)) + 1


def broken(tmp_path: Path, old: str, new: str) -> tuple[Path, str]:
    assert old in SCRIPT, old
    text = SCRIPT.replace(old, new, 1)
    directory = tmp_path / "dialogs"
    directory.mkdir()
    shutil.copy(ROOT / "dialogs" / "policy.yaml", directory / "policy.yaml")
    (directory / "repayment.yaml").write_text(text, encoding="utf-8")
    return directory, text


@pytest.mark.rule("R6", "R9", "R10")
def test_the_shipped_dialogs_and_catalogs_are_valid() -> None:
    assert check_dialogs(ROOT / "dialogs", ROOT / "locales") == []


CASES = [
    # (what to break, replacement, text on the reported line, state, words in the message)
    (
        "      - {to: verify_retry}",
        "      - {to: verify_retyr}",
        "verify_retyr",
        "verify",
        "unknown state",
    ),
    (
        "  goodbye:\n",
        '  orphan:\n    public: true\n    end: true\n    say:\n      - {id: x, text: "Bye"}\n\n  goodbye:\n',
        "  orphan:",
        "orphan",
        "unreachable",
    ),
    (
        "    actions: [verify_identity]",
        "    actions: [verify_idnetity]",
        "verify_idnetity",
        "verify",
        "undefined action",
    ),
    (
        'text: "Total due: {collectible_total}"',
        'text: "Total due: {colectible_total}"',
        "colectible_total",
        "statement",
        "undefined placeholder",
    ),
    (
        "Hello, this is the automated assistant of {lender}.",
        "Hello {borrower_name}, this is the automated assistant of {lender}.",
        "Hello {borrower_name}",
        "greeting",
        "R5",
    ),
    (
        "I can help you with your account",
        "Pay today or we will call the police. I can help you with your account",
        "call the police",
        "greeting",
        "R9",
    ),
    (
        "Please tell me briefly why",
        "Borrow from a friend and pay us. Please tell me briefly why",
        "Borrow from",
        "dispute_reason",
        "R10",
    ),
    (
        '        text: "That date has already passed.',
        '        text: "你不还就报警。That date has already passed.',
        "报警",
        "promise_past",
        "R9",
    ),
    (
        'when: "verified"}\n  stop',
        'when: "verified and"}\n  stop',
        "verified and",
        None,
        "invalid expression",
    ),
    (
        "      - {to: promise_too_far}",
        "      - {to: promise_too_far, when: \"promise_check == 'x'\"}",
        "promise_too_far, when",
        "promise_decide",
        "dead end",
    ),
    (
        "    input:\n      type: text\n      store: dispute_reason",
        "    colour: blue\n    input:\n      type: text\n      store: dispute_reason",
        "colour: blue",
        "dispute_reason",
        "Extra inputs are not permitted",
    ),
    ("  human: {to: handoff, detour: true}\n  complaint", "  complaint", "intents:", None, "R13"),
    ("      - pause_collection: {reason: crisis}\n", "", "  crisis: {to: crisis}", "crisis", "R12"),
    # The action's declared outcomes catch a guard that can never hold (a typo).
    (
        "when: \"promise_check == 'in_past'\"",
        "when: \"promise_check == 'in_pass'\"",
        "in_pass",
        "promise_decide",
        "'promise_check' is never 'in_pass'",
    ),
    (
        "triggers: {reminder: {to: reminder},",
        "triggers: {reminder: {to: reminders},",
        "triggers: {reminder: {to: reminders}",
        None,
        "unknown",
    ),
    # Each part of a state, written in block style so that every key has its own line:
    # the problem must be reported on the line of the key that is wrong.
    ('      max: "today"', '      max: "today and"', 'max: "today and"', "verify", "invalid"),
    (
        '      max: "today"',
        '      min: "today +"\n      max: "today"',
        'min: "today +"',
        "verify",
        "invalid expression",
    ),
    (
        "      invalid: bad_date\n    actions: [verify_identity]",
        "      invalid: bad_dat\n    actions: [verify_identity]",
        "invalid: bad_dat",
        "verify",
        "'bad_dat' is not in `messages`",
    ),
    (
        '      - {to: statement, when: "verified"}',
        '      - to: statement\n        when: "verified and"',
        'when: "verified and"',
        "verify",
        "invalid expression",
    ),
    (
        '        when: "said_monthly"',
        '        when: "said_monthly and"',
        'when: "said_monthly and"',
        "menu",
        "invalid expression",
    ),
    (
        "        actions: [propose_monthly]\n      installment: {choice: plan}",
        "        actions: [propose_monthy]\n      installment: {choice: plan}",
        "propose_monthy",
        "menu",
        "undefined action",
    ),
    (
        '      installment: {choice: plan}\n      # "Can I move it to the 10th?": the option that reaches that day, else the options.',
        '      installment: {choice: plann}\n      # "Can I move it to the 10th?": the option that reaches that day, else the options.',
        "choice: plann",
        "menu",
        "routes to unknown choice 'plann'",
    ),
    (
        '      installment: {choice: plan}\n      # "Can I move it to the 10th?": the option that reaches that day, else the options.',
        '      instalment: {choice: plan}\n      # "Can I move it to the 10th?": the option that reaches that day, else the options.',
        "instalment:",
        "menu",
        "unknown meaning 'instalment'",
    ),
    (
        '      - {id: pay_full, label: "Pay the full amount", to: promise, when: "has_balance and not collection_paused"}',
        '      - id: pay_full\n        label: "Pay the full amount"\n        to: promise\n        when: "has_balance and"',
        'when: "has_balance and"',
        "menu",
        "invalid expression",
    ),
    (
        '      - {id: yes, label: "Yes, record it", to: promise_done, actions: [create_promise]}',
        '      - id: "yes"\n        label: "Yes, record it"\n        to: promise_done\n        actions: [create_promis]',
        "create_promis",
        "promise_confirm",
        "undefined action",
    ),
    (
        '      each: "plan_options"\n      id: id',
        '      each: "plan_options and"\n      id: id',
        'each: "plan_options and"',
        "plan_options",
        "invalid expression",
    ),
    (
        "      to: plan_confirm\n      actions: [choose_plan]",
        "      to: plan_confirm\n      actions:\n        - bogus_actoin",
        "bogus_actoin",
        "plan_options",
        "undefined action",
    ),
    (
        '        text: "{months} payment of {installment}"',
        '        text: "{months} payment of {instalment}"',
        "{instalment}",
        "plan_options",
        "undefined placeholder",
    ),
    (
        '      - {to: locked, when: "locked"}',
        '      - when: "locked"\n        to: lockd',
        "to: lockd",
        "greeting",
        "unknown state 'lockd'",
    ),
    (
        '      - {id: person, label: "Talk to a person", to: handoff}\n      - {id: done',
        '      - id: person\n        label: "Talk to a person"\n        to: hand_off\n      - {id: done',
        "to: hand_off",
        "locked",
        "unknown state 'hand_off'",
    ),
    (
        "      to: plan_confirm\n      actions: [choose_plan]",
        "      to: plan_confirn\n      actions: [choose_plan]",
        "to: plan_confirn",
        "plan_options",
        "unknown state 'plan_confirn'",
    ),
    (
        "        to: plan_decision\n        actions: [propose_monthly]",
        "        to: plan_decison\n        actions: [propose_monthly]",
        "to: plan_decison",
        "menu",
        "unknown state 'plan_decison'",
    ),
    (
        '        when: "has_disputes"',
        '        when: "has_disputes and"',
        'when: "has_disputes and"',
        "statement",
        "invalid expression",
    ),
    (
        '        each: "undisputed_charges"',
        '        each: "undisputed_charges |"',
        'each: "undisputed_charges |"',
        "statement",
        "invalid expression",
    ),
    (
        "  human: {to: handoff, detour: true}",
        "  human:\n    detour: true\n    to: goodbye",
        "to: goodbye",
        "goodbye",
        "R13: the human route does not escalate",
    ),
    (
        "  crisis: {to: crisis}",
        "  crisis:\n    detour: false\n    to: help",
        "to: help",
        "help",
        "R12: crisis must pause collection and escalate urgently",
    ),
]


@pytest.mark.rule("R5", "R9", "R10", "R12", "R13")
@pytest.mark.parametrize(("old", "new", "needle", "state", "words"), CASES)
def test_each_problem_names_file_line_and_state(
    tmp_path: Path, old: str, new: str, needle: str, state: str | None, words: str
) -> None:
    directory, text = broken(tmp_path, old, new)
    problems = check_dialogs(directory, None)
    matching = [p for p in problems if words in p.message]
    assert matching, [str(p) for p in problems]
    problem = matching[0]
    assert problem.file.endswith("repayment.yaml")
    if needle:
        assert problem.line == line_of(text, needle), str(problem)
    if state is not None:
        assert problem.state == state
    with pytest.raises(ScriptError):
        load_dialogs(directory, None)  # a broken script never loads


def test_a_key_written_twice_is_refused_at_its_second_line(tmp_path: Path) -> None:
    # YAML lets the second silently replace the first: a manager's edit would vanish.
    directory, text = broken(
        tmp_path,
        "      to: plan_confirm\n      actions: [choose_plan]",
        "      to: plan_confirm\n      actions: [choose_plan]\n      actions: [escalate]",
    )
    (problem,) = check_dialogs(directory, None)
    first = line_of(text, "actions: [choose_plan]")
    assert problem.message == f"'actions' is written twice in this mapping (first on line {first})"
    assert problem.line == line_of(text, "actions: [escalate]")
    with pytest.raises(ScriptError):
        load_dialogs(directory, None)


def test_yaml_syntax_error_names_its_line(tmp_path: Path) -> None:
    directory, text = broken(tmp_path, "  greeting:\n", "  greeting:\n    say: [unclosed\n")
    (problem,) = check_dialogs(directory, None)
    assert "invalid YAML" in problem.message
    assert problem.line >= line_of(text, "say: [unclosed")


def test_a_missing_translation_is_reported(tmp_path: Path) -> None:
    directory, _ = broken(
        tmp_path, "Sorry, I didn't understand that.", "Sorry, I did not get that."
    )
    problems = check_dialogs(directory, ROOT / "locales")
    assert any("repayment.not_understood" in p.message and "zh_Hant" in p.message for p in problems)


def test_a_broken_policy_is_reported(tmp_path: Path) -> None:
    directory, _ = broken(tmp_path, "id: repayment", "id: repayment")
    policy = (directory / "policy.yaml").read_text(encoding="utf-8")
    (directory / "policy.yaml").write_text(
        policy.replace("max_term_months: 12", "max_term_months: 2")
    )
    (problem,) = check_dialogs(directory, None)
    assert problem.file.endswith("policy.yaml")
    assert "term 3 is outside" in problem.message


def test_the_command_exits_non_zero_and_prints_each_problem(tmp_path: Path) -> None:
    directory, _ = broken(tmp_path, "    actions: [verify_identity]", "    actions: [nope]")
    run = subprocess.run(
        [sys.executable, "-m", "bot", "dialogs", "check", "--dir", str(directory)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1
    assert "repayment.yaml:" in run.stderr and "[state verify]" in run.stderr
    assert "undefined action 'nope'" in run.stderr
