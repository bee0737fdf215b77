"""What an import says when it is done, or why it wrote nothing."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ImportProblem:
    line: int
    field: str
    reason: str


class ImportRejected(Exception):
    """The file had problems; nothing was written."""

    def __init__(self, problems: list[ImportProblem]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s)")


@dataclass
class ImportReport:
    accounts_created: int = 0
    accounts_updated: int = 0
    charges_created: int = 0
    charges_updated: int = 0
    charges_removed: int = 0
    arrangements_flagged: int = 0  # active arrangements the new figures contradict
    breathing_spaces_set: int = 0
    breathing_spaces_lifted: int = 0
    lifted_accounts: tuple[str, ...] = ()  # the first few, named in the summary

    def __str__(self) -> str:
        """Only what happened, in the right number: "1 account created; 1 charge removed"."""
        parts = [
            _counted(self.accounts_created, self.accounts_updated, 0, "account"),
            _counted(self.charges_created, self.charges_updated, self.charges_removed, "charge"),
        ]
        breathing = _counted(
            self.breathing_spaces_set,
            0,
            self.breathing_spaces_lifted,
            "breathing space",
            ("set", "", "lifted"),
        )
        if self.breathing_spaces_lifted:
            # What was lifted and why: an operator may have set it by hand (R16).
            named = ", ".join(self.lifted_accounts)
            more = self.breathing_spaces_lifted - len(self.lifted_accounts)
            named += f" and {more} more" if more > 0 else ""
            breathing += f" (the file says lift: {named})"
        parts.append(breathing)
        if self.arrangements_flagged:
            n = self.arrangements_flagged
            parts.append(f"{n} arrangement{'' if n == 1 else 's'} flagged for review")
        said = "; ".join(part for part in parts if part)
        return said or "nothing changed"


def _counted(
    created: int,
    updated: int,
    removed: int,
    noun: str,
    verbs: tuple[str, str, str] = ("created", "updated", "removed"),
) -> str:
    done = list(zip((created, updated, removed), verbs, strict=True))
    said = [(n, verb) for n, verb in done if n]
    if not said:
        return ""
    first, *rest = said
    head = f"{first[0]} {noun if first[0] == 1 else noun + 's'} {first[1]}"
    return ", ".join([head, *(f"{n} {verb}" for n, verb in rest)])
