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
import re
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.accounts import ChargeKind
from bot.domain.compliance import lender_text_problem
from bot.domain.money import is_known_currency, minor_digits
from bot.service.import_reading import (
    RowError,
    UnreadableFile,
    csv_rows,
    is_jsonl,
    jsonl_records,
    open_text,
)
from bot.service.progress import Progress, silent
from bot.store.bulk_import import ACCOUNT_COLUMNS, FirstLoadClash, StagedRow, Staging

ACCOUNT_FIELDS = ACCOUNT_COLUMNS
# Optional (issue 16 point 2): a column left out says nothing, so a breathing
# space a person set stays; present and empty, it says there is none.
BREATHING_FIELDS = ("breathing_space_start", "breathing_space_end")
CHARGE_FIELDS = (
    "charge_id",
    "charge_kind",
    "charge_description",
    "charge_amount",
    "charge_posted_on",
)
CSV_COLUMNS = ACCOUNT_FIELDS + CHARGE_FIELDS + BREATHING_FIELDS
# The file's names for the staged account values (BREATHING_COLUMNS three).
_STAGED_NAMES = (*ACCOUNT_FIELDS, "breathing_space_start", *BREATHING_FIELDS)
_NO_BREATHING = (None, None, None)
LOCALES = {
    "en": "en",
    "zh-hans": "zh_Hans",
    "zh_hans": "zh_Hans",
    "zh-hant": "zh_Hant",
    "zh_hant": "zh_Hant",
}
E164 = re.compile(r"^\+[1-9]\d{6,14}$")
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
MAX_TEXT = 200
MAX_ID = 64  # the width of the id columns
MAX_PROBLEMS = 1000  # a file that bad is the wrong file; stop reading and say so
BATCH_ROWS = 10_000
KINDS = frozenset(k.value for k in ChargeKind)
TOO_LARGE = Decimal(10) ** 14


@dataclass(frozen=True)
class ImportProblem:
    line: int
    field: str
    reason: str


class ImportRejected(Exception):
    """The file had problems; nothing was written."""

    def __init__(self, problems: list[ImportProblem]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s)")


@dataclass
class ImportReport:
    accounts_created: int = 0
    accounts_updated: int = 0
    charges_created: int = 0
    charges_updated: int = 0
    charges_removed: int = 0
    arrangements_flagged: int = 0  # active arrangements the new figures contradict
    breathing_spaces_set: int = 0
    breathing_spaces_lifted: int = 0

    def __str__(self) -> str:
        """Only what happened, in the right number: "1 account created; 1 charge removed"."""
        parts = [
            _counted(self.accounts_created, self.accounts_updated, 0, "account"),
            _counted(self.charges_created, self.charges_updated, self.charges_removed, "charge"),
        ]
        parts.append(
            _counted(
                self.breathing_spaces_set,
                0,
                self.breathing_spaces_lifted,
                "breathing space",
                ("set", "", "lifted"),
            )
        )
        if self.arrangements_flagged:
            n = self.arrangements_flagged
            parts.append(f"{n} arrangement{'' if n == 1 else 's'} flagged for review")
        said = "; ".join(part for part in parts if part)
        return said or "nothing changed"


def _counted(
    created: int,
    updated: int,
    removed: int,
    noun: str,
    verbs: tuple[str, str, str] = ("created", "updated", "removed"),
) -> str:
    done = list(zip((created, updated, removed), verbs, strict=True))
    said = [(n, verb) for n, verb in done if n]
    if not said:
        return ""
    first, *rest = said
    head = f"{first[0]} {noun if first[0] == 1 else noun + 's'} {first[1]}"
    return ", ".join([head, *(f"{n} {verb}" for n, verb in rest)])


class _TooManyProblems(Exception):
    pass


@lru_cache(maxsize=8192)
def _iso_day(text: str) -> date | None:
    if not ISO_DAY.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


