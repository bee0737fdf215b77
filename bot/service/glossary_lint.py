"""`repaybot dialogs check`: the glossary's forbidden forms in every text a borrower reads.

Each catalog locale is read as the borrower sees it: a regional catalog's own
entry, or else its base catalog's (zh_Hant_HK falls back to zh_Hant, en_GB to
the English of the scripts), so a Taiwan form inherited by Hong Kong, or a US
term left untranslated for the UK, is found as surely as one written there.
The policy's own Chinese and English words (crisis lines) are read too.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import yaml
from babel.messages.pofile import read_po

from bot.domain.accounts import CATALOG_LOCALES, REGIONAL_LOCALES
from bot.domain.glossary import Glossary, glossary_from
from bot.domain.policy import Policy
from bot.engine.errors import ScriptProblem
from bot.engine.validator import SentText
from bot.service.sent_texts import policy_sent_texts

GLOSSARY_FILE = "glossary.yaml"


def load_glossary(locales_dir: Path) -> Glossary:
    """The glossary beside the catalogs; ValueError when it is broken."""
    path = locales_dir / GLOSSARY_FILE
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return glossary_from(data, CATALOG_LOCALES)


def _catalog_entries(locales_dir: Path, locale: str) -> dict[str, tuple[int, str, str]]:
    """msgctxt (and plural form) -> (line, English, translation or "") of one catalog."""
    po = locales_dir / locale / "LC_MESSAGES" / "messages.po"
    entries: dict[str, tuple[int, str, str]] = {}
    if not po.is_file():
        return entries
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    for message in catalog:
        if not message.context:
            continue
        ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
        strings = message.string if isinstance(message.string, tuple | list) else [message.string]
        for form, english in enumerate(ids):
            # Plural forms: Chinese has one, English two; each English form is shown.
            said = strings[min(form, len(strings) - 1)] if strings else ""
            translated = "" if message.fuzzy else str(said or "")
            entries[f"{message.context}#{form}"] = (message.lineno or 1, str(english), translated)
    return entries


def shown_texts(locales_dir: Path) -> Iterator[SentText]:
    """Every catalog text as each locale's borrower reads it, with where it is written."""
    catalogs = {locale: _catalog_entries(locales_dir, locale) for locale in CATALOG_LOCALES}
    for locale in CATALOG_LOCALES:
        own = catalogs[locale]
        base_locale = REGIONAL_LOCALES.get(locale)
        base = catalogs.get(base_locale, {}) if base_locale else {}
        for key, (line, english, translated) in own.items():
            message_id = key.split("#", 1)[0]
            po = locales_dir / locale / "LC_MESSAGES" / "messages.po"
            if translated:
                yield SentText(str(po), line, locale, message_id, translated)
                continue
            inherited = base.get(key)
            if inherited is not None and inherited[2]:
                source = locales_dir / str(base_locale) / "LC_MESSAGES" / "messages.po"
                yield SentText(str(source), inherited[0], locale, message_id, inherited[2])
            else:
                # English: the msgid is the text (en, and en_GB where it keeps en's).
                yield SentText(str(po), line, locale, message_id, english)


def glossary_problems(glossary: Glossary, texts: Iterator[SentText]) -> list[ScriptProblem]:
    problems = []
    seen: set[tuple[str, str, str]] = set()
    for sent in texts:
        for form in glossary.forms_in(sent.text, sent.locale):
            key = (sent.locale, sent.message_id, form.form)
            if key in seen:  # a plural's two English forms say it once
                continue
            seen.add(key)
            problems.append(
                ScriptProblem(
                    sent.file,
                    sent.line,
                    None,
                    f"glossary: {sent.locale} text {sent.message_id!r} says {form.form!r}"
                    f" ({form.why}); write {form.use!r}",
                )
            )
    return problems


def check_glossary(
    locales_dir: Path, *, policy: Policy | None = None, policy_file: Path | None = None
) -> list[ScriptProblem]:
    """The glossary lint over the catalogs (and the policy's texts); none without a glossary."""
    path = locales_dir / GLOSSARY_FILE
    if not path.is_file():
        return []
    try:
        glossary = load_glossary(locales_dir)
    except (ValueError, yaml.YAMLError) as exc:
        return [ScriptProblem(str(path), 1, None, f"glossary: {exc}")]

    def texts() -> Iterator[SentText]:
        yield from shown_texts(locales_dir)
        if policy is not None and policy_file is not None:
            yield from policy_sent_texts(policy, policy_file)

    return glossary_problems(glossary, texts())
