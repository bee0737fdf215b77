"""Payments from the lender's file: `repaybot payments import FILE` (issue 7 point 3).

CSV or JSON Lines with account, amount, currency, paid_on, reference. A file
with any bad row is rejected whole, with line numbers, like the account import;
a reference already imported is skipped, so a re-import changes nothing. After
the payments are in, each touched account's active arrangement is settled:
`kept` once everything it asked for is paid, `broken` when less was paid than
fell due before today; otherwise it stays active.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col

from bot.domain.money import is_known_currency, minor_digits
from bot.service import worklist
from bot.service.accounts_import import ImportProblem, ImportRejected
from bot.service.import_reading import (
    RowError,
    UnreadableFile,
    csv_rows,
    is_jsonl,
    jsonl_records,
    open_text,
)
from bot.service.progress import Progress, silent
from bot.store.tables import AccountRow, ArrangementRow, PaymentRow

COLUMNS = ("account", "amount", "currency", "paid_on", "reference")
MAX_REFERENCE = 64
PROGRESS_EVERY = 10_000  # rows between two reports of how far the reading is


@dataclass
class PaymentsReport:
    recorded: int = 0
    already_known: int = 0
    kept: list[str] = field(default_factory=list)  # arrangement references
    broken: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        parts = [f"{self.recorded} payment{'' if self.recorded == 1 else 's'} recorded"]
        if self.already_known:
            parts.append(f"{self.already_known} already imported")
        if self.kept:
            parts.append(f"{len(self.kept)} arrangement{'' if len(self.kept) == 1 else 's'} kept")
        if self.broken:
            n = len(self.broken)
            parts.append(f"{n} arrangement{'' if n == 1 else 's'} broken")
        return "; ".join(parts)


@dataclass(frozen=True)
class _Payment:
    line: int
    account_id: str
    amount: Decimal
    currency: str
    paid_on: date
    reference: str


def _rows(
    path: Path, opened: Callable[[TextIO], None] | None = None
) -> Iterator[tuple[int, Sequence[Any]]]:
    stream, _ = open_text(path)
    if opened is not None:
        opened(stream)  # so the reader can tell how far into the file it is
    with stream:
        jsonl, lines = is_jsonl(path, stream)
        if not jsonl:
            yield from csv_rows(lines, COLUMNS)
            return
        for number, record in jsonl_records(lines):
            if isinstance(record, str):
                raise RowError(number, "(line)", record)
            yield number, [record.get(name) for name in COLUMNS]


def _read(path: Path, progress: Progress) -> tuple[list[_Payment], list[ImportProblem]]:
    payments: list[_Payment] = []
    problems: list[ImportProblem] = []
    seen: dict[str, int] = {}
    streams: list[TextIO] = []
    size = path.stat().st_size
    try:
        for count, (line, raw) in enumerate(_rows(path, streams.append), start=1):
            if count % PROGRESS_EVERY == 0 and not streams[0].closed:
                progress(int(streams[0].buffer.tell()), size)
            payment = _check(line, raw, problems)
            if payment is None:
                continue
            if payment.reference in seen:
                problems.append(
                    ImportProblem(
                        line, "reference", f"repeats the payment on line {seen[payment.reference]}"
                    )
                )
                continue
            seen[payment.reference] = line
            payments.append(payment)
    except RowError as error:
        problems.append(ImportProblem(error.line, error.field, error.reason))
    except UnreadableFile as error:
        problems.append(ImportProblem(1, "(file)", str(error)))
    progress(size, size)
    if not payments and not problems:
        problems.append(ImportProblem(1, "(file)", "has no payments"))
    return payments, problems


def _check(line: int, raw: Sequence[Any], problems: list[ImportProblem]) -> _Payment | None:
    account, amount_text, currency, paid_text, reference = (
        "" if value is None else str(value).strip() for value in raw
    )
    found = len(problems)
    if not account:
        problems.append(ImportProblem(line, "account", "is empty"))
    if not reference or len(reference) > MAX_REFERENCE:
        problems.append(ImportProblem(line, "reference", f"needs 1 to {MAX_REFERENCE} characters"))
    currency = currency.upper()
    digits = minor_digits(currency) if is_known_currency(currency) else None
    if digits is None:
        problems.append(ImportProblem(line, "currency", "is not an ISO 4217 code"))
    amount = _amount(amount_text)
    if amount is None or amount <= 0:
        problems.append(ImportProblem(line, "amount", "is not a positive amount"))
    elif digits is not None and -amount.as_tuple().exponent > digits:  # type: ignore[operator]
        problems.append(ImportProblem(line, "amount", f"has more than {digits} decimals"))
    try:
        paid_on = date.fromisoformat(paid_text)
    except ValueError:
        problems.append(ImportProblem(line, "paid_on", "is not a YYYY-MM-DD date"))
        return None
    if len(problems) > found or amount is None:
        return None
    return _Payment(line, account, amount, currency, paid_on, reference)


def _amount(text: str) -> Decimal | None:
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


async def import_payments(
    sessions: async_sessionmaker[AsyncSession],
    path: Path,
    *,
    now: datetime,
    progress: Progress = silent,
) -> PaymentsReport:
    """Record the file's payments and settle the arrangements they touch; all or nothing.

    `progress` hears the bytes of the file read so far, and the file's size."""
    payments, problems = _read(path, progress)
    if problems:
        raise ImportRejected(sorted(problems, key=lambda p: p.line))
    report = PaymentsReport()
    async with sessions() as session, session.begin():
        accounts = await _accounts(session, {p.account_id for p in payments})
        for payment in payments:
            account = accounts.get(payment.account_id)
            if account is None:
                problems.append(ImportProblem(payment.line, "account", "is not a known account"))
            elif account.currency != payment.currency:
                problems.append(
                    ImportProblem(
                        payment.line, "currency", f"the account is kept in {account.currency}"
                    )
                )
        if problems:
            raise ImportRejected(problems)  # the transaction rolls back: nothing written
        known = await _known_references(session, [p.reference for p in payments])
        touched: set[str] = set()
        for payment in payments:
            if payment.reference in known:
                report.already_known += 1
                continue
            session.add(
                PaymentRow(
                    reference=payment.reference,
                    account_id=payment.account_id,
                    amount=payment.amount,
                    currency=payment.currency,
                    paid_on=payment.paid_on,
                    imported_at=now,
                )
            )
            report.recorded += 1
            touched.add(payment.account_id)
        await session.flush()
        for account_id in sorted(touched):
            await _settle(session, accounts[account_id], now, report)
        # What the paid accounts owe fell: their cases move in the agents' worklist.
        await worklist.reweigh(session, now, touched)
    return report


