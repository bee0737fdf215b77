"""`repaybot dialogs check` for the reminder cadence: every stage the policy lists opens
a state the script has, through a trigger of the same name, in a public state (a
reminder may reach a borrower who has not proved who they are yet, R5).

The policy model already checks the numbers (offsets in order, hours inside R1,
counts inside R2); what needs the script too is checked here, naming the policy's
file and line.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from bot.domain.policy import Policy
from bot.engine.errors import ScriptError, ScriptProblem
from bot.engine.loader import line_for, parse_yaml
from bot.engine.script import Script

# The script the bot runs: the cadence's states live in it.
MAIN_SCRIPT = "repayment"


def cadence_problems(
    policy: Policy, scripts: Mapping[str, Script], policy_source: str, policy_file: str
) -> Iterator[ScriptProblem]:
    """Each stage's state exists, is public, and a trigger of its name opens it."""
    script = scripts.get(MAIN_SCRIPT) or next(iter(scripts.values()), None)
    if script is None:
        return
    try:
        _, lines = parse_yaml(policy_source, policy_file)
    except ScriptError:
        lines = {}
    for index, stage in enumerate(policy.reminders.stages):
        if stage.state is None:
            continue
        line = line_for(lines, ("reminders", "stages", index, "state"))
        where = f"reminders.stages[{index}] ({stage.name})"
        state = script.states.get(stage.state)
        if state is None:
            yield ScriptProblem(
                policy_file,
                line,
                None,
                f"{where}: the script {script.id!r} has no state {stage.state!r}",
            )
            continue
        route = script.triggers.get(stage.state)
        if route is None or route.to != stage.state:
            yield ScriptProblem(
                policy_file,
                line,
                None,
                f"{where}: add the trigger `{stage.state}: {{to: {stage.state}}}` to"
                f" the script {script.id!r} (a reminder opens its state through it)",
            )
        if not state.public:
            yield ScriptProblem(
                policy_file,
                line,
                None,
                f"{where}: the state {stage.state!r} must be `public: true`: a reminder"
                " may reach a borrower who has not confirmed who they are (R5)",
            )
