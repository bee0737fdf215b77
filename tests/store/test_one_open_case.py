"""One case not closed per account and reason, held by the database (migration 0018).

Two writers opening a case for one account at the same moment (two conversations,
a conversation and a failure's recovery, two processes) leave one open case, and
the second's priority and answer date are not lost. Each writer here has an engine
of its own, so the two hold separate connections, as two processes would; on
PostgreSQL the second insert is seen waiting on the first's before the first
commits. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from alembic import command
from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col

from bot.engine.types import EscalationReason, Priority
from bot.service import desk, escalations
from bot.service.accounts_import import import_accounts
from bot.store.db import alembic_config, as_utc, create_engine, session_factory, upgrade
from bot.store.tables import ConversationRow, EscalationRow
from tests.runtime.conftest import FIXTURES

NOW = datetime(2026, 12, 7, 11, 0, tzinfo=UTC)
ACCOUNT = "T-EN"
COMPLAINT = EscalationReason.COMPLAINT
EARLY, LATE = date(2026, 12, 22), date(2026, 12, 30)


async def _account_and_chats(sessions: async_sessionmaker[AsyncSession]) -> tuple[int, int]:
    """The fixture accounts, and two conversations linked to one of them (two chats
    of one borrower)."""
    await import_accounts(sessions, FIXTURES / "accounts.csv")
    async with sessions() as session, session.begin():
        chats = [
            ConversationRow(
                channel="test",
                chat_key=key,
                account_id=ACCOUNT,
                script_id="s",
                script_version="v",
                created_at=NOW,
                updated_at=NOW,
            )
            for key in ("first", "second")
        ]
        session.add_all(chats)
        await session.flush()
        return chats[0].id or 0, chats[1].id or 0


async def _open(
    session: AsyncSession,
    ticket: str,
    conversation_id: int,
    priority: Priority,
    due_on: date | None = None,
    reason: EscalationReason = COMPLAINT,
) -> str:
    return await escalations.open_case(
        session,
        ticket=ticket,
        account_id=ACCOUNT,
        conversation_id=conversation_id,
        reason=reason,
        priority=priority,
        now=NOW,
        due_on=due_on,
    )


async def _open_cases(sessions: async_sessionmaker[AsyncSession]) -> list[EscalationRow]:
    async with sessions() as session:
        query = (
            select(EscalationRow)
            .where(col(EscalationRow.status) != "closed")
            .order_by(col(EscalationRow.id))
        )
        return list((await session.execute(query)).scalars())


async def _until_someone_waits(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    """Return once the second writer is blocked behind the first: on PostgreSQL, a
    lock waited for in this database; SQLite takes its write lock at BEGIN, so there
    the second writer is queued for it as soon as its task has run."""
    if not database_url.startswith("postgresql"):
        await asyncio.sleep(0.05)  # let the second task reach its BEGIN IMMEDIATE
        return
    for _ in range(500):
        async with sessions() as session:
            waiting = await session.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
            )
            if waiting.scalar_one() > 0:
                return
        await asyncio.sleep(0.01)
    pytest.fail("the second writer never waited on the first")


async def _at_once(
    database_url: str,
    first: tuple[object, ...],
    second: tuple[object, ...],
    opener: Callable[..., Awaitable[object]] = _open,
) -> tuple[object, object]:
    """Two writers on two engines: the first writes and holds its transaction open
    until the second is waiting on it, then commits. What each writer returned."""
    engines = [create_engine(database_url), create_engine(database_url)]
    try:
        one, two = (session_factory(engine) for engine in engines)
        wrote = asyncio.Event()

        async def writer_one() -> object:
            async with one() as session, session.begin():
                got = await opener(session, *first)
                wrote.set()
                await _until_someone_waits(database_url, two)
                return got

        async def writer_two() -> object:
            await wrote.wait()
            async with two() as session, session.begin():
                return await opener(session, *second)

        a, b = await asyncio.gather(writer_one(), writer_two())
        return a, b
    finally:
        for engine in engines:
            await engine.dispose()


async def test_two_conversations_opening_at_once_leave_one_case_losing_nothing(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    first, second = await _account_and_chats(sessions)
    told = await _at_once(
        database_url,
        ("T-FIRST", first, Priority.NORMAL, LATE),
        ("T-SECOND", second, Priority.URGENT, None),
    )
    (case,) = await _open_cases(sessions)
    # The second's urgency and the first's answer date (R15) both kept; nobody holds
    # the case yet, so it follows the borrower to the chat that asked last.
    assert (case.reason, case.priority, case.rank_group, case.due_on) == (
        "complaint",
        "urgent",
        0,
        LATE,
    )
    assert (case.ticket, case.conversation_id, case.status) == ("T-SECOND", second, "open")
    assert told == ("T-FIRST", "T-SECOND")


async def test_the_earlier_answer_date_and_the_higher_priority_win_whichever_came_second(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    first, second = await _account_and_chats(sessions)
    await _at_once(
        database_url,
        ("T-FIRST", first, Priority.HIGH, LATE),
        ("T-SECOND", second, Priority.NORMAL, EARLY),
    )
    (case,) = await _open_cases(sessions)
    assert (case.priority, case.rank_group, case.due_on) == ("high", 1, EARLY)


async def test_a_case_that_went_back_to_the_bot_waits_again_from_the_new_request(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """Asked yesterday, nobody took it, the bot took the chat back (returned_at): a
    new request today restarts the desk's timers in the new chat, or the borrower
    would be told at once that nobody came."""
    first, second = await _account_and_chats(sessions)
    yesterday = NOW - timedelta(days=1)
    async with sessions() as session, session.begin():
        await escalations.open_case(
            session,
            ticket="T-FIRST",
            account_id=ACCOUNT,
            conversation_id=first,
            reason=COMPLAINT,
            priority=Priority.NORMAL,
            now=yesterday,
        )
        case_id = (await session.execute(select(col(EscalationRow.id)))).scalar_one()
        assert case_id is not None
        assert await escalations.mark_waited(session, case_id, yesterday)
        assert await escalations.mark_returned(session, case_id, yesterday)
    async with sessions() as session, session.begin():
        assert await _open(session, "T-SECOND", second, Priority.NORMAL) == "T-SECOND"
    (case,) = await _open_cases(sessions)
    assert (case.id, case.conversation_id, case.wait_noticed_at, case.returned_at) == (
        case_id,
        second,
        None,
        None,
    )
    assert as_utc(case.created_at) == NOW


async def test_a_case_a_person_holds_stays_theirs_and_is_raised(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    first, second = await _account_and_chats(sessions)
    async with sessions() as session, session.begin():
        await _open(session, "T-FIRST", first, Priority.NORMAL)
        await escalations.take(session, first, "agent:ana")
    async with sessions() as session, session.begin():
        told = await _open(session, "T-SECOND", second, Priority.URGENT)
    (case,) = await _open_cases(sessions)
    assert told == "T-FIRST"
    assert (case.ticket, case.conversation_id, case.status, case.owner) == (
        "T-FIRST",
        first,
        "taken",
        "agent:ana",
    )
    assert (case.priority, case.rank_group) == ("urgent", 0)


async def _found_by(sessions: async_sessionmaker[AsyncSession], ticket: str) -> int | None:
    async with sessions() as session:
        case = await desk.escalation(session, ticket)
        return None if case is None else case.id


async def test_every_ticket_the_borrower_was_told_finds_the_case_it_went_to(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    """The case shows the newest ticket; the first borrower request's ticket, told to
    them all the same, still finds it (the desk's and the CRM API's lookup)."""
    first, second = await _account_and_chats(sessions)
    await _at_once(
        database_url,
        ("T-FIRST", first, Priority.NORMAL, None),
        ("T-SECOND", second, Priority.NORMAL, None),
    )
    (case,) = await _open_cases(sessions)
    assert case.ticket == "T-SECOND"
    assert await _found_by(sessions, "T-FIRST") == case.id
    assert await _found_by(sessions, "T-SECOND") == case.id
    assert await _found_by(sessions, "T-NEVER") is None


async def test_a_ticket_told_while_a_person_holds_the_case_finds_their_case(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    first, second = await _account_and_chats(sessions)
    async with sessions() as session, session.begin():
        await _open(session, "T-FIRST", first, Priority.NORMAL)
        await escalations.take(session, first, "agent:ana")
    async with sessions() as session, session.begin():
        await _open(session, "T-SECOND", second, Priority.NORMAL)
    (case,) = await _open_cases(sessions)
    assert case.ticket == "T-FIRST"
    assert await _found_by(sessions, "T-SECOND") == case.id


async def test_other_reasons_keep_cases_of_their_own_and_a_closed_case_holds_nothing(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    first, second = await _account_and_chats(sessions)
    async with sessions() as session, session.begin():
        await _open(session, "T-COMPLAINT", first, Priority.NORMAL, LATE)
        await _open(session, "T-CRISIS", first, Priority.URGENT, reason=EscalationReason.CRISIS)
        await escalations.close_ticket(session, first, "T-COMPLAINT", "answered", NOW)
    async with sessions() as session, session.begin():
        await _open(session, "T-AGAIN", second, Priority.NORMAL)
    assert [(c.ticket, c.reason) for c in await _open_cases(sessions)] == [
        ("T-CRISIS", "crisis"),
        ("T-AGAIN", "complaint"),
    ]


async def _stage(session: AsyncSession, ticket: str, conversation_id: int) -> bool:
    return await escalations.open_unless_open(
        session,
        ticket=ticket,
        account_id=ACCOUNT,
        conversation_id=conversation_id,
        reason=EscalationReason.REMINDER_STAGE,
        priority=Priority.NORMAL,
        now=NOW,
        note="late_30",
    )


async def test_two_planners_handing_one_account_to_a_person_at_once_open_one_case(
    database_url: str, sessions: async_sessionmaker[AsyncSession]
) -> None:
    first, second = await _account_and_chats(sessions)
    opened = await _at_once(database_url, ("T-ONE", first), ("T-TWO", second), opener=_stage)
    assert opened == (True, False)
    (case,) = await _open_cases(sessions)
    assert (case.ticket, case.reason, case.note) == ("T-ONE", "reminder_stage", "late_30")


@pytest.mark.empty_database
async def test_the_migration_folds_cases_already_doubled(database_url: str) -> None:
    await asyncio.to_thread(command.upgrade, alembic_config(database_url), "0017")
    engine = create_engine(database_url)
    try:
        sessions = session_factory(engine)
        first, second = await _account_and_chats(sessions)
        rows = [
            ("T-1", first, "complaint", "normal", "open", 2),
            ("T-2", second, "complaint", "urgent", "open", 0),
            ("T-3", second, "complaint", "high", "taken", 1),
            ("T-4", first, "crisis", "urgent", "open", 0),
            ("T-5", first, "complaint", "high", "closed", 1),
        ]
        async with sessions() as session, session.begin():
            for ticket, chat, reason, priority, status, rank in rows:
                await session.execute(
                    text(
                        "INSERT INTO escalations (ticket, account_id, conversation_id, reason,"
                        " priority, status, owner, note, created_at, rank_group, amount_due,"
                        " weight, reweigh_at) VALUES (:ticket, 'T-EN', :chat, :reason, :priority,"
                        " :status, 'queue', '', :now, :rank, 0, 0, :now)"
                    ),
                    {
                        "ticket": ticket,
                        "chat": chat,
                        "reason": reason,
                        "priority": priority,
                        "status": status,
                        "rank": rank,
                        "now": NOW,
                    },
                )
        await upgrade(database_url)
        async with sessions() as session:
            found = await session.execute(
                select(
                    col(EscalationRow.ticket),
                    col(EscalationRow.status),
                    col(EscalationRow.priority),
                    col(EscalationRow.rank_group),
                    col(EscalationRow.outcome),
                    col(EscalationRow.reweigh_at).is_not(None),
                ).order_by(col(EscalationRow.ticket))
            )
            # The case a person holds stays, at the highest priority of the three;
            # no closed case keeps a next weighing (bot/service/worklist.py).
            assert [tuple(row) for row in found.all()] == [
                ("T-1", "closed", "urgent", 0, "merged", False),
                ("T-2", "closed", "urgent", 0, "merged", False),
                ("T-3", "taken", "urgent", 0, None, True),
                ("T-4", "open", "urgent", 0, None, True),
                ("T-5", "closed", "high", 1, None, False),
            ]
        async with sessions() as session:
            with pytest.raises(Exception, match=r"(?i)unique"):
                async with session.begin():
                    await session.execute(
                        update(EscalationRow)
                        .where(col(EscalationRow.ticket) == "T-1")
                        .values(status="open")
                    )
    finally:
        await engine.dispose()
