"""Every text the bot can send that no dialog script holds, for the lint (R6, R9, R10).

Scripts are linted by the validator with their own translations. What is left
is read here: the texts defined in code (`bot/i18n/messages.py`), the policy's
lender name and support lines, and every entry of every catalog, in every
locale, so that a threat added to a .po file, a channel text or the policy
fails `repaybot dialogs check` like one in a script.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from pathlib import Path

from babel.messages.pofile import read_po

from bot.config import ROOT
from bot.domain.accounts import CATALOG_LOCALES, LOCALES
from bot.domain.compliance import DEFAULT_MIN_DEADLINE_DAYS
from bot.domain.policy import Policy
from bot.engine.errors import ScriptProblem
from bot.engine.validator import SentText, validate_texts
from bot.i18n import messages as code_texts

# R6: texts that can be the first thing someone hears from the bot, outside a
# dialog: a stranger's first message, a dead link, a shared phone number, a group.
FIRST_CONTACT_IDS = (
    "channel.welcome",
    "channel.link_invalid",
    "channel.phone_unknown",
    "channel.phone_not_own",
    "channel.group_refused",
)


def _code_lines() -> tuple[str, dict[str, int]]:
    """The code texts' file (relative when possible) and the line naming each id."""
    source = Path(inspect.getfile(code_texts))
    lines = source.read_text(encoding="utf-8").splitlines()
    where: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        for message_id in code_texts.CODE_MESSAGES:
            if f'"{message_id}"' in line:
                where.setdefault(message_id, number)
    try:
        name = str(source.relative_to(ROOT))
    except ValueError:
        name = str(source)
    return name, where


def code_sent_texts() -> Iterator[SentText]:
    """The English texts defined in code (channel, command and charge-kind texts)."""
    name, where = _code_lines()
    for message_id, text in code_texts.CODE_MESSAGES.items():
        yield SentText(name, where.get(message_id, 1), "en", message_id, text)


def catalog_sent_texts(locales_dir: Path) -> Iterator[SentText]:
    """Every translation in every catalog; fuzzy entries are never shown, so skipped."""
    for locale in CATALOG_LOCALES:
        po = locales_dir / locale / "LC_MESSAGES" / "messages.po"
        if not po.is_file():
            continue
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=locale)
        for message in catalog:
            if not message.context or message.fuzzy:
                continue
            strings = (
                message.string if isinstance(message.string, tuple | list) else [message.string]
            )
            for text in strings:
                if text:
                    yield SentText(str(po), message.lineno or 1, locale, message.context, str(text))


def policy_sent_texts(policy: Policy, policy_file: Path) -> Iterator[SentText]:
    """The policy's own words that reach a borrower: the lender's name, the crisis lines
    and emergency numbers."""
    lines = policy_file.read_text(encoding="utf-8").splitlines() if policy_file.is_file() else []

    def line_of(value: str) -> int:
        return next((n for n, line in enumerate(lines, start=1) if value in line), 1)

    # Shown as is in every locale; linted once, as the English-side text.
    value = policy.lender_name
    yield SentText(str(policy_file), line_of(value), "en", "policy.lender_name", value)
    for locale, name in policy.lender_names.items():
        yield SentText(str(policy_file), line_of(name), locale, "policy.lender_names", name)
    for country, support in policy.support_lines.items():
        for line in support:
            for locale in LOCALES:
                text = line.text(locale)
                where = line_of(line.name[locale])
                yield SentText(
                    str(policy_file), where, locale, f"policy.support_lines.{country}", text
                )
    for country, said in policy.emergency_numbers.items():
        for locale in LOCALES:
            where = line_of(said[locale])
            yield SentText(
                str(policy_file), where, locale, f"policy.emergency_numbers.{country}", said[locale]
            )


def check_sent_texts(
    locales_dir: Path | None,
    *,
    policy: Policy | None = None,
    policy_file: Path | None = None,
    min_deadline_days: int = DEFAULT_MIN_DEADLINE_DAYS,
) -> list[ScriptProblem]:
    """Lint the code texts, the policy's texts and, when there are catalogs, every translation."""
    texts = list(code_sent_texts())
    if policy is not None and policy_file is not None:
        texts.extend(policy_sent_texts(policy, policy_file))
    if locales_dir is not None:
        texts.extend(catalog_sent_texts(locales_dir))
    return validate_texts(
        texts,
        first_contact_ids=FIRST_CONTACT_IDS,
        locales=LOCALES if locales_dir is not None else ("en",),
        min_deadline_days=min_deadline_days,
    )
