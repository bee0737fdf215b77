"""Whether the payments an arrangement asked for were kept or broken (issue 31 point 3).

An arrangement asks for payments on dates: a promise one, a plan one per
installment, an extension the whole amount by the new due date. Each date is a
checkpoint, judged against everything paid since the arrangement was made: kept
once the payments reach all that was asked for up to that date (a payment made
early is kept at once, so the thank-you need not wait for the date), broken when
the date is more than `grace_days` behind the borrower's today and they do not
(the lender's payments file arrives a day late). A later checkpoint is not judged
before an earlier one is.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

GRACE_DAYS = 1


class Outcome(StrEnum):
    KEPT = "kept"
    BROKEN = "broken"


@dataclass(frozen=True)
class Judged:
    due_on: date
    amount_due: Decimal  # everything asked for up to due_on
    outcome: Outcome


def checkpoints(
    installments: Iterable[tuple[date, Decimal]], new_due_date: date | None, amount: Decimal
) -> list[tuple[date, Decimal]]:
    """Each date the arrangement asks for a payment, with all it asks for up to then."""
    ordered = sorted(installments)
    if not ordered and new_due_date is not None:
        ordered = [(new_due_date, amount)]
    points: list[tuple[date, Decimal]] = []
    total = Decimal(0)
    for due_on, part in ordered:
        total += part
        points.append((due_on, total))
    return points


def judge(
    points: Sequence[tuple[date, Decimal]],
    paid: Decimal,
    today: date,
    *,
    grace_days: int = GRACE_DAYS,
) -> list[Judged]:
    """The checkpoints decided as of `today`, in order; undecided ones are left out."""
    judged: list[Judged] = []
    for due_on, amount_due in points:
        if paid >= amount_due:
            judged.append(Judged(due_on, amount_due, Outcome.KEPT))
        elif due_on + timedelta(days=grace_days) < today:
            judged.append(Judged(due_on, amount_due, Outcome.BROKEN))
        else:
            break
    return judged
