"""The console's timers (issue 29 point 4), run by the clock (bot/service/periodic.py).

- A borrower whose case waits in the queue past the policy's first-response time
  is told honestly when a person will answer: by the end of the resolution time.
- A handoff nobody takes within the policy's `desk.return_to_bot_minutes` goes back
  to the bot with an apology; the escalation stays open and queued.

Each goes through `Runtime.on_trigger` (the trigger key claims it once, and the
escalation's own mark, set in the same transaction, keeps the job from asking
again). A crisis is never handed back automatically (R12): its case is urgent,
collection is paused, and the conversation remembers it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.domain.policy import DEFAULT_COUNTRY, Policy
from bot.domain.regions import region_of
from bot.engine.types import EscalationReason, Event, EventKind
from bot.service import escalations, worklist
from bot.service.events import Handled, Trigger
from bot.service.queueing import Queue
from bot.service.record import ConversationRecord, StoredConversation
from bot.service.triggers import silenced, zone
from bot.service.versions import ScriptRegistry
from bot.store.db import as_utc
from bot.store.tables import AccountRow, EscalationRow

if TYPE_CHECKING:
    from bot.service.runtime import Runtime

WAIT_LONG = "desk.wait_long"
BACK_TO_BOT = "desk.back_to_bot"
BATCH = 200  # cases per run and kind; the next run takes the rest
# Where a borrower waits for a person; one who went on with the bot is not moved.
WAITING_STATES = frozenset({"handoff_wait", "handoff_noted"})
CRISIS = "crisis"
# Cases the borrower did not ask for (a reminder stage that is a person's): nobody
# told them a person would answer, so neither timer writes to them about it.
UNASKED = (EscalationReason.REMINDER_STAGE.value,)


@dataclass(frozen=True)
class DeskTurn:
    """What a desk trigger may use inside `Runtime.on_trigger`'s transaction."""

    session: AsyncSession
    queue: Queue
    row: StoredConversation
    record: ConversationRecord
    account: AccountRow
    trigger: Trigger
    now: datetime
    registry: ScriptRegistry

    async def policy(self) -> Policy:
        """The policy the conversation runs on (its SLA is the one it was promised)."""
        record = self.record
        pinned = await self.registry.pinned(
            self.session, record.script_id, record.script_version, record.policy_version
        )
        return pinned.policy


# Runs the engine from an event (the bot takes the conversation on again).
Resume = Callable[[ConversationRecord, Event], Awaitable[Handled]]
Table = dict[str, object]


def trigger_key(name: str, escalation_id: int) -> str:
    return f"{name}:{escalation_id}"


def _escalation_id(trigger: Trigger) -> int:
    return int(trigger.trigger_key.rsplit(":", 1)[1])


async def _case(turn: DeskTurn) -> EscalationRow | None:
    """The trigger's escalation, if it is still this conversation's and open."""
    found = await turn.session.get(EscalationRow, _escalation_id(turn.trigger))
    if found is None or found.conversation_id != turn.record.conversation_id:
        return None
    return found if found.status == "open" else None


async def wait_long(turn: DeskTurn, table: Table, resume: Resume) -> Handled:
    done = Handled(conversation_id=turn.record.conversation_id)
    case = await _case(turn)
    # Handed back to the bot already (its apology says a person will still reply).
    if case is None or case.id is None or case.returned_at is not None:
        return done
    if not await escalations.mark_waited(turn.session, case.id, turn.now):
        return done
    policy = await turn.policy()
    times = policy.response_times(case.reason)
    # By the end of the resolution time; never a moment already past (a clock that
    # was stopped): then one more first-response time from now.
    answer_by = max(
        as_utc(case.created_at) + timedelta(minutes=times.resolution_minutes),
        turn.now + timedelta(minutes=times.first_response_minutes),
    )
    message, also = "agent.wait_long", _NO_LINES
    if turn.account.collection_paused or in_crisis(case, turn.record):
        message, also = "agent.wait_long_crisis", _crisis_lines(turn, policy)
    turn.queue.notice(
        turn.row,
        message,
        turn.record.locale,
        table,
        also=also,
        ticket=case.ticket,
        answer_by=answer_by.astimezone(zone(turn.account.timezone)),
    )
    return Handled(conversation_id=turn.record.conversation_id, queued=tuple(turn.queue.queued))


Lines = tuple[tuple[str, dict[str, object]], ...]
_NO_LINES: Lines = ()


def _crisis_lines(turn: DeskTurn, policy: Policy) -> Lines:
    """R12: whoever waits in a crisis is shown where help is, as the crisis step does."""
    account, locale = turn.account, turn.record.locale
    region = region_of(account.timezone, account.phone)
    number = policy.emergency_number(region, locale)
    emergency: tuple[str, dict[str, object]] = (
        ("repayment.crisis.emergency", {"emergency_number": number})
        if number
        else ("repayment.crisis.emergency_local", {})
    )
    contacts: tuple[str, dict[str, object]] = (
        "repayment.crisis.contacts",
        {"support_contacts": policy.support_contacts(region, locale)},
    )
    return (emergency, contacts)


