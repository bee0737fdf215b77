"""Which payments an arrangement asked for were kept or broken, as of a day."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from bot.domain.promises import Judged, Outcome, checkpoints, judge

PLAN = checkpoints(
    [(date(2026, 12, 10), Decimal(300)), (date(2026, 11, 10), Decimal(300))], None, Decimal(600)
)


def test_each_checkpoint_asks_for_all_due_up_to_it_in_date_order() -> None:
    # Worked out here, not from PLAN: PLAN is built at import, where no mutant is on.
    points = checkpoints(
        [(date(2026, 12, 10), Decimal(300)), (date(2026, 11, 10), Decimal(250))],
        None,
        Decimal(550),
    )
    assert points == [(date(2026, 11, 10), Decimal(250)), (date(2026, 12, 10), Decimal(550))]


def test_an_extension_is_one_checkpoint_on_its_new_due_date() -> None:
    assert checkpoints([], date(2026, 12, 1), Decimal("99.50")) == [
        (date(2026, 12, 1), Decimal("99.50"))
    ]
    assert checkpoints([], None, Decimal(1)) == []


def test_paid_early_is_kept_at_once_and_the_rest_waits() -> None:
    assert judge(PLAN, Decimal(300), date(2026, 11, 1)) == [
        Judged(date(2026, 11, 10), Decimal(300), Outcome.KEPT)
    ]


def test_unpaid_is_broken_only_after_the_grace_day() -> None:
    assert judge(PLAN, Decimal(0), date(2026, 11, 11)) == []  # the file may be a day late
    assert judge(PLAN, Decimal(0), date(2026, 11, 12)) == [
        Judged(date(2026, 11, 10), Decimal(300), Outcome.BROKEN)
    ]


def test_a_part_payment_breaks_the_installment_it_does_not_cover() -> None:
    judged = judge(PLAN, Decimal(450), date(2026, 12, 20))
    assert [j.outcome for j in judged] == [Outcome.KEPT, Outcome.BROKEN]
    assert judged[1].amount_due == Decimal(600)


def test_everything_paid_keeps_every_checkpoint() -> None:
    assert [j.outcome for j in judge(PLAN, Decimal(600), date(2027, 1, 1))] == [Outcome.KEPT] * 2
