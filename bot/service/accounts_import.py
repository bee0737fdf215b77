"""Import the lender's export: CSV (a row per charge) or JSON Lines (an account per line).

The file is read and validated as a stream, a batch of rows at a time, into
staging tables of one transaction (bot/store/bulk_import.py); the database
then merges it with bulk upserts. Memory stays flat however large the file.
A file with one bad row is rejected whole, with each problem's line number and
reason, and leaves the database as it was. Importing the same file again
updates in place, never duplicates, and rewrites nothing that did not change.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Generator, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.service import worklist
from bot.service.import_reading import (
    RowError,
    UnreadableFile,
    csv_rows,
    is_jsonl,
    jsonl_records,
    open_text,
)
from bot.service.import_report import ImportProblem, ImportRejected, ImportReport
from bot.service.import_validation import (
    ACCOUNT_FIELDS,
    BATCH_ROWS,
    BREATHING_FIELDS,
    CHARGE_FIELDS,
    CSV_COLUMNS,
    MAX_PROBLEMS,
    RowValidator,
    TooManyProblems,
)
from bot.service.progress import Progress, silent
from bot.store.bulk_import import FirstLoadClash, StagedRow, Staging


def _raw_rows(
    path: Path, opened: Callable[[TextIO], None] | None = None
) -> Generator[tuple[int, Sequence[Any]]]:
    """(line, values in CSV_COLUMNS order) for every charge in the file, CSV or JSON Lines.

    `opened` is handed the stream once it is open, so a caller can tell how far it is."""
    stream, _ = open_text(path)
    if opened is not None:
        opened(stream)
    with stream:
        jsonl, lines = is_jsonl(path, stream)
        if not jsonl:
            yield from csv_rows(lines, CSV_COLUMNS, BREATHING_FIELDS)
            return
        for number, record in jsonl_records(lines):
            if isinstance(record, str):
                raise RowError(number, "(line)", record)
            yield from _jsonl_charges(number, record)


# The names the commands, tests and benchmarks import from here.
__all__ = [
    "ACCOUNT_FIELDS",
    "BATCH_ROWS",
    "BREATHING_FIELDS",
    "CHARGE_FIELDS",
    "CSV_COLUMNS",
    "MAX_PROBLEMS",
    "ImportProblem",
    "ImportRejected",
    "ImportReport",
    "import_accounts",
]


def _jsonl_charges(number: int, record: dict[str, Any]) -> Iterator[tuple[int, Sequence[Any]]]:
    charges = record.get("charges")
    if not isinstance(charges, list) or not charges:
        raise RowError(number, "charges", "needs a non-empty list")
    head = [record.get(k) for k in ACCOUNT_FIELDS]
    # A key left out or null says nothing (None); "lift" in the start lifts.
    breathing = [record.get(k) for k in BREATHING_FIELDS]
    for charge in charges:
        if not isinstance(charge, dict):
            raise RowError(number, "charges", "items must be objects")
        yield (
            number,
            [
                *head,
                charge.get("charge_id"),
                charge.get("kind"),
                charge.get("description"),
                charge.get("amount"),
                charge.get("posted_on"),
                *breathing,
            ],
        )


def _batches(
    path: Path, validator: RowValidator, progress: Progress = silent
) -> Generator[tuple[list[StagedRow], list[StagedRow]]]:
    """Validated staging rows, a batch at a time; problems collect in the validator.

    Progress is told the bytes of the file read so far after each batch."""
    accounts: list[StagedRow] = []
    charges: list[StagedRow] = []
    streams: list[TextIO] = []
    rows = _raw_rows(path, streams.append)
    size = path.stat().st_size

    def read_so_far() -> int:
        # The buffer reads ahead a few kilobytes: near enough for a bar.
        return int(streams[0].buffer.tell()) if streams and not streams[0].closed else size

    try:
        for line, raw in rows:
            try:
                validator.row(line, raw, accounts, charges)
            except TooManyProblems:
                validator.problems.append(
                    ImportProblem(line, "(file)", f"{MAX_PROBLEMS} problems; stopped reading here")
                )
                return
            if len(charges) >= BATCH_ROWS:
                progress(read_so_far(), size)
                yield accounts, charges
                accounts, charges = [], []
    except RowError as error:
        validator.problems.append(ImportProblem(error.line, error.field, error.reason))
        return
    except UnreadableFile as error:
        validator.problems.append(ImportProblem(1, "(file)", str(error)))
        return
    except OSError as error:
        reason = f"cannot be read: {error.strerror or error}"
        validator.problems.append(ImportProblem(1, "(file)", reason))
        return
    finally:
        rows.close()
    progress(size, size)
    yield accounts, charges


async def _stage_file(
    path: Path, staging: Staging, validator: RowValidator, progress: Progress
) -> None:
    """Read and check the next batch in a worker thread while the database takes this one."""
    batches = _batches(path, validator, progress)
    pending = asyncio.ensure_future(asyncio.to_thread(next, batches, None))
    try:
        while (batch := await pending) is not None:
            pending = asyncio.ensure_future(asyncio.to_thread(next, batches, None))
            if not validator.problems:  # a rejected file needs no more staging
                await staging.add(*batch)
    finally:
        with contextlib.suppress(BaseException):
            await pending
        batches.close()


async def _check_repeats(staging: Staging, validator: RowValidator) -> bool:
    """Accounts that come back far down the file; True when there were any."""
    repeated = False
    first: tuple[Any, ...] | None = None
    try:
        async for row in staging.repeated_accounts():
            repeated = True
            if first is None or first[1] != row[1]:
                first = row
            else:
                validator.disagreeing(first, row)
        if repeated:
            async for line, _charge_id in staging.repeated_charges():
                validator.fail(line, "charge_id", "appears twice for this account")
    except TooManyProblems:
        pass
    return repeated


async def import_accounts(
    sessions: async_sessionmaker[AsyncSession], path: Path, progress: Progress = silent
) -> ImportReport:
    """Import a CSV or JSON Lines file in one transaction, or raise ImportRejected.

    `progress` hears the bytes of the file read so far, and the file's size."""
    now = datetime.now(UTC)
    try:
        return await _import(sessions, path, now, first_load=True, progress=progress)
    except FirstLoadClash:  # rolled back; the careful way finds and says what repeats
        return await _import(sessions, path, now, first_load=False, progress=progress)


