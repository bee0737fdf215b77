"""The account's verification counters around one engine step: what is written back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain.policy import Policy, VerificationPolicy
from bot.service.verification import VAR, VerificationState
from tests.engine.driver import shipped_policy

NOW = datetime(2026, 11, 22, 15, 0, tzinfo=UTC)


def _policy(max_attempts: int = 3, lock_minutes: int | None = None) -> Policy:
    return shipped_policy().model_copy(
        update={
            "verification": VerificationPolicy(max_attempts=max_attempts, lock_minutes=lock_minutes)
        }
    )


def test_a_step_that_counts_nothing_writes_nothing() -> None:
    state = VerificationState.of(1, None, NOW)
    assert state.engine_vars() == {VAR: 1}
    assert state.changes({VAR: 1}, _policy(), NOW) == {}
    assert state.changes({}, _policy(), NOW) == {}


def test_a_failed_attempt_is_counted_on_the_account() -> None:
    state = VerificationState.of(0, None, NOW)
    assert state.changes({VAR: 1}, _policy(), NOW) == {"verify_failures": 1}


def test_the_last_attempt_locks_for_the_policy_time() -> None:
    state = VerificationState.of(2, None, NOW)
    assert state.changes({VAR: 3}, _policy(lock_minutes=30), NOW) == {
        "verify_failures": 3,
        "verify_locked_until": NOW + timedelta(minutes=30),
    }


def test_without_a_lock_time_the_lock_waits_for_a_person() -> None:
    state = VerificationState.of(2, None, NOW)
    assert state.changes({VAR: 3}, _policy(lock_minutes=None), NOW) == {"verify_failures": 3}


def test_a_lock_that_ran_out_starts_again_from_none_and_is_cleared() -> None:
    naive = (NOW - timedelta(minutes=1)).replace(tzinfo=None)  # as SQLite hands it back
    state = VerificationState.of(3, naive, NOW)
    assert state.engine_vars() == {VAR: 0}
    assert state.changes({VAR: 0}, _policy(), NOW) == {
        "verify_failures": 0,
        "verify_locked_until": None,
    }
    # A wrong answer right after: counted from none, and the old lock still cleared.
    assert state.changes({VAR: 1}, _policy(lock_minutes=30), NOW) == {
        "verify_failures": 1,
        "verify_locked_until": None,
    }


def test_a_lock_still_running_keeps_its_count() -> None:
    state = VerificationState.of(3, NOW + timedelta(minutes=5), NOW)
    assert state.engine_vars() == {VAR: 3}
    assert state.changes({VAR: 3}, _policy(lock_minutes=30), NOW) == {}
