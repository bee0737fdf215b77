"""What each of a person's actions does to a conversation, one handler per kind.

The runtime claims the action, locks the conversation and writes the action's
transcript line; the handler decides, in that transaction, and gives back the
record to save (or, for a hand-back, what running the engine produced). Adding
an action is one function and one entry in `HANDLERS`; the console and the CRM
API reach them all through `Runtime.on_agent`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.engine.types import Event, EventKind, MoneyValue
from bot.errors import RepaybotError
from bot.service import agreements, disputes_desk, escalations, worklist
from bot.service.events import AgentAction, AgentActionKind, Handled
from bot.service.queueing import Queue, transcript_line
from bot.service.record import BOT, ConversationRecord, StoredConversation, agent_owner
from bot.service.versions import ScriptRegistry
from bot.store.repositories import write_account


class AgentActionRefused(RepaybotError):
    """A person's action that does not fit the conversation (not theirs, unknown state)."""


class AlreadyTaken(AgentActionRefused):
    """Someone else holds the conversation: take it only after they transfer or release it."""


@dataclass(frozen=True)
class ActionContext:
    """What a handler may use: the action, the conversation as locked for it, and the
    event's transaction (its session, its queue of replies, its clock)."""

    action: AgentAction
    session: AsyncSession
    queue: Queue
    row: StoredConversation
    record: ConversationRecord
    now: datetime
    registry: ScriptRegistry
    message_table: Callable[[], dict[str, object]]
    # Runs the engine from `event` with the bot owning the record again (a hand-back).
    resume: Callable[[ConversationRecord, Event], Awaitable[Handled]]

    @property
    def owner(self) -> str:
        """The acting person as a conversation's owner."""
        return agent_owner(self.action.agent)


# A handler gives back the record to save, or what a run of the engine produced
# (which saved its own record).
Handler = Callable[[ActionContext], Awaitable[ConversationRecord | Handled]]


async def take_over(ctx: ActionContext) -> ConversationRecord:
    record, owner = ctx.record, ctx.owner
    if record.owner not in (BOT, owner):
        raise AlreadyTaken(f"held by {record.owner}")
    if record.owner != owner:
        # The borrower is told, in their language, that a person is here now.
        ctx.queue.notice(ctx.row, "agent.joined", record.locale, ctx.message_table())
    await escalations.take(ctx.session, record.conversation_id, owner)
    return replace(record, owner=owner)


async def reply(ctx: ActionContext) -> ConversationRecord:
    if ctx.record.owner != ctx.owner:
        raise AgentActionRefused("take the conversation over before replying")
    ctx.queue.raw(ctx.row, ctx.action.text, agent=ctx.action.agent)
    return ctx.record


async def _weigh_before_closing(ctx: ActionContext) -> None:
    """A closed case keeps the worklist key it had at its close (what was owed and
    for how long, for the CRM API's closed cases): weighed at this moment, not at the
    clock's last tick, which may be before the account's midnight."""
    if ctx.record.account_id:
        await worklist.reweigh(ctx.session, ctx.now, [ctx.record.account_id])


async def hand_back(ctx: ActionContext) -> Handled:
    record, action = ctx.record, ctx.action
    if record.owner != ctx.owner:
        raise AgentActionRefused("only the person who owns it can hand it back")
    record = replace(record, owner=BOT)
    pinned = await ctx.registry.pinned(
        ctx.session, record.script_id, record.script_version, record.policy_version
    )
    if action.state not in pinned.script.states:
        raise AgentActionRefused(f"no state {action.state!r} in the script")
    if action.outcome:
        await _weigh_before_closing(ctx)
        await escalations.close_all(ctx.session, record.conversation_id, action.outcome, ctx.now)
    return await ctx.resume(record, Event(EventKind.RESUME, text=action.state))


async def unlock_verification(ctx: ActionContext) -> ConversationRecord:
    await write_account(
        ctx.session,
        ctx.record.account_id or "",
        verify_failures=0,
        verify_locked_until=None,
        updated_at=ctx.now,
    )
    return ctx.record


