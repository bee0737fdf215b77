"""R4: the borrower's quiet windows read back in plain words, as each market writes them."""

from __future__ import annotations

from datetime import time

import pytest

from bot.domain.quiet_windows import EVERY_DAY, WEEKDAYS, QuietWindow
from bot.engine.script import Message
from bot.engine.types import Part, QuietTimes
from bot.i18n.render import Translator

WORK = QuietWindow(WEEKDAYS, time(9), time(18))
WEEKENDS = QuietWindow(frozenset({5, 6}), time(0), time(0))
MORNINGS = QuietWindow(EVERY_DAY, time(0), time(10))
NIGHTS = QuietWindow(frozenset({0, 2}), time(22), time(0))


def _said(translator: Translator, table: dict[str, Message], locale: str, region: str) -> str:
    times = QuietTimes((WORK, WEEKENDS, MORNINGS, NIGHTS))
    part = Part("repayment.contact_settings.quiet_shown", {"quiet_now": times})
    return translator.render_part(part, locale, table, region=region)


@pytest.mark.rule("R4")
@pytest.mark.parametrize(
    ("locale", "region", "expected"),
    [
        (
            "en",
            "GB",
            "I won't message you on weekdays between 09:00 and 18:00, at weekends, all day,"
            " every day before 10:00 or on Monday and Wednesday after 22:00.",
        ),
        (
            "zh_Hans",
            "CN",
            "我不会在工作日09:00至18:00、周末全天、每天10:00之前或星期一和星期三22:00之后给您发消息。",
        ),
        (
            "zh_Hant",
            "HK",
            "我不會在平日上午9:00至下午6:00、週末全日、每日上午10:00之前或星期一及星期三下午10:00之後發訊息給您。",
        ),
    ],
)
def test_r4_quiet_windows_in_plain_words(
    translator: Translator, table: dict[str, Message], locale: str, region: str, expected: str
) -> None:
    assert _said(translator, table, locale, region) == expected


@pytest.mark.rule("R4")
def test_r4_quiet_times_survive_the_conversation_store() -> None:
    from bot.engine.values import from_json, to_json

    times = QuietTimes((WORK, NIGHTS))
    assert from_json(to_json(times)) == times
    assert not QuietTimes()
