"""The planner's memory stays flat however large the portfolio (issue 31 point 8).

What grew with it before: every batch's reference cycles (SQLAlchemy's statements
cloned with the batch's rows as their values) waited for the cyclic collector,
which, held off during each batch and back under its threshold after it, did not
run for some 30 batches; and IN lists of every length made as many statement texts,
each prepared and kept by the drivers. Checked here without timing: a batch's rows
are never left to the collector, the collector runs after every batch, and the
case lookups are a fixed set of statements. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.cadence import RemindersPolicy
from bot.engine.types import EscalationReason, Priority
from bot.heap import YOUNG_OBJECTS
from bot.service.escalations.bulk import SHAPES, open_many_unless_open
from bot.service.reminders import plan_reminders
from bot.service.reminders.collector import collector_held
from bot.store.tables import AccountRow, ChannelLinkRow, ChargeRow, ConversationRow, table_of

Sessions = async_sessionmaker[AsyncSession]
NOW = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)
ZONES = ("Asia/Shanghai", "Europe/London", "America/New_York")


async def _portfolio(sessions: Sessions, count: int) -> None:
    """`count` linked accounts, due dates spread so that every stage comes up, the
    person's (+30) among them."""
    rows: dict[str, list[dict[str, Any]]] = {"a": [], "c": [], "v": [], "l": []}
    for n in range(count):
        account = f"M-{n:05d}"
        rows["a"].append(
            {
                "account_id": account, "borrower_name": f"Borrower {n}",
                "phone": f"+86138{n:08d}", "birth_date": date(1990, 5, 17), "locale": "en",
                "locale_chosen": False, "timezone": ZONES[n % len(ZONES)], "currency": "USD",
                "due_date": NOW.date() - timedelta(days=n % 50 - 5), "extensions_used": 0,
                "collection_paused": False, "breathing_space": False, "opted_out": False,
                "unreachable": False, "verify_failures": 0, "created_at": NOW, "updated_at": NOW,
            }
        )  # fmt: skip
        rows["c"].append(
            {
                "account_id": account, "charge_id": f"{account}-P", "kind": "principal",
                "description": "Card balance", "amount": Decimal("800.00"),
                "posted_on": date(2026, 10, 1),
            }
        )  # fmt: skip
        rows["v"].append(
            {
                "id": n + 1, "channel": "telegram", "chat_key": str(n + 1), "account_id": account,
                "user_key": str(n + 1), "owner": "bot", "script_id": "repayment",
                "script_version": "v", "policy_version": "", "locale": "en", "frames": [],
                "choices": [], "vars": {}, "step": 0, "failed_inputs": 0, "verified": True,
                "ended": False, "started": True, "created_at": NOW, "updated_at": NOW,
            }
        )  # fmt: skip
        rows["l"].append(
            {"channel": "telegram", "user_key": str(n + 1), "account_id": account,
             "linked_via": "token", "linked_at": NOW}
        )  # fmt: skip
    tables = [table_of(t) for t in (AccountRow, ChargeRow, ConversationRow, ChannelLinkRow)]
    async with sessions() as session, session.begin():
        for table, key in zip(tables, "acvl", strict=True):
            await session.execute(table.insert(), rows[key])


