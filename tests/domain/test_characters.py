"""Invisible characters removed, emoji left whole, full-width forms folded: the rules of
bot/domain/characters.py on the pure functions. (The runtime's tests of the same, in
tests/runtime/test_invisible_characters.py, check every reader agrees; mutmut runs only
tests/domain, tests/engine and tests/i18n.)"""

from __future__ import annotations

import pytest

from bot.domain.characters import drop_invisible, fold_width

INVISIBLE = {
    "zero-width space": "\u200b",
    "zero-width non-joiner": "\u200c",
    "zero-width joiner": "\u200d",
    "word joiner": "\u2060",
    "left-to-right mark": "\u200e",
    "right-to-left override": "\u202e",
    "pop directional isolate": "\u2069",
    "byte order mark": "\ufeff",
    "soft hyphen": "\u00ad",
    "mongolian vowel separator": "\u180e",
}
FAMILY = "👨\u200d👩\u200d👧"
ENGLAND = "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"


@pytest.mark.parametrize("mark", INVISIBLE.values(), ids=INVISIBLE.keys())
def test_an_invisible_character_is_removed_wherever_it_is(mark: str) -> None:
    date = "1990-05-17"
    for at in (0, 2, 5, len(date)):
        assert drop_invisible(date[:at] + mark + date[at:]) == date


def test_text_with_nothing_invisible_comes_back_as_it_is() -> None:
    assert drop_invisible("ok 👍 好的，1990-05-17") == "ok 👍 好的，1990-05-17"


def test_a_joiner_stays_only_between_two_emoji() -> None:
    assert drop_invisible(FAMILY) == FAMILY
    assert drop_invisible("👩🏻\u200d💻") == "👩🏻\u200d💻"  # after a skin tone
    assert (
        drop_invisible("🐈\u200d⬛") == "🐈\u200d⬛"
    )  # black cat: a symbol outside the emoji blocks
    assert drop_invisible("🏳\ufe0f\u200d🌈") == "🏳\ufe0f\u200d🌈"  # after a variation selector
    assert drop_invisible("👍\u200d") == "👍"  # nothing after it
    assert drop_invisible("\u200d👍") == "👍"  # nothing before it
    assert drop_invisible("a\u200d👍") == "a👍"
    assert drop_invisible("👍\u200db") == "👍b"
    assert drop_invisible("\ufe0f\u200d🌈") == "\ufe0f🌈"  # a variation selector of nothing


def test_tag_characters_stay_only_in_a_flag() -> None:
    assert drop_invisible(ENGLAND) == ENGLAND
    assert drop_invisible("🏴\U000e0020") == "🏴\U000e0020"  # the first tag character
    # A tag after the first or the last tag character is still in the flag.
    assert drop_invisible("🏴\U000e0020\U000e0067") == "🏴\U000e0020\U000e0067"
    assert drop_invisible("🏴\U000e007f\U000e0067") == "🏴\U000e007f\U000e0067"
    assert drop_invisible("\U000e0067x") == "x"
    assert drop_invisible("x\U000e007f") == "x"  # the last tag character, after a letter
    assert drop_invisible(f"{ENGLAND}\u200bok") == f"{ENGLAND}ok"


def test_full_width_forms_fold_to_ascii() -> None:
    assert fold_width("１９９０－０５－１７") == "1990-05-17"
    assert fold_width("！ＡＢＣ\u3000～") == "!ABC ~"  # the first and last forms
    assert fold_width("我不同意，因为｟") == "我不同意,因为｟"
