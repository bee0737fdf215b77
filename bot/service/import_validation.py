"""The lender's rows checked one by one, as the import stages them: every field's
type, size and meaning, and the texts a borrower will be shown (R9, R10).

A problem is kept with its line and field; the import writes nothing when there
is one (bot.service.accounts_import reads the file and runs the transaction).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.domain.accounts import ChargeKind
from bot.domain.compliance import lender_text_problem
from bot.domain.money import is_known_currency, minor_digits
from bot.service.import_report import ImportProblem
from bot.store.bulk_import import ACCOUNT_COLUMNS, StagedRow, Staging

ACCOUNT_FIELDS = ACCOUNT_COLUMNS
# Optional (issue 16 point 2): left out or empty, they say nothing, so a person's breathing
# space stays; only LIFT_WORDS in the start lift it (an empty cell is too easy to write).
BREATHING_FIELDS, LIFT_WORDS = ("breathing_space_start", "breathing_space_end"), {"lift", "none"}
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


class TooManyProblems(Exception):
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


class RowValidator:
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
            raise TooManyProblems

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
            out.append((name, "is not a date in YYYY-MM-DD form"))
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
            out.append(("timezone", "is not an IANA time zone"))
            zone = None
        currency = self._text(out, "currency", raw[6], MAX_TEXT)
        if currency is not None:
            if _currency_digits(currency.upper()) is None:
                out.append(("currency", "is not an ISO 4217 currency"))
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
        if start.__class__ is str and start.strip().lower() in LIFT_WORDS:
            if end is None or not str(end).strip():
                return ("0", None, None)
            out.append((BREATHING_FIELDS[1], f"must be empty with {start.strip()!r}"))
            return _NO_BREATHING
        days: list[date | None] = []
        for name, value in zip(BREATHING_FIELDS, (start, end), strict=True):
            text = "" if value is None else value.strip() if value.__class__ is str else value
            day = _iso_day(text) if text.__class__ is str and text else None
            if text != "" and day is None:
                out.append((name, "is not a date in YYYY-MM-DD form"))
                return _NO_BREATHING
            days.append(day)
        first, last = days
        if first is None and last is None:
            return _NO_BREATHING  # empty cells say nothing; `lift` lifts
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
            out.append(("charge_amount", "is not a decimal amount"))
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
            self.fail(line, "charge_id", "appears twice for this account")
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
