"""Issue 16 point 2: the lender's file sets and lifts a breathing space (R16).

Optional columns breathing_space_start and breathing_space_end: left out of the
file, or present and empty, they say nothing (a person's breathing space stays);
`lift` (or `none`) in breathing_space_start lifts it, and the summary names what it
lifted and why (issue 34 point 6). Every change is recorded with actor "import".
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import col

from bot.service.account_standing import set_breathing_space
from bot.service.accounts_import import ImportRejected, import_accounts
from bot.store.repositories import get_account
from bot.store.tables import AccountEventRow, AccountRow
from tests.negotiation.test_breathing_space import TOLD
from tests.negotiation.test_one_arrangement import BORROWERS
from tests.runtime.conftest import FIXTURES, NOW, WebChat

OPTIONS = ("Pay the full amount", "Pay in installments")


def _with_breathing(tmp_path: Path, days: dict[str, tuple[str, str]], name: str) -> Path:
    """The fixture file with the two columns; accounts not in `days` get them empty."""
    lines = (FIXTURES / "accounts.csv").read_text(encoding="utf-8").splitlines()
    out = [lines[0] + ",breathing_space_start,breathing_space_end"]
    for line in lines[1:]:
        start, end = days.get(line.split(",", 1)[0], ("", ""))
        out.append(f"{line},{start},{end}")
    path = tmp_path / name
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


async def _events(web: WebChat) -> list[tuple[str, str, str, date | None, date | None]]:
    async with web.app.sessions() as session:
        query = select(AccountEventRow).order_by(col(AccountEventRow.id))
        return [
            (e.account_id, e.kind, e.actor, e.since, e.until)
            for e in (await session.execute(query)).scalars()
        ]


async def _row(web: WebChat, account: str) -> AccountRow:
    async with web.app.sessions() as session:
        row = await session.get(AccountRow, account)
    assert row is not None
    return row


async def _buttons_after_verifying(web: WebChat, user: str, account: str) -> tuple[str, list[str]]:
    birth = dict(BORROWERS.values())[account]
    await web.say(user, f"/start {await web.link(account)}")
    seen = "\n".join(m.text for m in await web.say(user, birth))
    return seen, [label for label, _ in web.sender.sent[user][-1].buttons]


@pytest.mark.rule("R16")
@pytest.mark.parametrize("locale", list(BORROWERS))
async def test_the_file_sets_a_breathing_space_and_the_borrower_is_told(
    web: WebChat, locale: str, tmp_path: Path
) -> None:
    account, _ = BORROWERS[locale]
    path = _with_breathing(tmp_path, {account: ("2026-11-01", "2026-12-31")}, "bs.csv")
    report = await import_accounts(web.app.sessions, path)
    assert str(report) == "1 breathing space set"
    assert [e[:3] for e in await _events(web)] == [(account, "breathing_space_set", "import")]
    assert (await _events(web))[0][3:] == (date(2026, 11, 1), date(2026, 12, 31))
    seen, labels = await _buttons_after_verifying(web, f"imp-{locale}", account)
    assert TOLD[locale] in seen
    assert not set(OPTIONS) & set(labels)  # no plan, no offer
    # The same file again sets nothing again.
    assert str(await import_accounts(web.app.sessions, path)) == "nothing changed"
    assert len(await _events(web)) == 1


@pytest.mark.rule("R16")
async def test_a_reimport_lifts_it_only_where_the_file_says_lift(
    web: WebChat, tmp_path: Path
) -> None:
    days = {"T-EN": ("2026-11-20", ""), "T-HANS": ("2026-11-20", "2026-11-30")}
    await import_accounts(web.app.sessions, _with_breathing(tmp_path, days, "set.csv"))
    assert (await _row(web, "T-EN")).breathing_space
    # Present and empty: an empty cell is not an instruction, nothing is lifted.
    empty = _with_breathing(tmp_path, {}, "empty.csv")
    assert str(await import_accounts(web.app.sessions, empty)) == "nothing changed"
    assert (await _row(web, "T-EN")).breathing_space
    lift = {"T-EN": ("lift", ""), "T-HANS": ("NONE", "")}
    report = await import_accounts(web.app.sessions, _with_breathing(tmp_path, lift, "lift.csv"))
    assert str(report) == "2 breathing spaces lifted (the file says lift: T-EN, T-HANS)"
    assert [e[:3] for e in await _events(web)][2:] == [
        ("T-EN", "breathing_space_lifted", "import"),
        ("T-HANS", "breathing_space_lifted", "import"),
    ]
    row = await _row(web, "T-EN")
    assert (row.breathing_space, row.breathing_space_from, row.breathing_space_until) == (
        False,
        None,
        None,
    )
    seen, labels = await _buttons_after_verifying(web, "lifted", "T-EN")
    assert "breathing space" not in seen and "Pay in installments" in labels


@pytest.mark.rule("R16")
async def test_a_file_without_the_columns_leaves_a_persons_breathing_space_alone(
    web: WebChat, tmp_path: Path
) -> None:
    async with web.app.sessions() as session, session.begin():
        await set_breathing_space(
            session, account_id="T-EN", until=date(2026, 12, 31), actor="cli:ops", now=NOW
        )
    assert str(await import_accounts(web.app.sessions, FIXTURES / "accounts.csv")) == (
        "nothing changed"
    )
    jsonl = tmp_path / "no-key.jsonl"
    jsonl.write_text(json.dumps(_record()) + "\n", encoding="utf-8")
    assert str(await import_accounts(web.app.sessions, jsonl)) == "nothing changed"
    row = await _row(web, "T-EN")
    assert row.breathing_space and row.breathing_space_until == date(2026, 12, 31)
    assert await _events(web) == [
        ("T-EN", "breathing_space_set", "cli:ops", None, date(2026, 12, 31))
    ]
    # Present and empty, in either format, says nothing either.
    empty = _with_breathing(tmp_path, {}, "empty.csv")
    assert str(await import_accounts(web.app.sessions, empty)) == "nothing changed"
    jsonl.write_text(json.dumps(_record(breathing_space_start=None)) + "\n", encoding="utf-8")
    assert str(await import_accounts(web.app.sessions, jsonl)) == "nothing changed"
    assert (await _row(web, "T-EN")).breathing_space
    # Only the file's explicit word lifts the operator's pause, and the summary says so.
    jsonl.write_text(json.dumps(_record(breathing_space_start="lift")) + "\n", encoding="utf-8")
    assert str(await import_accounts(web.app.sessions, jsonl)) == (
        "1 breathing space lifted (the file says lift: T-EN)"
    )
    assert not (await _row(web, "T-EN")).breathing_space
    assert (await _events(web))[-1][:3] == ("T-EN", "breathing_space_lifted", "import")


def _record(**extra: object) -> dict[str, object]:
    """T-EN as one JSON Lines record, as the fixture file has it."""
    return {
        "account_id": "T-EN",
        "borrower_name": "Alex Morgan",
        "phone": "+15550100001",
        "birth_date": "1990-05-17",
        "locale": "en",
        "timezone": "America/New_York",
        "currency": "USD",
        "due_date": "2026-11-18",
        "charges": [
            {
                "charge_id": "T-EN-P",
                "kind": "principal",
                "description": "Card balance",
                "amount": "1200.00",
                "posted_on": "2026-10-01",
            },
            {
                "charge_id": "T-EN-I",
                "kind": "interest",
                "description": "October interest",
                "amount": "85.50",
                "posted_on": "2026-10-31",
            },
            {
                "charge_id": "T-EN-F",
                "kind": "late_fee",
                "description": "Late payment fee",
                "amount": "35.00",
                "posted_on": "2026-11-19",
            },
        ],
        **extra,
    }


@pytest.mark.rule("R16")
async def test_a_start_to_come_pauses_from_that_day_and_an_end_gone_by_not_at_all(
    web: WebChat, tmp_path: Path
) -> None:
    days = {"T-EN": ("2026-12-01", "2026-12-31"), "T-HANS": ("2026-11-01", "2026-11-21")}
    report = await import_accounts(web.app.sessions, _with_breathing(tmp_path, days, "dates.csv"))
    assert str(report) == "2 breathing spaces set"
    row = await _row(web, "T-EN")
    assert (row.breathing_space_from, row.breathing_space_until) == (
        date(2026, 12, 1),
        date(2026, 12, 31),
    )
    _, labels = await _buttons_after_verifying(web, "soon", "T-EN")
    assert "Pay in installments" in labels  # not yet: NOW is 2026-11-22
    seen, _ = await _buttons_after_verifying(web, "gone", "T-HANS")
    assert "暂缓期" not in seen and "暂停" not in seen  # an ended one pauses nothing
    async with web.app.sessions() as session:
        later = await get_account(session, account_id="T-EN", now=NOW + timedelta(days=9))
        before = await get_account(session, account_id="T-EN", now=NOW)
        ended = await get_account(session, account_id="T-HANS", now=NOW)
    assert later is not None and later.breathing_space
    assert before is not None and not before.breathing_space
    assert ended is not None and not ended.breathing_space


@pytest.mark.parametrize(
    ("start", "end", "field", "reason"),
    [
        ("2026-12-01", "2026-11-30", "breathing_space_end", "is before breathing_space_start"),
        (
            "1 Dec 2026",
            "",
            "breathing_space_start",
            "is not a date in YYYY-MM-DD form",
        ),
        ("2026-12-01", "2026-02-30", "breathing_space_end", "is not a date"),
        ("", "2026-12-31", "breathing_space_start", "is required with breathing_space_end"),
        ("lift", "2026-12-31", "breathing_space_end", "must be empty with 'lift'"),
    ],
)
async def test_bad_dates_are_refused_by_line_and_change_nothing(
    web: WebChat, tmp_path: Path, start: str, end: str, field: str, reason: str
) -> None:
    days = {"T-EN": ("2026-11-01", ""), "T-HANT": (start, end)}
    path = _with_breathing(tmp_path, days, "bad.csv")
    with pytest.raises(ImportRejected) as rejected:
        await import_accounts(web.app.sessions, path)
    found = [(p.line, p.field) for p in rejected.value.problems]
    assert found == [(line, field) for line in (8, 9, 10)]  # T-HANT's three rows
    assert all(reason in p.reason for p in rejected.value.problems)
    assert not (await _row(web, "T-EN")).breathing_space
    assert await _events(web) == []
