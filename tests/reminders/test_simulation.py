"""Sixty simulated days over a portfolio of a few hundred accounts in every stage:
every message the bot would send is checked against every contact rule, and every
account due a reminder gets exactly one per stage."""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col

from bot.domain.cadence import RemindersPolicy
from bot.domain.contact_hours import hours_allow, local_day, quiet_now, zones_for
from bot.domain.quiet_windows import WEEKDAYS, QuietWindow, from_data, to_data
from bot.service.accounts_import import import_accounts
from bot.service.reminders.simulate import Line, simulate
from bot.store.db import create_engine, session_factory, upgrade
from bot.store.tables import AccountRow, ChargeRow, ConversationRow, DisputeRow, ReminderRow

START = date(2026, 12, 1)
DAYS = 60
ZONES = (
    ("America/New_York", "+12125550100"),
    ("Europe/London", "+447700900100"),
    ("Asia/Shanghai", "+8613800000100"),
    ("Asia/Hong_Kong", "+85291230100"),
    ("Asia/Taipei", "+886912000100"),
    ("America/Los_Angeles", "+13105550100"),
    ("UTC", "+12025550100"),  # no zone: every US zone's hours
    ("Australia/Sydney", "+61412000100"),
)
RULES = RemindersPolicy()
WORK = (QuietWindow(WEEKDAYS, time(9), time(18)),)


@dataclass
class Account:
    account_id: str
    timezone: str
    phone: str
    due: date
    opted_out: bool = False
    paused: bool = False
    breathing: tuple[date, date] | None = None
    disputed: bool = False
    quiet: bool = False
    talked: datetime | None = None

    @property
    def plain(self) -> bool:
        return not (self.opted_out or self.paused or self.breathing or self.disputed or self.talked)


def portfolio(size: int = 320) -> list[Account]:
    accounts = []
    for n in range(size):
        zone, phone = ZONES[n % len(ZONES)]
        account = Account(f"S-{n:04d}", zone, phone, START + timedelta(days=(n * 7) % 80 - 45))
        account.opted_out = n % 17 == 5
        account.paused = n % 19 == 6
        account.disputed = n % 23 == 7
        account.quiet = n % 5 == 1
        if n % 29 == 8:
            account.breathing = (START + timedelta(days=10), START + timedelta(days=20))
        if n % 31 == 9:
            account.talked = datetime.combine(START + timedelta(days=4), time(12), tzinfo=UTC)
        accounts.append(account)
    return accounts


def _csv(path: Path, accounts: list[Account]) -> None:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(
            [
                "account_id",
                "borrower_name",
                "phone",
                "birth_date",
                "locale",
                "timezone",
                "currency",
                "due_date",
                "charge_id",
                "charge_kind",
                "charge_description",
                "charge_amount",
                "charge_posted_on",
            ]
        )
        for a in accounts:
            writer.writerow(
                [a.account_id, "Sam Lee", a.phone, "1980-01-31", "en", a.timezone, "USD",
                 a.due.isoformat(), f"{a.account_id}-P", "principal", "Card balance", "500.00",
                 (a.due - timedelta(days=30)).isoformat()]
            )  # fmt: skip


async def _load(sessions: async_sessionmaker[AsyncSession], accounts: list[Account]) -> None:
    now = datetime.combine(START, time(0), tzinfo=UTC)
    async with sessions() as session, session.begin():
        for a in accounts:
            values: dict[str, object] = {
                "opted_out": a.opted_out,
                "collection_paused": a.paused,
                "quiet_windows": to_data(WORK) if a.quiet else None,
            }
            if a.breathing:
                values |= {
                    "breathing_space": True,
                    "breathing_space_from": a.breathing[0],
                    "breathing_space_until": a.breathing[1],
                }
            await session.execute(
                update(AccountRow)
                .where(col(AccountRow.account_id) == a.account_id)
                .values(**values)
            )
            if a.disputed:
                session.add(
                    DisputeRow(
                        id=f"D-{a.account_id}", account_id=a.account_id,
                        charge_ids=[f"{a.account_id}-P"], amount=Decimal(500), currency="USD",
                        reason="not mine", answer_due_on=START, created_at=now,
                    )
                )  # fmt: skip
                await session.flush()
                await session.execute(
                    update(ChargeRow)
                    .where(col(ChargeRow.account_id) == a.account_id)
                    .values(dispute_id=f"D-{a.account_id}")
                )
            if a.talked:
                session.add(
                    ConversationRow(
                        channel="webchat", chat_key=a.account_id, account_id=a.account_id,
                        user_key=a.account_id, script_id="repayment", script_version="v",
                        frames=[], choices=[], vars={}, ended=True, started=True,
                        created_at=a.talked, updated_at=a.talked,
                    )
                )  # fmt: skip


