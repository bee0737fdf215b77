"""Issue 28 point 1: a message is normalized and case-folded once, however many readers read it.

Counted, not mocked: a profile hook sees every call the interpreter makes to
`unicodedata.normalize` and `str.casefold` (a method of a built-in type, which
cannot be wrapped) while one message goes through the runtime's door, the
choice matcher, the reading and the engine, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import sys
import unicodedata
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

import pytest

from bot.service import choice_matching
from bot.service.meaning import prepared
from bot.understanding import charges
from tests.runtime.conftest import WebChat


@pytest.fixture(autouse=True)
def _nothing_prepared_yet() -> None:
    """What is folded is kept per process (the message for the choice matcher and the
    reading, each label set, each charge description): every run counts from nothing."""
    for kept in (prepared, choice_matching._labels, charges._description_words):
        kept.cache_clear()


@contextmanager
def _normalizing_passes() -> Iterator[Counter[str]]:
    """Every call to unicodedata.normalize and str.casefold in this thread, by name."""
    counted: Counter[str] = Counter()
    normalize = unicodedata.normalize

    def count(frame: FrameType, event: str, arg: Any) -> None:
        if event != "c_call":
            return
        if arg is normalize:
            counted["normalize"] += 1
        elif getattr(arg, "__qualname__", "") == "str.casefold":
            counted["casefold"] += 1

    previous = sys.getprofile()
    sys.setprofile(count)
    try:
        yield counted
    finally:
        sys.setprofile(previous)


async def test_a_message_is_normalized_and_case_folded_once(web: WebChat) -> None:
    await web.say("once", f"/start {await web.link('T-EN')}")
    (menu,) = await web.say("once", "05/17/1990")
    shown = len(menu.buttons)
    assert shown > 2

    with _normalizing_passes() as passes:
        (plan,) = await web.say("once", "I can pay 200 a month")
    assert "Your plan" in plan.text  # read, matched against the menu, routed as an offer
    # The message once; the menu's labels, matched against for the first time, once each.
    assert passes == {"normalize": 1 + shown, "casefold": 1 + shown}

    with _normalizing_passes() as passes:
        (asked_again,) = await web.say("once", "I can pay 300 a month")
    assert len(asked_again.buttons) == len(plan.buttons)  # the same question, the same labels
    assert passes == {"normalize": 1 + len(plan.buttons), "casefold": 1 + len(plan.buttons)}

    # Those labels were folded once: now the message alone is.
    with _normalizing_passes() as passes:
        await web.say("once", "what?")
    assert passes == {"normalize": 1, "casefold": 1}
