"""R18: a date of birth typed to verify is compared, never kept: the conversation's
variables say only that one was given, whether it matched or not."""

from __future__ import annotations

from datetime import date

import pytest

from tests.engine.driver import Driver


@pytest.mark.rule("R18")
@pytest.mark.parametrize(("typed", "verified"), [("1990-05-17", True), ("1991-06-18", False)])
def test_the_birth_date_typed_is_not_kept_only_that_one_was_given(
    typed: str, verified: bool
) -> None:
    driver = Driver()
    driver.start()
    driver.text(typed)
    assert driver.state is not None
    assert driver.state.vars["birth_date_given"] is True
    assert not any(isinstance(value, date) for value in driver.state.vars.values())
    assert driver.verified is verified
