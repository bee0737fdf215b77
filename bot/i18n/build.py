"""Catalog maintenance with Babel's standard commands, plus compiling at start-up.

The workflow, from the repository root (what `python -m bot.i18n.build ...` runs):

    pybabel extract -F babel.cfg -k N_ -k pgettext:1c,2 -k npgettext:1c,2,3 \\
        --add-comments=TRANSLATORS: --no-wrap --project=repaybot \\
        --copyright-holder="the repaybot authors" -o locales/messages.pot .
    pybabel update -i locales/messages.pot -d locales -D messages -l <locale> \\
        --init-missing --no-wrap --ignore-obsolete   # for en, zh_Hans, zh_Hant, zh_Hant_HK
    pybabel compile -d locales -D messages                    # or compile_catalogs()

The agents' console has a gettext domain of its own, `console`, extracted from
its templates with babel-console.cfg into locales/console.pot and kept in
locales/<locale>/LC_MESSAGES/console.po for the console's locales (CONSOLE_LOCALES);
`extract`, `update` and `compile` below do both domains.

`extract` reads the code (texts marked with pgettext) and the dialog scripts
(through the `repaybot_dialogs` extractor) into the template; `update` merges
the template into each locale's .po, creating missing ones; translators then
fill the .po files. The .mo files are build products (ignored by git), so a
fresh clone has none: `compile_catalogs` makes them at start-up and from the
Makefile, and only when a .mo is missing or older than its .po.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bot.domain.accounts import CATALOG_LOCALES

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
LOCALES_DIR = ROOT / "locales"
DOMAIN = "messages"

KEYWORDS = ("N_", "pgettext:1c,2", "npgettext:1c,2,3")
CONSOLE_DOMAIN = "console"
CONSOLE_LOCALES = ("en", "zh_Hans", "zh_Hant")
CONSOLE_MAPPING = "babel-console.cfg"


def _pybabel(args: Sequence[str]) -> None:
    """Run one pybabel command in-process, exactly as it would run in a shell."""
    # Babel's frontend is untyped; give the one call we make a signature.
    run: Callable[[list[str]], object] = CommandLineInterface().run
    run(["pybabel", "-q", *args])


def extract_args(output: str = f"locales/{DOMAIN}.pot") -> list[str]:
    """The arguments of `pybabel extract`, relative to the repository root."""
    args = ["extract", "-F", "babel.cfg"]
    for keyword in KEYWORDS:
        args += ["-k", keyword]
    args += ["--add-comments=TRANSLATORS:", "--no-wrap", "--project=repaybot"]
    args += ["--copyright-holder=the repaybot authors", "-o", output, "."]
    return args


def extract(root: Path = ROOT, output: Path | None = None) -> Path:
    """Write the template from code and scripts; returns its path.

    Runs from `root` so the locations written in the template are relative
    (dialogs/repayment.yaml:46), the same on every machine.
    """
    target = output if output is not None else root / "locales" / f"{DOMAIN}.pot"
    target.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.chdir(root):
        _pybabel(extract_args(str(target)))
    return target


def extract_console(root: Path = ROOT, output: Path | None = None) -> Path:
    """Write the console's template (locales/console.pot) from its templates."""
    target = output if output is not None else root / "locales" / f"{CONSOLE_DOMAIN}.pot"
    target.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.chdir(root):
        _pybabel(
            [
                "extract",
                "-F",
                CONSOLE_MAPPING,
                "--no-wrap",
                "--project=repaybot-console",
                "--copyright-holder=the repaybot authors",
                "-o",
                str(target),
                ".",
            ]
        )
    return target


def update(
    locales_dir: Path = LOCALES_DIR,
    locales: Sequence[str] = CATALOG_LOCALES,
    template: Path | None = None,
    domain: str = DOMAIN,
) -> None:
    """Merge the template into each locale's catalog, creating missing catalogs.

    Changed texts come back fuzzy with the old translation as a hint; the
    tests refuse fuzzy entries, so a translator must look at each one.
    Obsolete entries are dropped: git keeps their history.
    """
    pot = template if template is not None else locales_dir / f"{domain}.pot"
    for locale in locales:
        _pybabel(
            [
                "update",
                "-i",
                str(pot),
                "-d",
                str(locales_dir),
                "-D",
                domain,
                "-l",
                locale,
                "--init-missing",
                "--no-wrap",
                "--ignore-obsolete",
            ]
        )


def _needs_compiling(po: Path, mo: Path) -> bool:
    # "<=": on file systems with coarse timestamps a .po saved in the same
    # tick as its .mo is compiled again rather than served stale.
    return not mo.exists() or mo.stat().st_mtime_ns <= po.stat().st_mtime_ns


def _drop_untranslated_plurals(catalog: Catalog) -> None:
    """Leave out plural entries with no translation, as write_mo does for the others.

    write_mo keeps a plural entry whose forms are all empty, which would shadow the
    base catalog's translation in a regional catalog (zh_Hant_HK falls back to zh_Hant).
    """
    empty = [
        message
        for message in catalog
        if message.id and isinstance(message.string, tuple | list) and not any(message.string)
    ]
    for message in empty:
        catalog.delete(message.id, context=message.context)


def compile_catalogs(locales_dir: Path | str = LOCALES_DIR, *, force: bool = False) -> None:
    """Compile every .po under locales_dir whose .mo is missing or out of date.

    Safe to call at every start-up, also by several processes at once: each
    .mo is written to a temporary file and moved into place atomically, so a
    reader never sees half a catalog. Fuzzy entries are left out, as
    `pybabel compile` does, so an unreviewed translation is never shown.
    """
    for po in sorted(Path(locales_dir).glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if not force and not _needs_compiling(po, mo):
            continue
        with po.open("rb") as source:
            catalog = read_po(source, locale=po.parent.parent.name)
        _drop_untranslated_plurals(catalog)
        fd, temp_name = tempfile.mkstemp(dir=po.parent, prefix=".", suffix=".mo.tmp")
        try:
            with os.fdopen(fd, "wb") as target:
                write_mo(target, catalog, use_fuzzy=False)
            os.replace(temp_name, mo)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp_name)
            raise
        log.info("compiled %s", mo)


def update_all() -> None:
    """Both domains: the bot's texts in every catalog, the console's in its locales."""
    update()
    update(locales=CONSOLE_LOCALES, domain=CONSOLE_DOMAIN)


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m bot.i18n.build extract|update|compile|all`."""
    args = list(sys.argv[1:] if argv is None else argv)
    commands: dict[str, Callable[[], object]] = {
        "extract": lambda: (extract(), extract_console()),
        "update": update_all,
        "compile": lambda: compile_catalogs(force=True),
    }
    if len(args) != 1 or args[0] not in (*commands, "all"):
        print("usage: python -m bot.i18n.build extract|update|compile|all", file=sys.stderr)
        return 2
    for name in commands if args[0] == "all" else [args[0]]:
        commands[name]()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
