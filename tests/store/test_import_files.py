"""Files as lenders really save them: Chinese Excel encodings, rows out of order, big files."""

from __future__ import annotations

import codecs
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col

from bot.service.accounts_import import MAX_PROBLEMS, ImportRejected, import_accounts
from bot.store.repositories import get_account
from bot.store.tables import AccountRow, ChargeRow, DisputeRow

Sessions = async_sessionmaker[AsyncSession]
HEADER = (
    "account_id,borrower_name,phone,birth_date,locale,timezone,currency,due_date,"
    "charge_id,charge_kind,charge_description,charge_amount,charge_posted_on\r\n"
)
SIMPLIFIED = (
    "H1,陈嘉慧,+8613800000001,1985-03-09,zh-Hans,Asia/Shanghai,CNY,2026-10-01,"
    "H1-P,principal,信用卡欠款,8000.00,2026-09-01\r\n"
    "H1,陈嘉慧,+8613800000001,1985-03-09,zh-Hans,Asia/Shanghai,CNY,2026-10-01,"
    "H1-F,late_fee,逾期滞纳金,50.00,2026-09-15\r\n"
)
TRADITIONAL = (
    "T1,林志豪,+886912345678,1979-12-01,zh-Hant,Asia/Taipei,TWD,2026-10-01,"
    "T1-P,principal,信用卡帳款,47400,2026-09-01\r\n"
    "T1,林志豪,+886912345678,1979-12-01,zh-Hant,Asia/Taipei,TWD,2026-10-01,"
    "T1-F,late_fee,逾期滯納金,300,2026-09-15\r\n"
)
HONG_KONG = (
    "K1,陳大文,+85291234567,1982-06-30,zh-Hant,Asia/Hong_Kong,HKD,2026-10-01,"
    "K1-P,principal,信用卡結欠,12000.00,2026-09-01\r\n"
)
GOOD = "A{n},Ann,+15550100009,1980-01-01,en,America/New_York,USD,2026-11-01,C{n},principal,Loan,100.00,2026-10-01\n"


async def count(sessions: Sessions, table: type) -> int:
    async with sessions() as session:
        return int((await session.execute(select(func.count()).select_from(table))).scalar_one())


async def name_of(sessions: Sessions, account_id: str) -> str:
    async with sessions() as session:
        account = await get_account(session, account_id=account_id)
    assert account is not None
    return account.borrower_name


@pytest.mark.parametrize(
    ("rows", "encoding", "bom", "account_id", "name"),
    [
        (SIMPLIFIED, "gbk", b"", "H1", "陈嘉慧"),
        (SIMPLIFIED, "gb18030", codecs.encode("\ufeff", "gb18030"), "H1", "陈嘉慧"),
        (TRADITIONAL, "big5", b"", "T1", "林志豪"),
        (TRADITIONAL, "cp950", b"", "T1", "林志豪"),
        (HONG_KONG, "big5hkscs", b"", "K1", "陳大文"),
        (SIMPLIFIED + TRADITIONAL, "utf-8", codecs.BOM_UTF8, "T1", "林志豪"),
        (TRADITIONAL, "utf-8", b"", "T1", "林志豪"),
        (SIMPLIFIED, "utf-16", b"", "H1", "陈嘉慧"),  # Excel's "Unicode text" (BOM included)
    ],
)
async def test_files_saved_by_chinese_excel_import_with_their_names_intact(
    sessions: Sessions,
    tmp_path: Path,
    rows: str,
    encoding: str,
    bom: bytes,
    account_id: str,
    name: str,
) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(bom + (HEADER + rows).encode(encoding))
    report = await import_accounts(sessions, path)
    assert report.accounts_created >= 1
    assert await name_of(sessions, account_id) == name


