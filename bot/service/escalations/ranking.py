"""The worklist's groups of a case, in Python and in SQL, and the order of priorities.

Kept apart from the writers (bot/service/escalations/__init__.py) so that the rule
that orders the desk's queue reads on its own."""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, literal
from sqlmodel import col

from bot.engine.types import Priority
from bot.store.tables import EscalationRow

# The worklist's groups: crisis (or anything urgent) first, then complaints and
# verification locks, then the rest (by days past due × amount, bot/service/worklist.py).
FIRST = frozenset({"crisis"})
SECOND = frozenset({"complaint", "verification_locked"})
# Priorities from the lowest: a raise moves a case up, never down.
PRIORITIES = (Priority.NORMAL, Priority.HIGH, Priority.URGENT)


def rank_of(reason: str, priority: str) -> int:
    """The case's group in the worklist: 0, 1 or 2."""
    if reason in FIRST or priority == Priority.URGENT.value:
        return 0
    return 1 if reason in SECOND else 2


def rank_at(priority: str) -> Any:
    """The group as SQL once a case's priority becomes `priority` (its reason stays)."""
    reason = col(EscalationRow.reason)
    first = reason.in_(FIRST) if priority != Priority.URGENT.value else literal(True)
    return case((first, 0), (reason.in_(SECOND), 1), else_=2)