async def record_outcome(ctx: ActionContext) -> ConversationRecord:
    action = ctx.action
    await _weigh_before_closing(ctx)
    closed = await escalations.close_ticket(
        ctx.session, ctx.record.conversation_id, action.ticket, action.outcome, ctx.now
    )
    if not closed:
        raise AgentActionRefused(f"no escalation {action.ticket!r} here")
    # A person's work here is done: the bot listens again (silently).
    return replace(ctx.record, owner=BOT)


async def note(ctx: ActionContext) -> ConversationRecord:
    return ctx.record  # the action's transcript line is the note; nothing is sent


async def transfer(ctx: ActionContext) -> ConversationRecord:
    return await _pass_on(ctx, agent_owner(ctx.action.to))


async def release(ctx: ActionContext) -> ConversationRecord:
    return await _pass_on(ctx, BOT)


async def _pass_on(ctx: ActionContext, to: str) -> ConversationRecord:
    """Give a held conversation to another person, or back to the queue (`to` is BOT):
    the open escalation follows; only its holder may pass it on."""
    record, holder = ctx.record, ctx.owner
    if record.owner != holder:
        raise AgentActionRefused("only the person who holds it can pass it on")
    if to == holder:
        raise AgentActionRefused("it is yours already")
    await escalations.transfer(ctx.session, record.conversation_id, None if to == BOT else to)
    return replace(record, owner=to)


async def record_arrangement(ctx: ActionContext) -> ConversationRecord:
    """An approved request becomes the arrangement; the borrower is told its terms."""
    record = ctx.record
    done = await agreements.record(
        ctx.session, ctx.action.outcome, record.conversation_id, record.script_version, ctx.now
    )
    if done is None:
        raise AgentActionRefused("no approved request to record here")
    message_id, params = agreements.borrower_message(done[1])
    ctx.queue.notice(ctx.row, message_id, record.locale, ctx.message_table(), **params)
    return record


async def resolve_dispute(ctx: ActionContext) -> ConversationRecord:
    """A dispute decided: the hold lifted (upheld) or the charges written off (waived)."""
    record, action = ctx.record, ctx.action
    if action.outcome not in disputes_desk.DECISIONS:
        raise AgentActionRefused("decide upheld or waived")
    dispute = await disputes_desk.resolve(
        ctx.session, record.account_id or "", action.text, action.outcome
    )
    if dispute is None:
        raise AgentActionRefused("no open dispute with that number on this account")
    # Upheld charges may be asked for again: the account's place in the worklist moves.
    await worklist.reweigh(ctx.session, ctx.now, [dispute.account_id])
    amount = MoneyValue(Decimal(dispute.amount), dispute.currency)
    params: dict[str, Any] = {"case": dispute.id, "amount": amount}
    message_id = f"agent.dispute_{action.outcome}"
    ctx.queue.notice(ctx.row, message_id, record.locale, ctx.message_table(), **params)
    return record


HANDLERS: dict[AgentActionKind, Handler] = {
    AgentActionKind.TAKE_OVER: take_over,
    AgentActionKind.REPLY: reply,
    AgentActionKind.HAND_BACK: hand_back,
    AgentActionKind.UNLOCK_VERIFICATION: unlock_verification,
    AgentActionKind.RECORD_OUTCOME: record_outcome,
    AgentActionKind.NOTE: note,
    AgentActionKind.TRANSFER: transfer,
    AgentActionKind.RELEASE: release,
    AgentActionKind.RECORD_ARRANGEMENT: record_arrangement,
    AgentActionKind.RESOLVE_DISPUTE: resolve_dispute,
}


def transcript_note(
    record: ConversationRecord, action: AgentAction, now: datetime
) -> dict[str, Any]:
    """The action's line on the transcript (a note's text, a hand-back's state or an
    outcome): who did what, kept whatever the handler decides."""
    return transcript_line(
        conversation_id=record.conversation_id,
        account_id=record.account_id,
        direction="evt",
        kind="agent",
        text=action.text if action.kind is AgentActionKind.NOTE else action.state or action.outcome,
        payload={
            "action": action.kind.value,
            "agent": action.agent,
            "ticket": action.ticket or None,
            **({"to": action.to} if action.to else {}),
        },
        script_version=record.script_version,
        created_at=now,
    )