async def test_a_tab_separated_unicode_text_file_imports(
    sessions: Sessions, tmp_path: Path
) -> None:
    path = tmp_path / "export.txt"
    path.write_bytes((HEADER + TRADITIONAL).replace(",", "\t").encode("utf-16"))
    await import_accounts(sessions, path)
    async with sessions() as session:
        account = await get_account(session, account_id="T1")
    assert account is not None and account.total == Decimal(47700)


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)), "Excel workbook"),
        ((HEADER + GOOD.format(n=1).replace("Ann", "José Núñez")).encode("cp1252"), "CSV UTF-8"),
        (b"\x81\x30" * 50 + b"\xff\xfe\xfd", "CSV UTF-8"),
    ],
)
async def test_an_unreadable_file_is_refused_in_one_line_saying_what_to_do(
    sessions: Sessions, tmp_path: Path, content: bytes, says: str
) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(content)
    with pytest.raises(ImportRejected) as rejected:
        await import_accounts(sessions, path)
    (problem,) = rejected.value.problems
    assert says in problem.reason and "\n" not in problem.reason
    assert await count(sessions, AccountRow) == 0


async def test_a_file_whose_encoding_changes_midway_names_the_line(
    sessions: Sessions, tmp_path: Path
) -> None:
    good = "".join(GOOD.format(n=n) for n in range(20_000)).encode()  # past the sample
    tail = TRADITIONAL.encode("big5")
    path = tmp_path / "export.csv"
    path.write_bytes(HEADER.encode() + good + tail)
    with pytest.raises(ImportRejected) as rejected:
        await import_accounts(sessions, path)
    (problem,) = rejected.value.problems
    assert problem.line > 1 and "CSV UTF-8" in problem.reason
    assert await count(sessions, AccountRow) == 0


async def test_rows_of_an_account_far_apart_are_one_account(
    sessions: Sessions, tmp_path: Path
) -> None:
    path = tmp_path / "export.csv"
    lines = SIMPLIFIED.splitlines(keepends=True)
    path.write_text(HEADER + lines[0] + TRADITIONAL + lines[1], encoding="utf-8")
    report = await import_accounts(sessions, path)
    assert (report.accounts_created, report.charges_created) == (2, 4)
    assert await count(sessions, ChargeRow) == 4


async def test_rows_far_apart_must_agree_and_not_repeat_a_charge(
    sessions: Sessions, tmp_path: Path
) -> None:
    first, second = SIMPLIFIED.splitlines(keepends=True)
    path = tmp_path / "export.csv"
    path.write_text(
        HEADER + first + TRADITIONAL + second.replace("陈嘉慧", "陈佳慧") + HONG_KONG + first,
        encoding="utf-8",
    )
    with pytest.raises(ImportRejected) as rejected:
        await import_accounts(sessions, path)
    problems = [(p.line, p.field, p.reason) for p in rejected.value.problems]
    assert problems == [
        (5, "borrower_name", "disagrees with line 2 of the same account"),
        (7, "charge_id", "appears twice for this account"),
    ]
    assert await count(sessions, AccountRow) == 0


async def test_reimport_keeps_disputed_charges_and_the_bots_own_columns(
    sessions: Sessions, tmp_path: Path
) -> None:
    path = tmp_path / "export.csv"
    path.write_text(HEADER + SIMPLIFIED, encoding="utf-8")
    await import_accounts(sessions, path)
    async with sessions() as session, session.begin():
        await session.execute(
            update(AccountRow).where(col(AccountRow.account_id) == "H1").values(extensions_used=1)
        )
        session.add(
            DisputeRow(
                id="D-1",
                account_id="H1",
                charge_ids=["H1-F"],
                amount=Decimal(50),
                currency="CNY",
                reason="never told",
                answer_due_on=date(2026, 12, 1),
                created_at=datetime(2026, 11, 1, tzinfo=UTC),
            )
        )
    async with sessions() as session, session.begin():
        await session.execute(
            update(ChargeRow).where(col(ChargeRow.charge_id) == "H1-F").values(dispute_id="D-1")
        )
    only_principal = SIMPLIFIED.splitlines(keepends=True)[0].replace("8000.00", "7000.00")
    path.write_text(HEADER + only_principal, encoding="utf-8")
    report = await import_accounts(sessions, path)
    assert (report.charges_updated, report.charges_removed) == (1, 0)
    async with sessions() as session:
        account = await get_account(session, account_id="H1")
    assert account is not None
    assert account.total == Decimal("7050.00")  # the disputed fee stays (R8)
    assert account.extensions_used == 1  # the lender's file does not reset what the bot did


