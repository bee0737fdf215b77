"""Import the lender's export: CSV (a row per charge) or JSON Lines (an account per line).

Everything is validated before anything is written, and written in one
transaction: a file with one bad row is rejected whole, with each problem's
line number and reason, and leaves the database as it was. Importing the same
file again updates in place and never duplicates.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col

from bot.domain.accounts import ChargeKind
from bot.domain.money import is_known_currency, minor_unit
from bot.store.tables import AccountRow, ChargeRow

ACCOUNT_FIELDS = (
    "account_id",
    "borrower_name",
    "phone",
    "birth_date",
    "locale",
    "timezone",
    "currency",
    "due_date",
)
CHARGE_FIELDS = (
    "charge_id",
    "charge_kind",
    "charge_description",
    "charge_amount",
    "charge_posted_on",
)
CSV_COLUMNS = ACCOUNT_FIELDS + CHARGE_FIELDS
LOCALES = {
    "en": "en",
    "zh-hans": "zh_Hans",
    "zh_hans": "zh_Hans",
    "zh-hant": "zh_Hant",
    "zh_hant": "zh_Hant",
}
E164 = re.compile(r"^\+[1-9]\d{6,14}$")
MAX_TEXT = 200


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

    def __str__(self) -> str:
        return (
            f"{self.accounts_created} accounts created, {self.accounts_updated} updated; "
            f"{self.charges_created} charges created, {self.charges_updated} updated, "
            f"{self.charges_removed} removed"
        )


@dataclass
class _Account:
    line: int
    fields: dict[str, Any]
    charges: dict[str, dict[str, Any]] = field(default_factory=dict)


class _Checker:
    def __init__(self) -> None:
        self.problems: list[ImportProblem] = []

    def fail(self, line: int, name: str, reason: str) -> None:
        self.problems.append(ImportProblem(line, name, reason))

    def text(self, line: int, name: str, value: Any) -> str | None:
        if not isinstance(value, str) or not value.strip():
            self.fail(line, name, "is required")
            return None
        if len(value) > MAX_TEXT:
            self.fail(line, name, f"is longer than {MAX_TEXT} characters")
            return None
        return value.strip()

    def day(self, line: int, name: str, value: Any) -> date | None:
        text = self.text(line, name, value)
        if text is None:
            return None
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                raise ValueError
            return date.fromisoformat(text)
        except ValueError:
            self.fail(line, name, f"{text!r} is not a date in YYYY-MM-DD form")
            return None

    def account(self, line: int, raw: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in ("account_id", "borrower_name"):
            out[name] = self.text(line, name, raw.get(name))
        phone = self.text(line, "phone", raw.get("phone"))
        if phone is not None and not E164.match(phone):
            self.fail(line, "phone", "must be in E.164 form, like +15551234567")
        out["phone"] = phone
        birth = self.day(line, "birth_date", raw.get("birth_date"))
        if birth is not None and birth >= datetime.now(UTC).date():
            self.fail(line, "birth_date", "must be in the past")
        out["birth_date"] = birth
        locale = self.text(line, "locale", raw.get("locale"))
        if locale is not None and locale.lower() not in LOCALES:
            self.fail(line, "locale", "must be en, zh-Hans or zh-Hant")
        out["locale"] = LOCALES.get((locale or "").lower())
        zone = self.text(line, "timezone", raw.get("timezone"))
        if zone is not None:
            try:
                ZoneInfo(zone)
            except (ZoneInfoNotFoundError, ValueError):
                self.fail(line, "timezone", f"{zone!r} is not an IANA time zone")
        out["timezone"] = zone
        currency = self.text(line, "currency", raw.get("currency"))
        if currency is not None and not is_known_currency(currency):
            self.fail(line, "currency", f"{currency!r} is not an ISO 4217 currency")
        out["currency"] = currency.upper() if currency else None
        out["due_date"] = self.day(line, "due_date", raw.get("due_date"))
        return out

    def charge(self, line: int, raw: dict[str, Any], currency: str | None) -> dict[str, Any]:
        out: dict[str, Any] = {"charge_id": self.text(line, "charge_id", raw.get("charge_id"))}
        kind = self.text(line, "charge_kind", raw.get("charge_kind"))
        if kind is not None and kind not in {k.value for k in ChargeKind}:
            self.fail(
                line, "charge_kind", "must be principal, interest, late_fee, annual_fee or other"
            )
        out["kind"] = kind
        out["description"] = self.text(line, "charge_description", raw.get("charge_description"))
        out["amount"] = self.amount(line, raw.get("charge_amount"), currency)
        out["posted_on"] = self.day(line, "charge_posted_on", raw.get("charge_posted_on"))
        return out

    def amount(self, line: int, value: Any, currency: str | None) -> Decimal | None:
        text = str(value).strip() if value is not None else ""
        try:
            amount = Decimal(text)
            if not amount.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            self.fail(line, "charge_amount", f"{text!r} is not a decimal amount")
            return None
        if amount < 0:
            self.fail(line, "charge_amount", "must not be negative")
            return None
        if amount >= Decimal(10) ** 14:
            self.fail(line, "charge_amount", "is too large")
            return None
        if currency and is_known_currency(currency) and amount % minor_unit(currency) != 0:
            self.fail(line, "charge_amount", f"has more decimals than {currency} allows")
            return None
        return amount


def _csv_rows(text: str) -> Iterator[tuple[int, dict[str, Any]]]:
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ImportRejected(
            [ImportProblem(1, c, "column is missing from the header") for c in missing]
        )
    for row in reader:
        yield reader.line_num, row


def _jsonl_rows(text: str) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ImportRejected(
                [ImportProblem(number, "(line)", f"invalid JSON: {exc.msg}")]
            ) from exc
        if not isinstance(data, dict):
            raise ImportRejected([ImportProblem(number, "(line)", "expected a JSON object")])
        charges = data.get("charges")
        if not isinstance(charges, list) or not charges:
            raise ImportRejected([ImportProblem(number, "charges", "needs a non-empty list")])
        for charge in charges:
            if not isinstance(charge, dict):
                raise ImportRejected([ImportProblem(number, "charges", "items must be objects")])
            yield (
                number,
                {
                    **{k: data.get(k) for k in ACCOUNT_FIELDS},
                    "charge_id": charge.get("charge_id"),
                    "charge_kind": charge.get("kind"),
                    "charge_description": charge.get("description"),
                    "charge_amount": charge.get("amount"),
                    "charge_posted_on": charge.get("posted_on"),
                },
            )


def parse(path: Path, text: str) -> dict[str, _Account]:
    """Validate a whole file; raise ImportRejected with every problem found."""
    text = text.removeprefix("\ufeff")
    is_jsonl = path.suffix.lower() in (".jsonl", ".ndjson") or text.lstrip().startswith("{")
    rows = _jsonl_rows(text) if is_jsonl else _csv_rows(text)
    check = _Checker()
    accounts: dict[str, _Account] = {}
    for line, raw in rows:
        fields = check.account(line, raw)
        charge = check.charge(line, raw, fields["currency"])
        account_id = fields["account_id"]
        if account_id is None:
            continue
        known = accounts.get(account_id)
        if known is None:
            known = accounts[account_id] = _Account(line, fields)
        elif known.fields != fields:
            differs = sorted(k for k in fields if fields[k] != known.fields[k])
            check.fail(
                line, ",".join(differs), f"disagrees with line {known.line} of the same account"
            )
        charge_id = charge["charge_id"]
        if charge_id is not None:
            if charge_id in known.charges:
                check.fail(line, "charge_id", f"{charge_id!r} appears twice for this account")
            known.charges[charge_id] = charge
    if not accounts and not check.problems:
        check.fail(1, "(file)", "has no accounts")
    if check.problems:
        raise ImportRejected(check.problems)
    return accounts


async def import_accounts(sessions: async_sessionmaker[AsyncSession], path: Path) -> ImportReport:
    text = path.read_text(encoding="utf-8")  # noqa: ASYNC240 - the file is the lender's export, small
    accounts = parse(path, text)
    report = ImportReport()
    now = datetime.now(UTC)
    async with sessions() as session, session.begin():
        for account_id, account in accounts.items():
            await _upsert_account(session, account_id, account, now, report)
    return report


async def _upsert_account(
    session: AsyncSession, account_id: str, account: _Account, now: datetime, report: ImportReport
) -> None:
    row = await session.get(AccountRow, account_id)
    if row is None:
        session.add(AccountRow(**account.fields, created_at=now, updated_at=now))
        report.accounts_created += 1
        await session.flush()
    else:
        for name, value in account.fields.items():
            setattr(row, name, value)
        row.updated_at = now
        report.accounts_updated += 1
    query = select(ChargeRow).where(col(ChargeRow.account_id) == account_id)
    existing = {c.charge_id: c for c in (await session.execute(query)).scalars()}
    for charge_id, charge in account.charges.items():
        current = existing.pop(charge_id, None)
        if current is None:
            session.add(ChargeRow(account_id=account_id, **charge))
            report.charges_created += 1
        else:
            for name, value in charge.items():
                setattr(current, name, value)
            report.charges_updated += 1
    for stale in existing.values():
        if stale.dispute_id is None:  # a charge under dispute stays until the case closes (R8)
            await session.delete(stale)
            report.charges_removed += 1
