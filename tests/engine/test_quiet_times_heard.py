"""R4: quiet times said in the borrower's words are read back for confirmation, with
the times as they were read, before anything is saved."""

from __future__ import annotations

from datetime import time

import pytest

from bot.domain.quiet_windows import WEEKDAYS, QuietWindow
from bot.engine.types import QuietTimes, SetQuietWindows
from tests.engine.driver import Driver


@pytest.mark.rule("R4")
def test_quiet_times_said_at_the_menu_are_read_back_before_they_are_saved() -> None:
    driver = Driver()
    driver.verified_start()
    driver.text("please do not message me during work hours")
    assert driver.at == "quiet_confirm"
    assert driver.state is not None and driver.state.stack == ("menu",)  # a detour
    read = QuietTimes((QuietWindow(WEEKDAYS, time(9), time(18)),))
    assert driver.params("repayment.quiet_confirm.ask_confirm_quiet") == {"quiet_new": read}
    assert "save" in driver.choices()
    driver.choose("save")
    assert driver.said() == ["repayment.quiet_saved.saved", "repayment.menu.ask_menu"]
    assert driver.of_type(SetQuietWindows) == [SetQuietWindows(read.windows)]
