"""R12 beside R13: a note for the lender's staff is no farewell note.

While a borrower waits for a person the bot says "You can write a message for them here",
and what they write is often called a note ("please add a note to my file", 我的留言).
The lexicon's "a note to my ..." found a farewell in every note to a file or an account,
so the bot asked whether they were safe and opened a crisis case instead of passing the
note on. A note left for family stays a sign.
"""

from __future__ import annotations

import pytest

from bot.understanding import CrisisLevel, prepare
from bot.understanding.crisis import words_level
from bot.understanding.model import IntentModel
from bot.understanding.understand import crisis_of

FOR_STAFF = (
    "please add a note to my file that i work nights",
    "can you put a note to my account, my number changed",
    "a note to my case: i sent 50 yesterday",
    "leave a note for my agent that i called",
    "note to my adviser, i get paid on the 28th",
)
FOR_FAMILY = (
    "i left a note for my kids on the table",
    "wrote a note to my wife this morning",
    "there is a suicide note for my parents",
)


@pytest.mark.parametrize("text", FOR_STAFF)
def test_a_note_for_a_file_or_the_staff_is_no_sign_in_the_words(text: str) -> None:
    assert words_level(prepare(text)) is CrisisLevel.NONE


@pytest.mark.parametrize("text", FOR_STAFF)
def test_a_note_for_a_file_or_the_staff_is_no_crisis_in_the_whole_reading(
    text: str, model: IntentModel
) -> None:
    assert crisis_of(text, model=model) is CrisisLevel.NONE


@pytest.mark.parametrize("text", FOR_FAMILY)
def test_a_note_left_for_family_is_still_at_least_a_possible_sign(text: str) -> None:
    assert words_level(prepare(text)) is not CrisisLevel.NONE
