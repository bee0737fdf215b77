"""Load the dialog scripts and the policy from disk, validated as a set.

A broken script never loads: every problem in every file is collected and
raised together, each naming the file, the line and the state.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.pofile import read_po

from bot.domain.accounts import REGIONAL_LOCALES, TRANSLATED_LOCALES
from bot.domain.policy import Policy
from bot.engine.errors import ScriptError, ScriptProblem
from bot.engine.loader import load_policy, load_script
from bot.engine.script import Script
from bot.engine.validator import validate_script
from bot.service.cadence_check import cadence_problems
from bot.service.canned_lint import check_canned_replies
from bot.service.glossary_lint import check_glossary
from bot.service.sent_texts import check_sent_texts

POLICY_FILE = "policy.yaml"
TRANSLATED = TRANSLATED_LOCALES


@dataclass(frozen=True)
class ScriptSet:
    scripts: dict[str, Script]
    policy: Policy
    # The texts they were loaded from, by script id and for the policy: what the
    # version registry hashes and keeps.
    sources: dict[str, str] = field(default_factory=dict)
    policy_source: str = ""


def read_translations(locales_dir: Path) -> dict[str, dict[str, str]]:
    """locale -> {"msgctxt\x04msgid": translated text} from the .po catalogs.

    Keyed like gettext itself (context, EOT, English text), so a translation of
    an older English text does not count for the new one.
    """
    catalogs: dict[str, dict[str, str]] = {}
    # Regional catalogs too (zh_Hant_HK): the R3 lint reads every borrower's words.
    for locale in ("en", *TRANSLATED, *REGIONAL_LOCALES):
        po = locales_dir / locale / "LC_MESSAGES" / "messages.po"
        entries: dict[str, str] = {}
        if po.is_file():
            with po.open("rb") as handle:
                catalog = read_po(handle, locale=locale)
            for message in catalog:
                if not message.context:
                    continue
                text = message.string
                translated = text[0] if isinstance(text, tuple | list) else text
                english = message.id[0] if isinstance(message.id, tuple | list) else message.id
                key = f"{message.context}\x04{english}"
                entries[key] = "" if message.fuzzy else str(translated or "")
        catalogs[locale] = entries
    return catalogs


def _load(
    directory: Path, locales_dir: Path | None
) -> tuple[ScriptSet | None, list[ScriptProblem]]:
    problems: list[ScriptProblem] = []
    policy: Policy | None = None
    policy_source = ""
    scripts: dict[str, Script] = {}
    sources: dict[str, str] = {}
    translations = read_translations(locales_dir) if locales_dir is not None else None
    policy_path = directory / POLICY_FILE
    if not policy_path.is_file():
        problems.append(ScriptProblem(str(policy_path), 1, None, "the policy file is missing"))
    else:
        try:
            policy_source = policy_path.read_text(encoding="utf-8")
            policy = load_policy(policy_source, str(policy_path))
        except ScriptError as exc:
            problems.extend(exc.problems)
    for path in sorted(directory.glob("*.yaml")):
        if path.name == POLICY_FILE:
            continue
        try:
            source = path.read_text(encoding="utf-8")
            script, lines = load_script(source, str(path))
        except ScriptError as exc:
            problems.extend(exc.problems)
            continue
        found = validate_script(script, lines, str(path), translations=translations)
        problems.extend(found)
        if script.id in scripts:
            problems.append(
                ScriptProblem(str(path), 1, None, f"script id {script.id!r} is used twice")
            )
        scripts[script.id] = script
        sources[script.id] = source
    if policy is not None and scripts:
        problems.extend(cadence_problems(policy, scripts, policy_source, str(policy_path)))
    # R6, R9, R10 for what no script holds: code texts, the policy's texts, catalogs.
    problems.extend(check_sent_texts(locales_dir, policy=policy, policy_file=policy_path))
    # The glossary's forbidden forms per locale (docs/style.md), as each borrower reads them.
    if locales_dir is not None:
        problems.extend(check_glossary(locales_dir, policy=policy, policy_file=policy_path))
    # What an agent sends with a click (the console's canned replies): R9, R10, glossary.
    problems.extend(check_canned_replies(directory, locales_dir))
    if not scripts and not problems:
        problems.append(ScriptProblem(str(directory), 1, None, "no dialog scripts found"))
    if problems or policy is None:
        return None, problems
    return ScriptSet(scripts, policy, sources, policy_source), []


def load_dialogs(directory: Path, locales_dir: Path | None = None) -> ScriptSet:
    loaded, problems = _load(directory, locales_dir)
    if loaded is None:
        raise ScriptError(problems)
    return loaded


def check_dialogs(directory: Path, locales_dir: Path | None = None) -> list[ScriptProblem]:
    return _load(directory, locales_dir)[1]
