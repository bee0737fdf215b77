"""`repaybot retention run` and `repaybot accounts erase`: records kept and let go (R17, R18)."""

from __future__ import annotations

import getpass
import sys
from datetime import UTC, datetime

from bot.commands import _database, _err
from bot.config import Settings
from bot.engine.errors import ScriptError


def _keep_years(settings: Settings) -> int | None:
    """The policy's duty in years, or None (said on stderr) when the policy is broken."""
    from bot.engine.loader import load_policy
    from bot.service.scripts import POLICY_FILE

    path = settings.dialogs_dir / POLICY_FILE
    try:
        policy = load_policy(path.read_text(encoding="utf-8"), str(path))
    except ScriptError as error:
        _err(f"The policy is broken; fix it first:\n{error}")
        return None
    return policy.records.keep_years


async def run_retention(settings: Settings, *, dry_run: bool) -> int:
    from bot.service.retention import purge

    keep = _keep_years(settings)
    if keep is None:
        return 1
    async with _database(settings) as sessions:
        done = await purge(sessions, now=datetime.now(UTC), keep_years=keep, dry_run=dry_run)
    verb = "would let go" if dry_run else "let go"
    print(f"Records older than {keep} years ({'dry run, nothing changed' if dry_run else 'done'}):")
    for what, count in done.items():
        print(f"  {what:<24}{count:>10}  {verb}")
    return 0


async def erase_account(settings: Settings, account_id: str, reason: str, by: str | None) -> int:
    from bot.service.erasure import ErasureRefused
    from bot.service.erasure import erase_account as erase

    keep = _keep_years(settings)
    if keep is None:
        return 1
    actor = by or f"cli:{getpass.getuser()}"
    async with _database(settings) as sessions:
        try:
            async with sessions() as session, session.begin():
                erased = await erase(
                    session,
                    account_id,
                    now=datetime.now(UTC),
                    keep_years=keep,
                    reason=reason,
                    actor=actor,
                )
        except ErasureRefused as refused:
            _err(str(refused))
            return 2
    sys.stdout.write(
        f"Account {erased.account_id} erased: {erased.messages} messages and the personal "
        f"data of {erased.conversations} conversation(s) removed; its figures and an audit "
        "line are kept.\n"
    )
    return 0
