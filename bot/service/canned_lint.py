"""`repaybot dialogs check` over the console's canned replies (issue 32).

An agent sends a canned reply to a borrower with a click, so it is held to what
every text the bot sends is held to: no threat, false legal claim or pressure (R9,
R10), and none of the glossary's forbidden forms in the market where a borrower
reads it (催收 anywhere in Chinese, 帳戶 in Hong Kong, "installment" in the UK).
Each text is read as each catalog locale's borrower reads it: a regional text of
its own (zh_Hant_HK, en_GB), else its base language's. A problem names the file,
the line and the reply ("canned_replies.<id>").

R3 (how to stop reminders) is not asked of them: a canned reply answers, inside a
conversation, a borrower who is talking to a person; it is never a reminder.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import yaml

from bot.domain.accounts import CATALOG_LOCALES
from bot.engine.errors import ScriptProblem
from bot.engine.validator import SentText, validate_texts
from bot.service import canned
from bot.service.glossary_lint import GLOSSARY_FILE, glossary_problems, load_glossary

_WHERE = re.compile(r"^.*?:(\d+): (.*)$", re.DOTALL)


def canned_sent_texts(path: Path) -> Iterator[SentText]:
    """Every canned reply's text as each catalog locale's borrower reads it."""
    replies = canned.load(path)
    lines = canned.text_lines(path)
    for reply in replies:
        for locale in CATALOG_LOCALES:
            written_in = reply.written_for(locale)
            yield SentText(
                str(path),
                lines.get((reply.id, written_in), 1),
                locale,
                f"canned_replies.{reply.id}",
                reply.text[written_in],
            )


def check_canned_replies(dialogs_dir: Path, locales_dir: Path | None) -> list[ScriptProblem]:
    """R9/R10 and the glossary over the canned replies; none when there are none."""
    path = canned.file_in(dialogs_dir)
    if not path.is_file():
        return []
    try:
        texts = list(canned_sent_texts(path))
    except canned.CannedRepliesError as exc:
        # The loader's message starts with "file:line:"; the problem carries both apart.
        found = _WHERE.match(str(exc))
        line, said = (int(found.group(1)), found.group(2)) if found else (1, str(exc))
        return [ScriptProblem(str(path), line, None, f"canned replies: {said}")]
    problems = validate_texts(texts, locales=())
    if locales_dir is not None and (locales_dir / GLOSSARY_FILE).is_file():
        try:
            glossary = load_glossary(locales_dir)
        except (ValueError, yaml.YAMLError):
            return problems  # reported once, by the catalogs' glossary check
        problems.extend(glossary_problems(glossary, iter(texts)))
    return problems