async def _accounts(session: AsyncSession, ids: set[str]) -> dict[str, AccountRow]:
    query = select(AccountRow).where(col(AccountRow.account_id).in_(ids))
    return {row.account_id: row for row in (await session.execute(query)).scalars()}


async def _known_references(session: AsyncSession, references: list[str]) -> set[str]:
    query = select(col(PaymentRow.reference)).where(col(PaymentRow.reference).in_(references))
    return set((await session.execute(query)).scalars())


async def _settle(
    session: AsyncSession, account: AccountRow, now: datetime, report: PaymentsReport
) -> None:
    """Kept when all is paid; broken when less than fell due before today was paid."""
    query = (
        select(ArrangementRow)
        .where(col(ArrangementRow.account_id) == account.account_id)
        .where(col(ArrangementRow.status) == "active")
    )
    arrangement = (await session.execute(query)).scalars().first()
    if arrangement is None:
        return
    since = arrangement.created_at.date()
    paid_query = select(func.coalesce(func.sum(PaymentRow.amount), 0)).where(
        col(PaymentRow.account_id) == account.account_id, col(PaymentRow.paid_on) >= since
    )
    paid = Decimal(str((await session.execute(paid_query)).scalar_one()))
    today = now.astimezone(ZoneInfo(account.timezone)).date()
    due = settle_status(arrangement.amount, arrangement.installments, paid, today)
    if due is None:
        return
    arrangement.status = due
    arrangement.ended_at = now
    arrangement.end_reason = due
    (report.kept if due == "kept" else report.broken).append(arrangement.id)


def settle_status(
    amount: Decimal, installments: list[dict[str, str]], paid: Decimal, today: date
) -> str | None:
    """'kept', 'broken' or None (still running) for what was paid against what was agreed."""
    if paid >= amount:
        return "kept"
    fell_due = sum(
        (Decimal(i["amount"]) for i in installments if date.fromisoformat(i["due_date"]) < today),
        start=Decimal(0),
    )
    return "broken" if paid < fell_due else None