def _check_rules(a: Account, sent: list[Line]) -> None:
    zones = zones_for(a.timezone, a.phone)
    windows = from_data(to_data(WORK)) if a.quiet else ()
    assert not (a.opted_out or a.paused or a.disputed) or not sent, a  # R3, R12, R8
    days: dict[date, int] = defaultdict(int)
    moments = sorted(line.at for line in sent)
    for moment in moments:
        assert hours_allow(zones, moment, RULES.contact), (a, moment)  # R1
        assert not quiet_now(windows, zones, moment), (a, moment)  # R4
        local = moment.astimezone(zones[0]).date()
        days[local] += 1
        assert days[local] <= RULES.contact.max_per_day, (a, moment)  # R2 per day
        week = [m for m in moments if moment - timedelta(days=7) < m <= moment]
        assert len(week) <= RULES.contact.max_per_7_days  # R2 rolling week
        if a.talked:  # R2: none within 7 days after a completed conversation
            assert not a.talked <= moment < a.talked + timedelta(days=7), (a, moment)
        if a.breathing:  # R16
            assert not a.breathing[0] <= local <= a.breathing[1], (a, moment)


def _expected_stages(a: Account) -> set[str]:
    """The bot's stages whose time comes inside the simulated days (the one current
    at the start, and each one opening later), leaving the last day's aside."""
    begin = datetime.combine(START, time(0), tzinfo=UTC)
    first = local_day(zones_for(a.timezone, a.phone), begin)  # the borrower's day then
    last = START + timedelta(days=DAYS - 2)
    expected = set()
    for index, stage in enumerate(RULES.stages):
        opens = a.due + timedelta(days=stage.offset_days)
        following = RULES.stages[index + 1] if index + 1 < len(RULES.stages) else None
        closes = a.due + timedelta(days=following.offset_days) if following else date.max
        if stage.person or opens > last or closes <= first:
            continue
        expected.add(stage.name)
    return expected


@pytest.mark.rule("R1", "R2", "R3", "R4", "R8", "R12", "R16")
async def test_sixty_days_of_reminders_break_no_rule_and_miss_no_stage(
    database_url: str, tmp_path: Path
) -> None:
    accounts = portfolio()
    path = tmp_path / "portfolio.csv"
    _csv(path, accounts)
    await upgrade(database_url)
    engine = create_engine(database_url)
    sessions = session_factory(engine)
    try:
        await import_accounts(sessions, path)
        await _load(sessions, accounts)
        keys = {s.name: f"repayment.{s.state}" for s in RULES.stages if s.state}
        lines = [line async for line in simulate(sessions, RULES, keys, START, DAYS)]
        async with sessions() as session:
            written = (
                await session.execute(select(func.count()).select_from(ReminderRow))
            ).scalar()
    finally:
        await engine.dispose()
    assert written == 0  # a simulation changes nothing
    sent: dict[str, list[Line]] = defaultdict(list)
    held: dict[str, set[str]] = defaultdict(set)
    for line in lines:
        if line.text_key is None:
            held[line.account_id].add(line.rule or "")
        else:
            sent[line.account_id].append(line)
    checked = 0
    for a in accounts:
        _check_rules(a, sent[a.account_id])
        stages = [line.stage for line in sent[a.account_id]]
        assert len(stages) == len(set(stages)), a  # never twice
        if a.plain:
            assert set(stages) == _expected_stages(a), a
            checked += bool(stages)
    assert checked > 150  # most of the portfolio was due something
    assert any("R3" in rules for rules in held.values())
    assert any("R8" in rules for rules in held.values())
    assert any("R12" in rules for rules in held.values())
    assert any("R16" in rules for rules in held.values())
    assert any("person" in rules for rules in held.values())
    assert sum(len(v) for v in sent.values()) > 500