async def test_an_unchanged_reimport_writes_nothing_new(sessions: Sessions, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(HEADER + SIMPLIFIED + TRADITIONAL, encoding="utf-8")
    await import_accounts(sessions, path)
    async with sessions() as session:
        before = (await session.execute(select(col(AccountRow.updated_at)))).scalars().all()
    again = await import_accounts(sessions, path)
    assert (again.accounts_created, again.accounts_updated, again.charges_removed) == (0, 0, 0)
    assert str(again) == "nothing changed"
    async with sessions() as session:
        after = (await session.execute(select(col(AccountRow.updated_at)))).scalars().all()
    assert sorted(after) == sorted(before)


async def test_a_hopeless_file_stops_after_enough_problems(
    sessions: Sessions, tmp_path: Path
) -> None:
    path = tmp_path / "export.csv"
    bad = "".join(GOOD.format(n=n).replace("100.00", "lots") for n in range(MAX_PROBLEMS + 50))
    path.write_text(HEADER + bad, encoding="utf-8")
    with pytest.raises(ImportRejected) as rejected:
        await import_accounts(sessions, path)
    problems = rejected.value.problems
    assert len(problems) == MAX_PROBLEMS + 1
    assert "stopped reading" in problems[-1].reason


async def test_a_file_of_headers_only_has_no_accounts(sessions: Sessions, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(HEADER, encoding="utf-8")
    with pytest.raises(ImportRejected) as rejected:
        await import_accounts(sessions, path)
    assert [(p.line, p.field) for p in rejected.value.problems] == [(1, "(file)")]


async def test_many_accounts_import_in_batches_and_reimport(
    sessions: Sessions, tmp_path: Path
) -> None:
    path = tmp_path / "export.csv"
    path.write_text(HEADER + "".join(GOOD.format(n=n) for n in range(25_000)), encoding="utf-8")
    report = await import_accounts(sessions, path)
    assert (report.accounts_created, report.charges_created) == (25_000, 25_000)
    again = await import_accounts(sessions, path)
    assert (again.accounts_updated, again.charges_updated) == (0, 0)  # nothing changed
    assert await count(sessions, ChargeRow) == 25_000


async def test_a_first_load_rejected_in_its_last_batch_leaves_nothing(
    sessions: Sessions, tmp_path: Path
) -> None:
    """On PostgreSQL a first load inserts batch by batch; a bad row at the end undoes all."""
    path = tmp_path / "export.csv"
    bad = GOOD.format(n=0).replace("2026-10-01", "2026-13-01")
    path.write_text(
        HEADER + "".join(GOOD.format(n=n) for n in range(25_000)) + bad, encoding="utf-8"
    )
    with pytest.raises(ImportRejected) as rejected:
        await import_accounts(sessions, path)
    assert [(p.line, p.field) for p in rejected.value.problems] == [(25_002, "charge_posted_on")]
    assert await count(sessions, AccountRow) == 0
    assert await count(sessions, ChargeRow) == 0


async def test_a_first_load_with_an_account_batches_apart_is_one_account(
    sessions: Sessions, tmp_path: Path
) -> None:
    """The repeat clashes with the first load's inserts; the import starts over carefully."""
    path = tmp_path / "export.csv"
    again = GOOD.format(n=0).replace(",C0,", ",C0-B,")
    path.write_text(
        HEADER + "".join(GOOD.format(n=n) for n in range(25_000)) + again, encoding="utf-8"
    )
    report = await import_accounts(sessions, path)
    assert (report.accounts_created, report.charges_created) == (25_000, 25_001)
    async with sessions() as session:
        account = await get_account(session, account_id="A0")
    assert account is not None
    assert sorted(c.charge_id for c in account.charges) == ["C0", "C0-B"]


async def test_a_file_that_cannot_be_opened_is_one_problem(
    sessions: Sessions, tmp_path: Path
) -> None:
    with pytest.raises(ImportRejected) as rejected:
        await import_accounts(sessions, tmp_path)  # a directory, not a file
    (problem,) = rejected.value.problems
    assert problem.field == "(file)" and "cannot be read" in problem.reason
