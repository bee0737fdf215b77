"""Issue 7 point 11: exports a lender can load, counts that are true, no zero-day links."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime

import pytest

from bot import commands
from bot.config import Settings
from bot.service.accounts_import import ImportReport
from bot.service.exports import export
from bot.store.tables import EscalationRow
from tests.negotiation.test_one_arrangement import _agree_plan, _tap
from tests.runtime.conftest import NOW, WebChat


async def test_the_export_shows_the_superseded_plan_with_its_status_and_offsets(
    web: WebChat,
) -> None:
    await web.say("x1", f"/start {await web.link('T-EN')}")
    await web.say("x1", "1990-05-17")
    await _agree_plan(web, "x1", 0)
    await _tap(web, "x1", 0)  # back to my options
    await _agree_plan(web, "x1", 1)
    out = io.StringIO()
    assert await export(web.app.sessions, what="arrangements", fmt="csv", out=out) == 2
    rows = {row["status"]: row for row in csv.DictReader(io.StringIO(out.getvalue()))}
    assert set(rows) == {"active", "superseded"}
    assert rows["superseded"]["superseded_by"] == rows["active"]["id"]
    assert rows["superseded"]["end_reason"] == "superseded"
    assert rows["active"]["ended_at"] == ""
    for row in rows.values():
        assert datetime.fromisoformat(row["created_at"]).utcoffset() is not None


async def test_an_escalation_exports_the_ticket_the_borrower_was_told(web: WebChat) -> None:
    async with web.app.sessions() as session, session.begin():
        session.add(
            EscalationRow(
                ticket="H-7F3A2B",
                account_id="T-HANT",
                reason="handoff",
                priority="normal",
                created_at=NOW,
            )
        )
    out = io.StringIO()
    await export(web.app.sessions, what="escalations", fmt="jsonl", out=out)
    record = json.loads(out.getvalue())
    assert record["ticket"] == "H-7F3A2B"
    assert record["created_at"] == "2026-11-22T15:00:00+00:00"


@pytest.mark.parametrize(
    ("report", "said"),
    [
        (ImportReport(1, 0, 1, 0, 0), "1 account created; 1 charge created"),
        (ImportReport(0, 2, 0, 1, 3), "2 accounts updated; 1 charge updated, 3 removed"),
        (ImportReport(3, 1, 0, 0, 1), "3 accounts created, 1 updated; 1 charge removed"),
        (ImportReport(0, 0, 0, 0, 0), "nothing changed"),
    ],
)
def test_the_import_report_counts_only_what_happened(report: ImportReport, said: str) -> None:
    assert str(report) == said


@pytest.mark.parametrize("days", [0, -3])
async def test_a_link_valid_for_no_days_is_refused_in_one_line(
    days: int, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = Settings(database_url="sqlite+aiosqlite:///:memory:")
    assert await commands.link(settings, "T-EN", days) == 2
    err = capsys.readouterr().err
    assert err == f"--days {days}: a link must stay valid for at least 1 day.\n"
