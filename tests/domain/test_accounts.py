"""An account's totals (R7, R8), days past due and stage, in the borrower's time zone."""

from __future__ import annotations

import pickle
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from bot.domain.accounts import (
    Account,
    Charge,
    ChargeKind,
    Stage,
    charges_total,
    may_ask_for_money,
)

DUE = date(2026, 11, 18)
PRINCIPAL = Charge(
    "C1", ChargeKind.PRINCIPAL, "Card balance", Decimal("1200.00"), date(2026, 10, 1)
)
INTEREST = Charge("C2", ChargeKind.INTEREST, "Interest", Decimal("85.50"), date(2026, 10, 31))
FEE = Charge("C3", ChargeKind.LATE_FEE, "Late fee", Decimal("35.00"), date(2026, 11, 19))


def account(disputed: frozenset[str] = frozenset(), timezone: str = "America/New_York") -> Account:
    return Account(
        account_id="ACC-1",
        borrower_name="Alex Doe",
        phone="+15550100001",
        birth_date=date(1990, 5, 17),
        locale="en",
        timezone=timezone,
        currency="USD",
        due_date=DUE,
        charges=(PRINCIPAL, INTEREST, FEE),
        disputed_charge_ids=disputed,
    )


def test_charges_total_is_exact_and_zero_for_none() -> None:
    # A Decimal zero, not the int 0: totals are quantized and formatted as money.
    assert charges_total([]) == Decimal(0)
    assert isinstance(charges_total([]), Decimal)
    assert charges_total([PRINCIPAL, INTEREST, FEE]) == Decimal("1320.50")
    assert charges_total([FEE]) == Decimal("35.00")


@pytest.mark.rule("R7")
def test_totals_without_a_dispute_R7() -> None:
    a = account()
    assert a.total == Decimal("1320.50")
    assert a.disputed_total == Decimal(0)
    assert a.collectible_total == Decimal("1320.50")
    assert a.disputed_charges() == ()
    assert a.undisputed_charges() == (PRINCIPAL, INTEREST, FEE)


@pytest.mark.rule("R8")
def test_a_disputed_charge_is_held_out_of_what_may_be_asked_R8() -> None:
    a = account(disputed=frozenset({"C3"}))
    assert a.total == Decimal("1320.50")
    assert a.disputed_total == Decimal("35.00")
    assert a.collectible_total == Decimal("1285.50")
    assert a.disputed_charges() == (FEE,)
    assert a.undisputed_charges() == (PRINCIPAL, INTEREST)


@pytest.mark.rule("R8")
def test_every_charge_disputed_leaves_nothing_collectible_R8() -> None:
    a = account(disputed=frozenset({"C1", "C2", "C3"}))
    assert a.collectible_total == Decimal(0)
    assert a.undisputed_charges() == ()
    assert a.disputed_total == a.total


def test_an_unknown_disputed_id_holds_nothing() -> None:
    a = account(disputed=frozenset({"C9"}))
    assert a.collectible_total == a.total
    assert a.disputed_charges() == ()


@pytest.mark.parametrize(
    ("today", "days"),
    [
        (DUE - timedelta(days=5), 0),
        (DUE - timedelta(days=1), 0),
        (DUE, 0),  # due today is not yet late
        (DUE + timedelta(days=1), 1),
        (DUE + timedelta(days=44), 44),
    ],
)
def test_days_past_due(today: date, days: int) -> None:
    assert account().days_past_due(today) == days


@pytest.mark.parametrize(
    ("days_late", "stage"),
    [
        (0, Stage.CURRENT),
        (1, Stage.EARLY),
        (29, Stage.EARLY),  # one day before late_after_days
        (30, Stage.LATE),  # exactly late_after_days
        (31, Stage.LATE),
    ],
)
def test_stage_thresholds(days_late: int, stage: Stage) -> None:
    assert account().stage(DUE + timedelta(days=days_late), late_after_days=30) is stage


def test_days_past_due_are_counted_in_the_account_time_zone() -> None:
    # 03:30 UTC on 20 Nov is still 19 Nov, 22:30, in New York: one day late, not two.
    now = datetime(2026, 11, 20, 3, 30, tzinfo=UTC)
    new_york = account(timezone="America/New_York")
    assert new_york.local_date(now) == date(2026, 11, 19)
    assert new_york.days_past_due_at(now) == 1
    # In Shanghai it is already 20 Nov, 11:30.
    shanghai = account(timezone="Asia/Shanghai")
    assert shanghai.local_date(now) == date(2026, 11, 20)
    assert shanghai.days_past_due_at(now) == 2


def test_the_due_day_itself_is_not_late_anywhere() -> None:
    # 23:59 on the due date in Los Angeles is 07:59 the next day in UTC.
    now = datetime(2026, 11, 19, 7, 59, tzinfo=UTC)
    assert account(timezone="America/Los_Angeles").days_past_due_at(now) == 0
    assert account(timezone="UTC").days_past_due_at(now) == 1


def test_stage_at_uses_the_local_date() -> None:
    # 30 days late in UTC, 29 in Los Angeles.
    now = datetime(2026, 12, 18, 2, 0, tzinfo=UTC)
    assert account(timezone="UTC").stage_at(now, late_after_days=30) is Stage.LATE
    assert account(timezone="America/Los_Angeles").stage_at(now, 30) is Stage.EARLY


def test_a_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match=r"^now must be timezone-aware$"):
        account().local_date(datetime(2026, 11, 20, 12, 0))


def test_equal_accounts_hash_alike_and_a_cache_tells_versions_apart() -> None:
    first, second = account(), account()
    assert first is not second and first == second
    assert hash(first) == hash(second)
    cache = {first: "kept"}
    assert cache[second] == "kept"  # the engine's caches find an equal account
    for change in (
        {"extensions_used": 1},
        {"disputed_charge_ids": frozenset({"C3"})},
        {"charges": (PRINCIPAL, INTEREST)},
        {"in_review": "A-1"},
        {"locale": "zh_Hans"},
    ):
        changed = replace(first, **change)
        assert changed != first
        assert changed not in cache, change  # another version of the account is a miss
    assert hash(replace(first, account_id="A-2")) != hash(first)


def test_a_pickled_account_is_found_by_the_original() -> None:
    first = account()
    back = pickle.loads(pickle.dumps(first))  # noqa: S301 - our own object
    assert back == first
    assert {first: "kept"}[back] == "kept"


@pytest.mark.rule("R8")
def test_one_minor_unit_left_may_be_asked_for_and_nothing_left_may_not() -> None:
    """The account owes 1,320.50: paid all but one cent, the cent may still be asked for."""
    owed = account()
    assert may_ask_for_money(replace(owed, paid=Decimal("1320.49")))
    assert not may_ask_for_money(replace(owed, paid=Decimal("1320.50")))