async def _import(
    sessions: async_sessionmaker[AsyncSession],
    path: Path,
    now: datetime,
    *,
    first_load: bool,
    progress: Progress,
) -> ImportReport:
    async with sessions() as session, session.begin():
        staging = Staging(await session.connection(), now)
        await staging.create(first_load)
        validator = RowValidator(staging, now.date())
        await _stage_file(path, staging, validator, progress)
        repeated = False
        if not validator.problems:
            await staging.index()
            repeated = await _check_repeats(staging, validator)
        if not validator.problems and validator.rows == 0:
            validator.problems.append(ImportProblem(1, "(file)", "has no accounts"))
        if validator.problems:
            raise ImportRejected(sorted(validator.problems, key=lambda p: p.line))
        if repeated:
            await staging.keep_first_rows()
        counts = await staging.merge(breathing=validator.breathing)
        # New charges, dropped ones, a new due date, payments now in the figures: every
        # open case is weighed again (its cost follows the open cases, not the file).
        await worklist.reweigh(session, now)
    return ImportReport(
        accounts_created=counts.accounts_created,
        accounts_updated=counts.accounts_updated,
        charges_created=counts.charges_created,
        charges_updated=counts.charges_updated,
        charges_removed=counts.charges_removed,
        arrangements_flagged=counts.arrangements_flagged,
        breathing_spaces_set=counts.breathing_spaces_set,
        breathing_spaces_lifted=counts.breathing_spaces_lifted,
        lifted_accounts=counts.lifted_accounts,
    )
