"""The words each market's borrowers read: forms a text must not use, and line length.

The glossary itself is data (locales/glossary.yaml, explained in docs/style.md);
this module only reads its parsed form and finds the forbidden forms in a text,
the way compliance.find_violations finds R9/R10 phrases. A form is forbidden
per catalog locale: 催收 in every Chinese text, mainland terms in Traditional
text, Taiwan forms in Hong Kong text, US terms in en_GB and British ones in en.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

# A placeholder's value is data, not wording: "{pay_bank_code}" is not a form.
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


@dataclass(frozen=True)
class ForbiddenForm:
    """One form a locale's borrowers must not read, what to write instead, and why."""

    form: str
    locales: frozenset[str]
    use: str
    why: str

    def pattern(self) -> re.Pattern[str]:
        # An English form matches at a word start, in any case and with any ending
        # ("installment" finds "Installments"); a Chinese form anywhere.
        if self.form.isascii():
            return re.compile(rf"\b{re.escape(self.form)}", re.IGNORECASE)
        return re.compile(re.escape(self.form))


@dataclass(frozen=True)
class Glossary:
    forbidden: tuple[ForbiddenForm, ...]
    # The longest line (characters between line breaks) a phone shows comfortably,
    # by language ("en", "zh"): a longer one is a wall of text on a small screen.
    line_limits: Mapping[str, int]

    def forms_in(self, text: str, locale: str) -> tuple[ForbiddenForm, ...]:
        """The forbidden forms of `locale` that `text` uses, in the glossary's order."""
        clean = _PLACEHOLDER.sub(" ", text)
        return tuple(
            form
            for form in self.forbidden
            if locale in form.locales and form.pattern().search(clean)
        )

    def line_limit(self, locale: str) -> int:
        """The phone line limit for a catalog locale (zh_Hant_HK reads "zh")."""
        return self.line_limits[locale.split("_")[0]]


def _text(value: object, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where}: expected a non-empty text")
    return value


def glossary_from(data: object, known_locales: tuple[str, ...]) -> Glossary:
    """The glossary from its parsed YAML; ValueError names what is wrong and where."""
    if not isinstance(data, Mapping):
        raise ValueError("the glossary must be a mapping")
    limits = data.get("phone_line_limit")
    if not isinstance(limits, Mapping) or not limits:
        raise ValueError("phone_line_limit: expected a limit per language (en, zh)")
    line_limits: dict[str, int] = {}
    for language, limit in limits.items():
        if not isinstance(limit, int) or isinstance(limit, bool) or limit < 20:
            raise ValueError(f"phone_line_limit.{language}: expected a number of characters")
        line_limits[str(language)] = limit
    entries = data.get("forbidden")
    if not isinstance(entries, list) or not entries:
        raise ValueError("forbidden: expected a list of forms")
    forms: list[ForbiddenForm] = []
    for number, entry in enumerate(entries, start=1):
        where = f"forbidden #{number}"
        if not isinstance(entry, Mapping):
            raise ValueError(f"{where}: expected form, locales, use and why")
        locales = entry.get("locales")
        if not isinstance(locales, list) or not locales:
            raise ValueError(f"{where}: expected a list of locales")
        unknown = [str(locale) for locale in locales if locale not in known_locales]
        if unknown:
            raise ValueError(f"{where}: unknown locale(s) {', '.join(unknown)}")
        forms.append(
            ForbiddenForm(
                form=_text(entry.get("form"), f"{where}.form"),
                locales=frozenset(str(locale) for locale in locales),
                use=_text(entry.get("use"), f"{where}.use"),
                why=_text(entry.get("why"), f"{where}.why"),
            )
        )
    for locale in known_locales:
        if locale.split("_")[0] not in line_limits:
            raise ValueError(f"phone_line_limit: no limit for {locale}")
    return Glossary(tuple(forms), line_limits)
