"""Long work says how far it has come: an import in bytes of its file, an export in rows,
and the command line draws it at a terminal only (never into a pipe or a CI log)."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.service.accounts_import import BATCH_ROWS, import_accounts
from bot.service.exports import STREAM_BATCH, export
from bot.store.tables import DisputeRow
from tests.store.test_import_export import DATA
from tests.terminal import Heard, cli_env, on_a_terminal

Sessions = async_sessionmaker[AsyncSession]
HEADER = (
    "account_id,borrower_name,phone,birth_date,locale,timezone,currency,due_date,"
    "charge_id,charge_kind,charge_description,charge_amount,charge_posted_on\n"
)


def _portfolio(path: Path, charges: int) -> Path:
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER)
        for n in range(charges):
            account = n // 3
            out.write(
                f"P-{account},Borrower {account},+15550{account:06d},1990-05-17,en,"
                f"America/New_York,USD,2026-11-01,C-{n},late_fee,Late fee,12.50,2026-10-01\n"
            )
    return path


async def test_an_import_tells_the_bytes_read_batch_by_batch(
    sessions: Sessions, tmp_path: Path
) -> None:
    path = _portfolio(tmp_path / "big.csv", BATCH_ROWS * 2 + 5)
    size = path.stat().st_size
    heard = Heard()
    report = await import_accounts(sessions, path, heard)
    assert report.charges_created == BATCH_ROWS * 2 + 5
    done = [d for d, _ in heard.calls]
    assert all(total == size for _, total in heard.calls)
    assert len(done) >= 3  # two full batches and the rest
    assert done == sorted(done) and 0 < done[0] < size
    assert done[-1] == size


async def test_an_export_tells_the_rows_written_against_their_count(
    sessions: Sessions,
) -> None:
    await import_accounts(sessions, DATA / "demo_accounts.csv")
    async with sessions() as session, session.begin():
        account = "DEMO-EN-1"
        for n in range(STREAM_BATCH + 7):
            session.add(
                DisputeRow(
                    id=f"D-{n:06d}",
                    account_id=account,
                    charge_ids=["x"],
                    amount=Decimal("1.00"),
                    currency="USD",
                    reason=f"reason {n}",
                    status="open",
                    answer_due_on=date(2026, 12, 20),
                    created_at=datetime(2026, 12, 6, tzinfo=UTC),
                )
            )
    heard = Heard()
    out = io.StringIO()
    count = await export(sessions, what="disputes", fmt="csv", out=out, progress=heard)
    assert count == STREAM_BATCH + 7
    assert heard.calls[0] == (0, count)
    assert (STREAM_BATCH, count) in heard.calls
    assert heard.calls[-1] == (count, count)
    assert len(list(csv.reader(io.StringIO(out.getvalue())))) == count + 1


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return cli_env(f"sqlite:///{tmp_path / 'cli.db'}", **extra)


def test_a_pipe_gets_the_report_and_no_bar(tmp_path: Path) -> None:
    path = _portfolio(tmp_path / "p.csv", 30)
    done = subprocess.run(
        [sys.executable, "-m", "bot", "accounts", "import", str(path)],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert "p.csv:" in done.stdout
    assert "Importing" not in done.stderr and "\x1b[" not in done.stderr


def _on_a_terminal(tmp_path: Path, path: Path, **env: str) -> str:
    """Run the import with stderr on a pseudo-terminal, as an operator would; what it drew."""
    command = [sys.executable, "-m", "bot", "accounts", "import", str(path)]
    return on_a_terminal(command, _env(tmp_path, **env))


def test_a_terminal_gets_the_bar_and_ci_does_not(tmp_path: Path) -> None:
    path = _portfolio(tmp_path / "t.csv", BATCH_ROWS + 10)
    assert "Importing t.csv" in _on_a_terminal(tmp_path, path)
    assert "Importing" not in _on_a_terminal(tmp_path, path, CI="true")
    assert "Importing" not in _on_a_terminal(tmp_path, path, REPAYBOT_PROGRESS="0")


async def test_a_payments_import_tells_the_bytes_read(sessions: Sessions, tmp_path: Path) -> None:
    from bot.service.payments import PROGRESS_EVERY, import_payments

    await import_accounts(sessions, DATA / "demo_accounts.csv")
    path = tmp_path / "payments.csv"
    rows = PROGRESS_EVERY * 2 + 3
    with path.open("w", encoding="utf-8") as out:
        out.write("account,amount,currency,paid_on,reference\n")
        for n in range(rows):
            out.write(f"DEMO-EN-1,0.01,USD,2026-12-01,BANK-{n}\n")
    size = path.stat().st_size
    heard = Heard()
    report = await import_payments(
        sessions, path, now=datetime(2026, 12, 6, tzinfo=UTC), progress=heard
    )
    assert report.recorded == rows
    done = [d for d, _ in heard.calls]
    assert all(total == size for _, total in heard.calls)
    assert len(done) == 3 and done == sorted(done) and done[0] < size
    assert done[-1] == size