@lru_cache(maxsize=1024)
def _zone_exists(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


@lru_cache(maxsize=1024)
def _currency_digits(code: str) -> int | None:
    """Minor digits of a known ISO 4217 currency; None when the code is unknown."""
    return minor_digits(code) if is_known_currency(code) else None


@lru_cache(maxsize=16)
def _plain_amount(digits: int) -> Callable[[str], Any]:
    """A matcher of the common amount: no sign, no leading zero, no exponent, less
    than TOO_LARGE, at most `digits` decimals. Such text is what str(Decimal(text))
    gives back, so it is staged as written; anything else takes the full check."""
    decimals = rf"(?:\.\d{{1,{digits}}})?" if digits else ""
    return re.compile(rf"(?:0|[1-9]\d{{0,13}}){decimals}").fullmatch


class _Validator:
    """Checks rows one by one and turns them into staging rows.

    Rows of one account usually follow each other; such a run is a group, its
    account part is checked once and its charge ids must be unique. Accounts
    that come back later in the file are checked by the database afterwards.
    """

    def __init__(self, staging: Staging, today: date) -> None:
        self.problems: list[ImportProblem] = []
        self._today = today
        self._date = staging.date_value
        self._amount = staging.amount_value
        self._raw: Sequence[Any] | None = None
        self._id: str | None = None
        self._fields: tuple[Any, ...] = ()
        self._amount_ok: Callable[[str], Any] | None = None  # the group's plain amounts
        self._field_problems: list[tuple[str, str]] = []
        self._line = 0
        self._charges: set[str] = set()
        self._days: dict[Any, Any] = {}
        self._linted: dict[tuple[str, bool], str | None] = {}
        self.rows = 0
        self.breathing = False  # some row spoke of a breathing space

    def fail(self, line: int, name: str, reason: str) -> None:
        self.problems.append(ImportProblem(line, name, reason))
        if len(self.problems) >= MAX_PROBLEMS:
            raise _TooManyProblems

    # ---- fields ----

    def _text(self, out: list[tuple[str, str]], name: str, value: Any, limit: int) -> str | None:
        if value.__class__ is not str or not value.strip():
            out.append((name, "is required"))
            return None
        if len(value) > limit:
            out.append((name, f"is longer than {limit} characters"))
            return None
        return str(value.strip())

    def _shown_text_problem(self, text: str, *, is_name: bool = False) -> str | None:
        """R9/R10 on a text the borrower will be shown as written; one lint per distinct text."""
        key = (text, is_name)
        if key not in self._linted:
            if len(self._linted) >= 100_000:
                self._linted.clear()
            self._linted[key] = lender_text_problem(text, is_name=is_name)
        return self._linted[key]

    def _day(self, out: list[tuple[str, str]], name: str, value: Any) -> date | None:
        text = self._text(out, name, value, MAX_TEXT)
        if text is None:
            return None
        day = _iso_day(text)
        if day is None:
            out.append((name, f"{text!r} is not a date in YYYY-MM-DD form"))
        return day

    def _quick_account(self, raw: Sequence[Any]) -> tuple[Any, ...] | None:
        """The common case, a valid account, checked fast; None sends it to the full check."""
        try:
            account_id, name, phone, birth_text, locale, zone, currency, due_text = [
                value.strip() for value in raw
            ]
        except AttributeError:  # not text (JSON Lines)
            return None
        birth = _iso_day(birth_text)
        due = _iso_day(due_text)
        locale = LOCALES.get(locale.lower(), "")
        currency = currency.upper()
        if (
            not (0 < len(account_id) <= MAX_ID and 0 < len(name) <= MAX_TEXT)
            or birth is None
            or due is None
            or birth >= self._today
            or not locale
            or not E164.match(phone)
            or not _zone_exists(zone)
            or _currency_digits(currency) is None
            or self._shown_text_problem(name, is_name=True) is not None
        ):
            return None
        return (account_id, name, phone, birth, locale, zone, currency, due)

    def _account(self, head: Sequence[Any]) -> tuple[tuple[Any, ...], list[tuple[str, str]]]:
        """The account's values (ACCOUNT_FIELDS, then the three BREATHING_COLUMNS)."""
        raw = head[:8]
        breathing: tuple[Any, ...] = _NO_BREATHING
        out: list[tuple[str, str]] = []
        if len(head) > 8:
            breathing = self._breathing(out, head[8], head[9] if len(head) > 9 else None)
        quick = self._quick_account(raw)
        if quick is not None:
            return (*quick, *breathing), out

        account_id = self._text(out, "account_id", raw[0], MAX_ID)
        name = self._text(out, "borrower_name", raw[1], MAX_TEXT)
        if name is not None and (problem := self._shown_text_problem(name, is_name=True)):
            out.append(("borrower_name", problem))
            name = None
        phone = self._text(out, "phone", raw[2], MAX_TEXT)
        if phone is not None and not E164.match(phone):
            out.append(("phone", "must be in E.164 form, like +15551234567"))
            phone = None
        birth = self._day(out, "birth_date", raw[3])
        if birth is not None and birth >= self._today:
            out.append(("birth_date", "must be in the past"))
            birth = None
        locale = self._text(out, "locale", raw[4], MAX_TEXT)
        if locale is not None:
            locale = LOCALES.get(locale.lower())
            if locale is None:
                out.append(("locale", "must be en, zh-Hans or zh-Hant"))
        zone = self._text(out, "timezone", raw[5], MAX_TEXT)
        if zone is not None and not _zone_exists(zone):
            out.append(("timezone", f"{zone!r} is not an IANA time zone"))
            zone = None
        currency = self._text(out, "currency", raw[6], MAX_TEXT)
        if currency is not None:
            if _currency_digits(currency.upper()) is None:
                out.append(("currency", f"{currency!r} is not an ISO 4217 currency"))
                currency = None
            else:
                currency = currency.upper()
        due = self._day(out, "due_date", raw[7])
        return (account_id, name, phone, birth, locale, zone, currency, due, *breathing), out

    def _breathing(self, out: list[tuple[str, str]], start: Any, end: Any) -> tuple[Any, ...]:
        """A breathing space's staged values: None for a row that says nothing of it."""
        if start is None and end is None:
            return _NO_BREATHING
        self.breathing = True
        days: list[date | None] = []
        for name, value in zip(BREATHING_FIELDS, (start, end), strict=True):
            text = "" if value is None else value.strip() if value.__class__ is str else value
            day = _iso_day(text) if text.__class__ is str and text else None
            if text != "" and day is None:
                out.append((name, f"{text!r} is not a date in YYYY-MM-DD form"))
                return _NO_BREATHING
            days.append(day)
        first, last = days
        if first is None and last is None:
            return ("0", None, None)
        if first is None:
            out.append((BREATHING_FIELDS[0], f"is required with {BREATHING_FIELDS[1]}"))
            return _NO_BREATHING
        if last is not None and last < first:
            out.append((BREATHING_FIELDS[1], f"is before {BREATHING_FIELDS[0]}"))
            return _NO_BREATHING
        return ("1", self._date(first), None if last is None else self._date(last))

    def _staged_day(self, text: Any) -> Any:
        """A valid date's staging value, parsed once per distinct text; None otherwise."""
        staged = self._days.get(text)
        if staged is None and text.__class__ is str:
            day = _iso_day(text.strip())
            if day is not None:
                staged = self._date(day)
                if len(self._days) < 100_000:
                    self._days[text] = staged
        return staged

    def _quick_charge(self, line: int, raw: Sequence[Any]) -> StagedRow | None:
        """The common case, a valid charge, checked fast; None sends it to the full check."""
        charge_id, kind, description, amount_text, posted = raw[8:13]
        amount_ok = self._amount_ok
        if (
            amount_ok is None
            or charge_id.__class__ is not str
            or description.__class__ is not str
            or amount_text.__class__ is not str
            or kind.__class__ is not str
            or posted.__class__ is not str
            or not (0 < len(charge_id) <= MAX_ID and 0 < len(description) <= MAX_TEXT)
            or kind not in KINDS
            or not amount_ok(amount_text)
        ):
            return None
        staged_day = self._days.get(posted) or self._staged_day(posted)
        charge_id, description = charge_id.strip(), description.strip()
        if not charge_id or not description or staged_day is None:
            return None
        if self._shown_text_problem(description) is not None:
            return None
        return (line, self._id, charge_id, kind, description, amount_text, staged_day)

    def _charge(self, line: int, raw: Sequence[Any], currency: str | None) -> StagedRow | None:
        """The full check of a charge the quick one sent here."""
        out: list[tuple[str, str]] = []
        charge_id = self._text(out, "charge_id", raw[8], MAX_ID)
        kind = self._text(out, "charge_kind", raw[9], MAX_TEXT)
        if kind is not None and kind not in KINDS:
            out.append(
                ("charge_kind", "must be principal, interest, late_fee, annual_fee or other")
            )
        description = self._text(out, "charge_description", raw[10], MAX_TEXT)
        if description is not None and (problem := self._shown_text_problem(description)):
            out.append(("charge_description", problem))
        amount = self._amount_of(out, raw[11], currency)
        posted_on = self._day(out, "charge_posted_on", raw[12])
        for name, reason in out:
            self.fail(line, name, reason)
        if out or posted_on is None or amount is None:
            return None
        return (line, self._id, charge_id, kind, description, amount, self._date(posted_on))

    def _amount_of(self, out: list[tuple[str, str]], value: Any, currency: str | None) -> Any:
        text = str(value).strip() if value is not None else ""
        try:
            amount = Decimal(text)
            if not amount.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            out.append(("charge_amount", f"{text!r} is not a decimal amount"))
            return None
        if amount < 0:
            out.append(("charge_amount", "must not be negative"))
            return None
        if amount >= TOO_LARGE:
            out.append(("charge_amount", "is too large"))
            return None
        digits = _currency_digits(currency) if currency else None
        exponent = amount.as_tuple().exponent
        if (
            digits is not None
            and isinstance(exponent, int)
            and exponent < -digits
            and amount % Decimal(1).scaleb(-digits) != 0
        ):
            out.append(("charge_amount", f"has more decimals than {currency} allows"))
            return None
        return self._amount(amount)

    # ---- rows ----

    def row(
        self, line: int, raw: Sequence[Any], accounts: list[StagedRow], charges: list[StagedRow]
    ) -> None:
        """Check one row (values in CSV_COLUMNS order, the optional ones may be cut off);
        stage what is valid."""
        self.rows += 1
        head = raw[:8] if len(raw) <= 13 else [*raw[:8], *raw[13:15]]
        problems = self._field_problems
        if head != self._raw:
            fields, problems = self._account(head)
            if fields[0] is not None and fields[0] == self._id:
                self._compare(line, fields)
            else:
                self._raw = head
                self._id = fields[0]
                self._fields = fields
                digits = _currency_digits(fields[6]) if fields[6] else None
                self._amount_ok = None if digits is None else _plain_amount(digits)
                self._field_problems = problems
                self._line = line
                self._charges = set()
                if not problems:
                    birth, due = fields[3], fields[7]
                    accounts.append(
                        (
                            line,
                            *fields[:3],
                            self._date(birth),
                            *fields[4:7],
                            self._date(due),
                            *fields[8:],
                        )
                    )
        for name, reason in problems:
            self.fail(line, name, reason)
        charge = self._quick_charge(line, raw) or self._charge(line, raw, self._fields[6])
        if charge is None or self._field_problems or self._id is None:
            return
        charge_id = charge[2]
        if charge_id in self._charges:
            self.fail(line, "charge_id", f"{charge_id!r} appears twice for this account")
            return
        self._charges.add(charge_id)
        charges.append(charge)

    def _compare(self, line: int, fields: tuple[Any, ...]) -> None:
        differs = _named(a != b for a, b in zip(fields, self._fields, strict=True))
        if differs:
            self.fail(
                line, ",".join(differs), f"disagrees with line {self._line} of the same account"
            )

    def disagreeing(self, first: tuple[Any, ...], later: tuple[Any, ...]) -> None:
        """An account staged again far down the file must say the same as its first row."""
        differs = _named(a != b for a, b in zip(later[1:], first[1:], strict=True))
        if differs:
            self.fail(
                int(later[0]),
                ",".join(differs),
                f"disagrees with line {first[0]} of the same account",
            )


def _named(differ: Iterator[bool]) -> list[str]:
    """The file's names of the staged account values that differ, each once."""
    return list(dict.fromkeys(n for n, d in zip(_STAGED_NAMES, differ, strict=True) if d))


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


def _jsonl_charges(number: int, record: dict[str, Any]) -> Iterator[tuple[int, Sequence[Any]]]:
    charges = record.get("charges")
    if not isinstance(charges, list) or not charges:
        raise RowError(number, "charges", "needs a non-empty list")
    head = [record.get(k) for k in ACCOUNT_FIELDS]
    # A key left out says nothing (None); a key given as null says "none" ("").
    breathing = [None if k not in record else record[k] or "" for k in BREATHING_FIELDS]
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
    path: Path, validator: _Validator, progress: Progress = silent
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
            except _TooManyProblems:
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
    path: Path, staging: Staging, validator: _Validator, progress: Progress
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


async def _check_repeats(staging: Staging, validator: _Validator) -> bool:
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
            async for line, charge_id in staging.repeated_charges():
                validator.fail(line, "charge_id", f"{charge_id!r} appears twice for this account")
    except _TooManyProblems:
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
        validator = _Validator(staging, now.date())
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
    return ImportReport(
        accounts_created=counts.accounts_created,
        accounts_updated=counts.accounts_updated,
        charges_created=counts.charges_created,
        charges_updated=counts.charges_updated,
        charges_removed=counts.charges_removed,
        arrangements_flagged=counts.arrangements_flagged,
        breathing_spaces_set=counts.breathing_spaces_set,
        breathing_spaces_lifted=counts.breathing_spaces_lifted,
    )
