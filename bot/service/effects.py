"""Apply the engine's effects to the database, inside the event's transaction."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.domain.quiet_windows import to_data
from bot.engine.types import (
    Context,
    CreateArrangement,
    Effect,
    Escalate,
    EscalationReason,
    MarkVerified,
    NoteForPerson,
    OptIn,
    OptOut,
    PauseCollection,
    RecordDispute,
    Reprioritize,
    SetLocale,
    SetQuietWindows,
)
from bot.errors import RepaybotError
from bot.service import worklist
from bot.service.escalations import add_note, open_case, reprioritize
from bot.service.record import StoredConversation
from bot.store.repositories import write_account
from bot.store.tables import AccountRow, ArrangementRow, ChargeRow, DisputeRow

SUSPENDED = "suspended"  # an arrangement on hold while a dispute on it is reviewed (R8)


class EffectNotApplied(RepaybotError):
    """An effect that could not be written; the event fails as a whole."""


async def apply_effects(
    session: AsyncSession,
    *,
    effects: tuple[Effect, ...],
    conversation: StoredConversation,
    ctx: Context,
    now: datetime,
) -> None:
    account_id = ctx.account.account_id
    for effect in effects:
        if isinstance(effect, RecordDispute):
            await _record_dispute(session, effect, conversation, ctx, now)
        elif isinstance(effect, CreateArrangement):
            await _create_arrangement(session, effect, conversation, account_id, now)
        elif isinstance(effect, Escalate):
            await _escalate(session, effect, conversation, ctx, now)
        elif isinstance(effect, NoteForPerson):
            await add_note(session, conversation.id, effect.ticket, effect.text)
        elif isinstance(effect, Reprioritize):
            await reprioritize(
                session, conversation.id, effect.reason, effect.priority, effect.note
            )
        elif isinstance(effect, PauseCollection):
            await write_account(session, account_id, collection_paused=True, updated_at=now)
        elif isinstance(effect, OptOut):
            await write_account(session, account_id, opted_out=True, updated_at=now)
        elif isinstance(effect, OptIn):
            await write_account(session, account_id, opted_out=False, updated_at=now)
        elif isinstance(effect, SetQuietWindows):
            kept = to_data(effect.windows) or None
            await write_account(session, account_id, quiet_windows=kept, updated_at=now)
        elif isinstance(effect, MarkVerified):
            # Nothing to write here: the step's state says verified, and the runtime
            # saves it with the rest of the conversation (one UPDATE, not two).
            continue
        elif isinstance(effect, SetLocale):
            # The borrower's choice of language outlives this conversation, and the
            # lender's next file (the import leaves a chosen locale as it is).
            await write_account(
                session, account_id, locale=effect.locale, locale_chosen=True, updated_at=now
            )
    if conversation.account_id and any(isinstance(e, _REWEIGHS) for e in effects):
        # A new case needs its place in the worklist; a dispute changes what may be
        # collected, so the account's open cases move (bot/service/worklist.py).
        await worklist.reweigh(session, now, [account_id])


_REWEIGHS = (Escalate, RecordDispute)


async def _record_dispute(
    session: AsyncSession,
    effect: RecordDispute,
    conversation: StoredConversation,
    ctx: Context,
    now: datetime,
) -> None:
    """R8: the case is stored and its charges are held until it is resolved."""
    if await session.get(DisputeRow, effect.case_number) is not None:
        # Ids are unique by construction; a clash means the borrower would be told
        # of a case that was never written. Fail the event rather than confirm it.
        raise EffectNotApplied(f"dispute id {effect.case_number} exists")
    session.add(
        DisputeRow(
            id=effect.case_number,
            account_id=ctx.account.account_id,
            charge_ids=list(effect.charge_ids),
            amount=effect.amount,
            currency=effect.currency,
            reason=effect.reason,
            status="open",
            answer_due_on=ctx.today + timedelta(days=ctx.policy.cases.dispute_answer_days),
            conversation_id=conversation.id,
            created_at=now,
            arrangement_id=effect.suspends,
        )
    )
    await session.flush()
    await session.execute(
        update(ChargeRow)
        .where(col(ChargeRow.account_id) == ctx.account.account_id)
        .where(col(ChargeRow.charge_id).in_(effect.charge_ids))
        .values(dispute_id=effect.case_number)
    )
    if effect.suspends is not None:
        # The arrangement asked for the disputed money: on hold until the case is
        # reviewed, so no statement, link or reminder asks for its payments (R8).
        await session.execute(
            update(ArrangementRow)
            .where(col(ArrangementRow.id) == effect.suspends)
            .where(col(ArrangementRow.account_id) == ctx.account.account_id)
            .where(col(ArrangementRow.status) == "active")
            .values(status=SUSPENDED)
        )


async def _create_arrangement(
    session: AsyncSession,
    effect: CreateArrangement,
    conversation: StoredConversation,
    account_id: str,
    now: datetime,
) -> None:
    if await session.get(ArrangementRow, effect.arrangement_id) is not None:
        raise EffectNotApplied(f"arrangement id {effect.arrangement_id} exists")
    await supersede_active(session, account_id, by=effect.arrangement_id, now=now)
    session.add(
        ArrangementRow(
            id=effect.arrangement_id,
            account_id=account_id,
            kind=effect.kind.value,
            status="active",
            amount=effect.amount,
            currency=effect.currency,
            installments=[
                {"due_date": i.due_date.isoformat(), "amount": str(i.amount)}
                for i in effect.installments
            ],
            new_due_date=effect.new_due_date,
            script_version=conversation.script_version,
            conversation_id=conversation.id,
            created_at=now,
        )
    )
    if effect.new_due_date is not None:
        # The due date stays the lender's: a re-import must not undo the extension,
        # so the effective date is computed from the arrangement when loaded.
        account = await session.get(AccountRow, account_id)
        if account is not None:
            account.extensions_used += 1
            account.updated_at = now


async def supersede_active(
    session: AsyncSession, account_id: str, *, by: str, now: datetime
) -> int:
    """End the account's active arrangements in favour of `by`; returns how many.

    Runs in the event's transaction before the new arrangement is added, so an
    account never holds two active arrangements, and the old one keeps when, why
    and by which it ended (issue 7 point 1). One on hold for a dispute ends too:
    the borrower agreed a new one on what may be collected now (R8).
    """
    result = await session.execute(
        update(ArrangementRow)
        .where(col(ArrangementRow.account_id) == account_id)
        .where(col(ArrangementRow.status).in_(("active", SUSPENDED)))
        .values(status="superseded", ended_at=now, end_reason="superseded", superseded_by=by)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def _escalate(
    session: AsyncSession,
    effect: Escalate,
    conversation: StoredConversation,
    ctx: Context,
    now: datetime,
) -> None:
    due_on = None
    if effect.reason is EscalationReason.COMPLAINT:  # R15: answered within the policy's days
        due_on = ctx.today + timedelta(days=ctx.policy.cases.complaint_answer_days)
    # The borrower was told effect.ticket; an open case of the account for the same
    # reason takes it over unless a person holds that case (escalations.open_case).
    await open_case(
        session,
        ticket=effect.ticket,
        account_id=ctx.account.account_id if conversation.account_id else None,
        conversation_id=conversation.id,
        reason=effect.reason,
        priority=effect.priority,
        due_on=due_on,
        now=now,
    )
