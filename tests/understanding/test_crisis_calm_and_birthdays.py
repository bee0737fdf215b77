"""R12, issue 30: two quiet signs that blind training lines about wills and birthdays hid.

Hard negatives about wills ("my dad made a will") and birthdays taught the model that a will
or a birthday is everyday talk, so two farewells in dev were no longer read: a will written
and a calm that follows it (the calm of a decision made), and not living to next year's
birthday, written beside the birth date the bot asked for. The words now find them, with
fresh sentences of their own; a will or a birthday alone stays no sign.
"""

from __future__ import annotations

import pytest

from bot.understanding import CrisisLevel, prepare
from bot.understanding.crisis import words_level

SIGNS = (
    "signed my will this afternoon and i feel strangely at peace",
    "wrote a will on sunday, weirdly calm now",
    "遗嘱前天写好了，现在心里很平静",
    "立好遺囑之後，反而好釋然",
    "1988年5月2日，下年生日我估捱唔到",
    "明年的生日我大概过不了了",
    "八八年五月二號 過唔到明年生日㗎喇",
)
NO_SIGNS = (
    "my dad made a will last year, the lawyer's fee was 300",
    "is the will fee part of the statement?",
    "我爸去年立了遗嘱，律师费还没付",
    "遺囑認證要幾耐？",
    "明年生日之前我一定还清",
    "下年生日可唔可以有優惠？",
    "明年的生日过不了了吗？你们有生日优惠吗",
)


@pytest.mark.parametrize("text", SIGNS)
def test_a_will_with_calm_or_no_next_birthday_is_at_least_a_possible_sign(text: str) -> None:
    assert words_level(prepare(text)) is not CrisisLevel.NONE


@pytest.mark.parametrize("text", NO_SIGNS)
def test_a_will_or_a_birthday_alone_is_no_sign(text: str) -> None:
    assert words_level(prepare(text)) is CrisisLevel.NONE
