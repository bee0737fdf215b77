"""What a person at the console may agree to alone (bot/domain/desk_policy.py): each
limit exactly at it and one unit past it, and the roles a policy may name.
(The console's tests of the same lie outside mutmut's selection.)"""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from bot.domain.desk_policy import NOTHING_ALONE, DeskPolicy, RoleLimits, Terms, beyond

LIMITS = RoleLimits(
    max_discount_percent=Decimal(10),
    max_term_months=12,
    min_installment_share=Decimal("0.5"),
    max_extension_days=30,
    max_promise_days=14,
)
AT_THE_LIMITS = Terms(
    discount_percent=Decimal(10),
    term_months=12,
    installment_share=Decimal("0.5"),
    extension_days=30,
    promise_days=14,
)
ONE_PAST = {
    "max_discount_percent": Terms(discount_percent=Decimal("10.01")),
    "max_term_months": Terms(term_months=13),
    "min_installment_share": Terms(installment_share=Decimal("0.49")),
    "max_extension_days": Terms(extension_days=31),
    "max_promise_days": Terms(promise_days=15),
}


def test_terms_exactly_at_every_limit_need_nobody() -> None:
    assert beyond(AT_THE_LIMITS, LIMITS) == ()


@pytest.mark.parametrize("limit", ONE_PAST)
def test_one_unit_past_a_limit_is_beyond_it_and_only_it(limit: str) -> None:
    assert beyond(ONE_PAST[limit], LIMITS) == (limit,)


def test_every_limit_passed_is_named_in_order() -> None:
    everything = Terms(
        discount_percent=Decimal(50),
        term_months=24,
        installment_share=Decimal("0.1"),
        extension_days=60,
        promise_days=30,
    )
    assert beyond(everything, LIMITS) == tuple(ONE_PAST)
    assert beyond(everything, None) == ()  # no limits: a manager or admin left out


def test_a_role_not_listed_may_grant_nothing_alone_and_a_manager_anything() -> None:
    desk = DeskPolicy(limits={"supervisor": LIMITS})
    assert desk.limits_for("supervisor") == LIMITS
    assert desk.limits_for("agent") == NOTHING_ALONE
    assert desk.limits_for("manager") is None
    assert desk.limits_for("admin") is None
    assert DeskPolicy(limits={"manager": LIMITS}).limits_for("manager") == LIMITS
    assert beyond(Terms(term_months=2), NOTHING_ALONE) == ("max_term_months",)


def test_a_role_the_desk_does_not_know_is_refused_by_name() -> None:
    with pytest.raises(ValidationError) as raised:
        DeskPolicy(limits={"agent": LIMITS, "clerk": LIMITS, "boss": LIMITS})
    assert "unknown role(s) ['boss', 'clerk'] (use agent, supervisor, manager, admin)" in str(
        raised.value
    )
