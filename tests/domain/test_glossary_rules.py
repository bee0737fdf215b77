"""The glossary's file read strictly, each refusal with its exact message, and its
forms found as docs/style.md says (bot/domain/glossary.py). The glossary lint's own
tests are in tests/compliance, which mutmut does not run."""

from __future__ import annotations

from typing import Any

import pytest

from bot.domain.glossary import glossary_from

LOCALES = ("en", "zh_Hans")
ENTRY = {"form": "installment", "locales": ["en"], "use": "instalment", "why": "British"}


def _data(**changed: Any) -> dict[str, Any]:
    return {"phone_line_limit": {"en": 20, "zh": 30}, "forbidden": [ENTRY]} | changed


def _refused(data: object) -> str:
    with pytest.raises(ValueError) as raised:
        glossary_from(data, LOCALES)
    return str(raised.value)


def test_a_well_formed_glossary_is_read_with_its_limits_at_their_lowest() -> None:
    glossary = glossary_from(_data(), LOCALES)
    assert glossary.line_limit("en") == 20
    assert glossary.line_limit("zh_Hans") == 30
    assert [f.form for f in glossary.forbidden] == ["installment"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "the glossary must be a mapping"),
        (_data(phone_line_limit={}), "phone_line_limit: expected a limit per language (en, zh)"),
        (_data(phone_line_limit=[20]), "phone_line_limit: expected a limit per language (en, zh)"),
        (
            _data(phone_line_limit={"en": 19, "zh": 30}),
            "phone_line_limit.en: expected a number of characters",
        ),
        (
            _data(phone_line_limit={"en": True, "zh": 30}),
            "phone_line_limit.en: expected a number of characters",
        ),
        (
            _data(phone_line_limit={"en": "40", "zh": 30}),
            "phone_line_limit.en: expected a number of characters",
        ),
        (_data(phone_line_limit={"en": 20}), "phone_line_limit: no limit for zh_Hans"),
        (_data(forbidden=[]), "forbidden: expected a list of forms"),
        (_data(forbidden={"form": "x"}), "forbidden: expected a list of forms"),
        (_data(forbidden=[ENTRY, "x"]), "forbidden #2: expected form, locales, use and why"),
        (_data(forbidden=[ENTRY | {"locales": []}]), "forbidden #1: expected a list of locales"),
        (_data(forbidden=[ENTRY | {"locales": "en"}]), "forbidden #1: expected a list of locales"),
        (
            _data(forbidden=[ENTRY | {"locales": ["en", "fr", "de"]}]),
            "forbidden #1: unknown locale(s) fr, de",
        ),
        (_data(forbidden=[ENTRY | {"form": " "}]), "forbidden #1.form: expected a non-empty text"),
        (_data(forbidden=[ENTRY | {"use": 3}]), "forbidden #1.use: expected a non-empty text"),
        (
            _data(forbidden=[ENTRY, ENTRY | {"why": ""}]),
            "forbidden #2.why: expected a non-empty text",
        ),
    ],
)
def test_a_malformed_glossary_is_refused_with_what_is_wrong_and_where(
    data: object, message: str
) -> None:
    assert _refused(data) == message


def test_an_english_form_is_found_in_any_case_but_not_inside_a_placeholder() -> None:
    glossary = glossary_from(_data(), LOCALES)
    assert [f.form for f in glossary.forms_in("Your next Installment is due", "en")] == [
        "installment"
    ]
    assert glossary.forms_in("Your next Installment is due", "zh_Hans") == ()
    # A placeholder becomes a space: its name is data, and the words either side stay apart.
    assert glossary.forms_in("Pay {installment_amount} now", "en") == ()
    assert glossary.forms_in("re{x}installment", "en") != ()
