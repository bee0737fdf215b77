"""Errors of scripts and policy: each names the file, the line and the state."""

from __future__ import annotations

from dataclasses import dataclass

from bot.errors import RepaybotError


@dataclass(frozen=True)
class ScriptProblem:
    file: str
    line: int
    state: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}"
        if self.state:
            where += f" [state {self.state}]"
        return f"{where}: {self.message}"


class ScriptError(RepaybotError):
    """A script or policy that must not load; carries every problem found."""

    def __init__(self, problems: list[ScriptProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