@contextmanager
def serving_threshold() -> Iterator[None]:
    """The young objects' threshold of a serving process (bot.heap), for the block."""
    before = gc.get_threshold()
    gc.set_threshold(YOUNG_OBJECTS, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


class _Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the cyclic collector frees it


def test_a_held_block_leaves_no_cycle_behind_even_under_the_serving_threshold() -> None:
    with serving_threshold():
        gc.collect()
        with collector_held():
            node = _Node()
            left = weakref.ref(node)
            del node
            assert left() is not None  # held off in the block
        # A handful of young objects, far under the threshold: the collector would not
        # have run on its own.
        assert left() is None


async def test_the_planner_collects_after_every_batch(sessions: Sessions) -> None:
    await _portfolio(sessions, 60)
    collections: list[int] = []

    def heard(phase: str, info: dict[str, Any]) -> None:
        if phase == "stop":
            collections.append(info["generation"])

    with serving_threshold():
        gc.callbacks.append(heard)
        try:
            report = await plan_reminders(sessions, RemindersPolicy(), NOW, size=10)
        finally:
            gc.callbacks.remove(heard)
    assert report.queued + report.person > 0
    assert len(collections) >= 60 // 10  # one a batch at least


def _large(value: object, rows: int) -> bool:
    """A batch's rows as the planner sends them: one JSON text (SQLite) or an array a
    column (PostgreSQL)."""
    if isinstance(value, str):
        return len(value) > 20 * rows and "M-0" in value
    return isinstance(value, list) and len(value) >= rows


async def test_a_batchs_rows_are_never_left_to_the_cyclic_collector(sessions: Sessions) -> None:
    await _portfolio(sessions, 150)
    size = 50
    gc.collect()
    gc.disable()  # nothing collected meanwhile: whatever is cyclic garbage stays to be seen
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        await plan_reminders(sessions, RemindersPolicy(), NOW, size=size)
        gc.collect()
        holding = [
            type(found).__name__
            for found in gc.garbage
            if any(_large(value, size // 2) for value in gc.get_referents(found))
        ]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert holding == []


async def test_case_lookups_are_a_fixed_set_of_statements(sessions: Sessions) -> None:
    await _portfolio(sessions, 60)
    texts: set[str] = set()
    async with sessions() as session:
        engine = session.get_bind()

    def heard(_: Any, __: Any, statement: str, *args: Any) -> None:
        if statement.startswith(("SELECT escalations.account_id", "SELECT accounts.account_id")):
            texts.add(statement)

    event.listen(engine, "before_cursor_execute", heard)
    try:
        start = 0
        for count in range(1, 11):  # ten lookups of 1 to 10 accounts: four lengths
            cases = [
                (f"T-M{n:05d}", f"M-{n:05d}", n + 1, "+30") for n in range(start, start + count)
            ]
            start += count
            async with sessions() as session, session.begin():
                opened = await open_many_unless_open(
                    session,
                    cases,
                    reason=EscalationReason.REMINDER_STAGE,
                    priority=Priority.NORMAL,
                    now=NOW,
                )
            assert len(opened) == count
    finally:
        event.remove(engine, "before_cursor_execute", heard)
    if engine.dialect.name == "postgresql":
        # One array parameter a lookup: one text each, whatever the number of accounts:
        # the open cases among them and the accounts' figures for the worklist (the
        # cases' ids come back from their insert).
        assert len(texts) == 2
    else:
        # Those two and the cases just opened, each padded to 4 or 16.
        assert len(texts) == 3 * len([shape for shape in SHAPES if shape <= 16])


async def test_a_first_run_has_postgresql_look_at_the_tables_it_filled(sessions: Sessions) -> None:
    """Statistics of tables the run grew from nothing (the open-case lookups planned on
    an empty `escalations` scanned it whole): on PostgreSQL the planner ANALYZEs them
    once it has written enough, whether or not autovacuum runs; before that, never."""
    await _portfolio(sessions, 60)
    async with sessions() as session:
        postgresql = session.get_bind().dialect.name == "postgresql"

    async def analyzed() -> set[str]:
        if not postgresql:
            return set()
        async with sessions() as session:
            found = await session.execute(
                text(
                    "SELECT relname FROM pg_stat_user_tables"
                    " WHERE relname IN ('escalations', 'reminders') AND last_analyze IS NOT NULL"
                )
            )
            return set(found.scalars())

    await plan_reminders(sessions, RemindersPolicy(), NOW, size=10, analyze_after=10_000)
    assert await analyzed() == set()
    await plan_reminders(
        sessions, RemindersPolicy(), NOW + timedelta(days=1), size=10, analyze_after=1
    )
    assert await analyzed() == ({"escalations", "reminders"} if postgresql else set())
