"""Issue 33 point 7: invisible characters are removed, not turned into spaces, before
anything reads a message, and every reader agrees.

The birth date of each fixture account, in its locale's form, with each invisible
character at several places (inside a number too), verifies on the real conversation,
as do full-width digits; and no verification attempt is lost on the way."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.characters import drop_invisible, fold_width
from bot.service.choice_matching import match_choice
from bot.service.text import clean_text
from bot.store.tables import AccountRow
from bot.understanding import parse_birth_dates
from bot.understanding.cues import asks_for_person
from bot.understanding.text import fold, prepare
from tests.runtime.conftest import WebChat

INVISIBLE = {
    "zero-width space": "\u200b",
    "zero-width non-joiner": "\u200c",
    "zero-width joiner": "\u200d",
    "word joiner": "\u2060",
    "left-to-right mark": "\u200e",
    "right-to-left mark": "\u200f",
    "left-to-right embedding": "\u202a",
    "right-to-left override": "\u202e",
    "left-to-right isolate": "\u2066",
    "pop directional isolate": "\u2069",
    "byte order mark": "\ufeff",
    "soft hyphen": "\u00ad",
    "arabic letter mark": "\u061c",
    "mongolian vowel separator": "\u180e",
}
# (account, what the statement shows, the birth date as the account's locale writes it)
FORMS = {
    "iso": ("T-EN", "1,320.50", "1990-05-17"),
    "day first": ("T-HANT", "6,510.00", "24/12/1978"),
    "chinese": ("T-HANS", "8,520.00", "1985年3月9日"),
}


def _with(text: str, mark: str, at: int) -> str:
    return text[:at] + mark + text[at:]


def _places(text: str) -> list[int]:
    """The start, inside the first number, right after its separator, the end."""
    return [0, 2, 5, len(text)]


async def _verifies(web: WebChat, user: str, account: str, shown: str, typed: str) -> None:
    await web.say(user, f"/start {await web.link(account)}")
    replies = await web.say(user, typed)
    assert any(shown in r.text for r in replies), (typed, [r.text for r in replies])


async def _failures(web: WebChat, account: str) -> int:
    async with web.app.sessions() as session:
        row = await session.get(AccountRow, account)
        assert row is not None
        return row.verify_failures


@pytest.mark.parametrize("form", list(FORMS))
async def test_a_birth_date_with_an_invisible_character_verifies(web: WebChat, form: str) -> None:
    account, shown, birth = FORMS[form]
    for name, mark in INVISIBLE.items():
        for at in _places(birth):
            typed = _with(birth, mark, at)
            await _verifies(web, f"{form}-{name}-{at}", account, shown, typed)
    assert await _failures(web, account) == 0


async def test_full_width_digits_verify(web: WebChat) -> None:
    await _verifies(web, "wide-en", "T-EN", "1,320.50", "１９９０－０５－１７")
    await _verifies(web, "wide-hant", "T-HANT", "6,510.00", "２４／１２／１９７８")
    await _verifies(web, "wide-hans", "T-HANS", "8,520.00", "１９８５年３月９日")
    for account in ("T-EN", "T-HANT", "T-HANS"):
        assert await _failures(web, account) == 0


@pytest.mark.parametrize("mark", list(INVISIBLE.values()))
def test_every_reader_sees_the_same_text(mark: str) -> None:
    typed = _with("1990-05-17", mark, 6)  # between the month's digits
    assert clean_text(typed) == "1990-05-17"
    assert prepare(typed).plain == "1990-05-17"
    assert fold(typed) == fold("1990-05-17")
    assert parse_birth_dates(prepare(typed), today=date(2026, 11, 22)) == (date(1990, 5, 17),)
    label = _with("Pay in installments", mark, 9)  # inside a word of a label
    assert match_choice(label, [("plan", "Pay in installments")]) == "plan"
    assert match_choice("Pay in installments", [("plan", label)]) == "plan"
    assert asks_for_person(prepare(_with("talk to a person", mark, 3)))


def test_emoji_sequences_stay_whole() -> None:
    family = "👨\u200d👩\u200d👧"
    assert drop_invisible(family) == family
    assert drop_invisible("🏳\ufe0f\u200d🌈") == "🏳\ufe0f\u200d🌈"  # after a variation selector
    england = "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"
    assert drop_invisible(england) == england
    assert drop_invisible("a\u200db") == "ab"  # between letters it means nothing
    assert drop_invisible("\U000e0067x") == "x"  # a tag not after a flag
    assert clean_text(f"ok {family}\u200b") == f"ok {family}"


def test_full_width_forms_fold_to_ascii() -> None:
    assert fold_width("１９９０－０５－１７") == "1990-05-17"
    assert fold_width("ＡＢＣ\u3000！～") == "ABC !~"
    assert fold_width("我不同意，因为") == "我不同意,因为"
    assert clean_text("／ｓｔａｒｔ") == "/start"
