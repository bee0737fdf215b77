"""What each CLI command does; errors become clear messages and exit codes."""

from __future__ import annotations

import sys
from pathlib import Path

from bot.config import Settings
from bot.engine.errors import ScriptError


def _err(message: str) -> None:
    sys.stderr.write(message + "\n")


async def db_upgrade(settings: Settings) -> int:
    from bot.store.db import upgrade

    await upgrade(settings.database_url)
    print("Database is up to date.")
    return 0


async def import_accounts(settings: Settings, path: Path) -> int:
    from bot.service.accounts_import import ImportRejected
    from bot.service.accounts_import import import_accounts as run_import
    from bot.store.db import create_engine, session_factory, upgrade

    if not path.is_file():
        _err(f"No such file: {path}")
        return 2
    await upgrade(settings.database_url)
    engine = create_engine(settings.database_url)
    try:
        report = await run_import(session_factory(engine), path)
    except ImportRejected as rejected:
        _err(f"{path}: rejected, nothing was imported.")
        for problem in rejected.problems:
            _err(f"  line {problem.line}: {problem.field}: {problem.reason}")
        return 1
    finally:
        await engine.dispose()
    print(f"{path.name}: {report}")
    return 0


def check_dialogs(settings: Settings, directory: Path | None) -> int:
    from bot.service.scripts import check_dialogs as run_check

    problems = run_check(directory or settings.dialogs_dir, settings.locales_dir)
    for problem in problems:
        _err(str(problem))
    if problems:
        _err(f"{len(problems)} problem(s) found.")
        return 1
    print("Dialogs and policy are valid.")
    return 0


async def chat(settings: Settings, account_id: str, locale: str | None) -> int:
    from bot.bootstrap import build_app
    from bot.channels.terminal import run_chat
    from bot.service.conversations import AccountMissing

    try:
        app = await build_app(settings)
    except ScriptError as exc:
        _err(f"The dialog scripts are broken; fix them first:\n{exc}")
        return 1
    try:
        return await run_chat(app, account_id=account_id, locale=locale)
    except AccountMissing:
        _err(f"No account {account_id!r}. Import one with: repaybot accounts import FILE")
        return 2
    finally:
        await app.close()


async def export(settings: Settings, what: str, fmt: str, output: Path | None) -> int:
    from bot.service.exports import export as run_export
    from bot.store.db import create_engine, session_factory, upgrade

    await upgrade(settings.database_url)
    engine = create_engine(settings.database_url)
    try:
        if output is None:
            count = await run_export(session_factory(engine), what=what, fmt=fmt, out=sys.stdout)  # type: ignore[arg-type]
        else:
            with output.open("w", encoding="utf-8", newline="") as out:
                count = await run_export(session_factory(engine), what=what, fmt=fmt, out=out)  # type: ignore[arg-type]
    finally:
        await engine.dispose()
    _err(f"{count} {what} exported.")
    return 0