def held_back(name: str, account: AccountRow, now: datetime) -> bool:
    """What keeps a desk timer from the borrower (issue 29 point 4).

    The wait notice answers the borrower's own request for a person; it asks for
    nothing and reminds of nothing, so R3 (an opt-out stops reminders and what the
    bot starts), R16 (a breathing space stops payment requests and reminders) and
    R12 (a crisis stops collection) do not silence it: a borrower who asked for a
    person and waits past the promised time is told when one will answer, and in a
    crisis with the hold and the help lines said again. Only a chat that cannot be
    reached (blocked, or erased, R18) stops it. The way back to the bot resumes the
    bot's menu, what the bot starts: every guard of the bot's own messages holds."""
    if name == WAIT_LONG:
        return account.unreachable
    return silenced(account, now)


async def back_to_bot(turn: DeskTurn, table: Table, resume: Resume) -> Handled:
    done = Handled(conversation_id=turn.record.conversation_id)
    case = await _case(turn)
    if case is None or case.id is None or in_crisis(case, turn.record):
        return done
    if not await escalations.mark_returned(turn.session, case.id, turn.now):
        return done
    if turn.record.current not in WAITING_STATES:
        return done  # they went on with the bot already; the case stays queued
    turn.queue.notice(turn.row, "agent.back_to_bot", turn.record.locale, table, ticket=case.ticket)
    state = "menu" if turn.record.verified else "verify"
    return await resume(turn.record, Event(EventKind.RESUME, text=state))


def in_crisis(case: EscalationRow, record: ConversationRecord) -> bool:
    """R12: a crisis stays with people; nothing hands it back to the bot by itself."""
    said = record.vars.get("escalated_for") or ()
    return case.reason == CRISIS or case.priority == "urgent" or CRISIS in said


TRIGGERS: dict[str, Callable[[DeskTurn, Table, Resume], Awaitable[Handled]]] = {
    WAIT_LONG: wait_long,
    BACK_TO_BOT: back_to_bot,
}


# ---- the clock's job ----


async def run(runtime: Runtime, now: datetime) -> int:
    """Fire every due desk timer once; returns how many borrowers were written to.
    First the worklist: a case whose account began a new day is weighed again."""
    await worklist.reweigh_new_days(runtime.sessions, now)
    policy = runtime.registry.newest_policy()
    sent = 0
    # The way back first: a case due for both (the clock was stopped) gets the
    # apology alone, not a promise and an apology in the same minute.
    for name, due in (
        (BACK_TO_BOT, await _untaken_too_long(runtime, policy, now)),
        (WAIT_LONG, await _waited_too_long(runtime, policy, now)),
    ):
        for escalation_id, conversation_id in due:
            handled = await runtime.on_trigger(
                Trigger(name, conversation_id, trigger_key(name, escalation_id))
            )
            sent += 1 if handled.queued else 0
            # Whatever on_trigger decided (sent, or nothing for a paused account),
            # this case is settled: mark it so the next run does not ask again.
            async with runtime.sessions() as session, session.begin():
                mark = escalations.mark_waited if name == WAIT_LONG else escalations.mark_returned
                await mark(session, escalation_id, now)
    return sent


async def _waited_too_long(runtime: Runtime, policy: Policy, now: datetime) -> list[Any]:
    """Open cases past their reason's first-response time, not told yet."""
    named = [reason for reason in policy.escalation_sla if reason != DEFAULT_COUNTRY]
    found: list[Any] = []
    async with runtime.sessions() as session:
        for reason in [*named, None]:
            times = policy.response_times(reason or DEFAULT_COUNTRY)
            query = _open_cases().where(col(EscalationRow.wait_noticed_at).is_(None))
            query = query.where(
                col(EscalationRow.created_at)
                <= now - timedelta(minutes=times.first_response_minutes)
            )
            query = query.where(
                col(EscalationRow.reason) == reason
                if reason
                else col(EscalationRow.reason).not_in(named)
            )
            found.extend((await session.execute(query.limit(BATCH))).all())
    return found


async def _untaken_too_long(runtime: Runtime, policy: Policy, now: datetime) -> list[Any]:
    minutes = policy.desk.return_to_bot_minutes
    if minutes is None:
        return []
    query = (
        _open_cases()
        .where(col(EscalationRow.returned_at).is_(None))
        .where(col(EscalationRow.reason) != CRISIS)
        .where(col(EscalationRow.priority) != "urgent")
        .where(col(EscalationRow.created_at) <= now - timedelta(minutes=minutes))
        .limit(BATCH)
    )
    async with runtime.sessions() as session:
        return list((await session.execute(query)).all())


def _open_cases() -> Any:
    return (
        select(col(EscalationRow.id), col(EscalationRow.conversation_id))
        .where(col(EscalationRow.status) == "open")
        .where(col(EscalationRow.conversation_id).is_not(None))
        .where(col(EscalationRow.reason).not_in(UNASKED))
        .order_by(col(EscalationRow.created_at), col(EscalationRow.id))
    )
