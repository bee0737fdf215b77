"""`repaybot reminders plan|simulate`: what the bot will send, shown before it does.

Both only read the database. `plan` shows the queue and what the planner would
queue or hold at a moment; `simulate` plays the cadence over days on a copy of
the portfolio held in memory, every account treated as reachable.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from bot.commands import _database, _err
from bot.config import Settings
from bot.engine.errors import ScriptError


def moment(value: str) -> datetime:
    """An ISO 8601 date-time for --at; without a zone it is UTC."""
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _loaded(settings: Settings):  # type: ignore[no-untyped-def]
    from bot.service.scripts import load_dialogs

    return load_dialogs(settings.dialogs_dir, settings.locales_dir)


async def plan(settings: Settings, at: datetime | None, fmt: str) -> int:
    from bot.service.reminders.planner import PlanReport
    from bot.service.reminders.preview import preview
    from bot.terminal_progress import progress_bar

    try:
        loaded = _loaded(settings)
    except ScriptError as error:
        _err(f"The dialogs do not load: {error}")
        return 1
    when = at or datetime.now(UTC)
    rules = loaded.policy.reminders
    counts: dict[str, int] = defaultdict(int)
    load = PlanReport()
    async with _database(settings) as sessions:
        # Lines go on as the bar draws: at a terminal rich prints them above it.
        with progress_bar("Looking at accounts", in_bytes=False) as progress:
            async for line in preview(sessions, rules, when, progress, load):
                counts[line.status] += 1
                if fmt == "jsonl":
                    sys.stdout.write(
                        json.dumps(
                            {
                                "account_id": line.account_id,
                                "stage": line.stage,
                                "status": line.status,
                                "send_at": line.send_at.astimezone(UTC).isoformat()
                                if line.send_at
                                else None,
                                "rule": line.rule,
                            }
                        )
                        + "\n"
                    )
                else:
                    print(line.text())
    if fmt != "jsonl":
        said = ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "nothing"
        print(f"At {when.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}: {said}.")
    for warning in load.warnings(rules):  # on stderr: stdout stays the plan's lines
        _err(f"Warning: {warning}.")
    return 0


def _payments(path: Path) -> dict[str, list[tuple[date, Decimal]]] | None:
    """The payments file as the import reads it; None (said on stderr) when it is bad."""
    from bot.service.payments import _read

    if not path.is_file():
        _err(f"No such file: {path}")
        return None
    found, problems = _read(path, lambda done, total: None)
    if problems:
        for problem in problems[:20]:
            _err(f"{path}: {problem}")
        return None
    paid: dict[str, list[tuple[date, Decimal]]] = defaultdict(list)
    for payment in found:
        paid[payment.account_id].append((payment.paid_on, payment.amount))
    return paid


async def simulate(
    settings: Settings, start: date, days: int, fmt: str, payments: Path | None
) -> int:
    from bot.service.reminders.simulate import simulate as run
    from bot.service.reminders.simulate import text_keys
    from bot.terminal_progress import progress_bar

    if days < 1:
        _err("--days must be 1 or more")
        return 2
    paid = None
    if payments is not None:
        paid = _payments(payments)
        if paid is None:
            return 2
    try:
        loaded = _loaded(settings)
    except ScriptError as error:
        _err(f"The dialogs do not load: {error}")
        return 1
    rules = loaded.policy.reminders
    script = next(iter(loaded.scripts.values()))
    keys = text_keys(loaded.scripts.get("repayment", script), rules)
    sent = held = 0
    async with _database(settings) as sessions:
        with progress_bar("Simulating accounts", in_bytes=False) as progress:
            async for line in run(sessions, rules, keys, start, days, paid, progress):
                record = line.as_dict()
                sent += line.text_key is not None
                held += line.text_key is None
                if fmt == "jsonl":
                    sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
                else:
                    print("  ".join(f"{k}={v}" for k, v in record.items()))
    if fmt != "jsonl":
        print(f"{sent} message(s) would be sent, {held} reminder(s) held back.")
    return 0
