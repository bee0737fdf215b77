"""Arrangements outside the bot's policy and dispute decisions, from the console
and the API alike: checked, stored, audited (before and after), and recorded
through `Runtime.on_agent` so the borrower is told in the same transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import IntegrityError

from bot.bootstrap import App
from bot.service import agreements, audit, desk
from bot.service.agreements import APPROVED, Proposal, ProposalRefused, Standing
from bot.service.events import AgentAction, AgentActionKind
from bot.service.people import Person, Role
from bot.service.runtime import AgentActionRefused
from bot.service.triggers import zone
from bot.store.repositories import read_account
from bot.store.tables import ArrangementRequestRow, ConversationRow
from bot.web.actions import ActionFailed, action_key


async def propose(
    app: App, person: Person, ticket: str, proposal: Proposal, *, key: str | None, address: str
) -> ArrangementRequestRow:
    """Store the person's request on the ticket's conversation; record it at once when
    their role's limits cover it. The same key twice gives the same request."""
    now = app.runtime.now()
    async with app.sessions() as session:
        found = await desk.escalation(session, ticket)
        conversation = (
            await session.get(ConversationRow, found.conversation_id)
            if found is not None and found.conversation_id is not None
            else None
        )
    if found is None or conversation is None or conversation.id is None:
        raise ActionFailed(404, f"no escalation {ticket!r}")
    if found.status == "closed":
        raise ActionFailed(409, "this escalation is closed")
    if conversation.account_id is None:
        raise ActionFailed(409, "the conversation is not linked to an account")
    if conversation.owner != f"agent:{person.name}" and not person.may(Role.SUPERVISOR):
        raise ActionFailed(403, "take the conversation before agreeing terms")
    request_id = agreements.new_request_id(action_key(person, key) if key else None)
    try:
        async with app.sessions() as session, session.begin():
            row = await session.get(ArrangementRequestRow, request_id)
            if row is None:
                read = await read_account(session, account_id=conversation.account_id, now=now)
                if read is None:
                    raise ActionFailed(404, "no such account")
                account = read[0]
                standing = Standing(
                    account.account_id,
                    account.currency,
                    account.collectible_total,
                    account.due_date,
                    now.astimezone(zone(account.timezone)).date(),
                )
                row = agreements.request(
                    session,
                    app.scripts.policy,
                    proposal=proposal,
                    standing=standing,
                    conversation_id=conversation.id,
                    ticket=ticket,
                    by=person.name,
                    role=person.role.value,
                    now=now,
                    request_id=request_id,
                )
                audit.record(
                    session,
                    actor=person.name,
                    action="arrangement_request",
                    target=row.id,
                    before=None,
                    after=shown(row),
                    address=address,
                    now=now,
                )
    except ProposalRefused as refused:
        raise ActionFailed(refused.status, refused.reason) from refused
    except IntegrityError as clash:  # the same key at the same moment: one request
        raise ActionFailed(409, "this request is being made already") from clash
    if row.status == APPROVED:
        await record(app, person, row, address=address)
    return await _fresh(app, row.id)


async def decide(
    app: App, person: Person, request_id: str, *, approve: bool, note: str, address: str
) -> ArrangementRequestRow:
    """A supervisor approves (and so records) or rejects a pending request."""
    if not person.may(Role.SUPERVISOR):
        raise ActionFailed(403, "only a supervisor can decide on a request")
    now = app.runtime.now()
    try:
        async with app.sessions() as session, session.begin():
            row = await agreements.decide(
                session,
                app.scripts.policy,
                request_id,
                by=person.name,
                role=person.role.value,
                approve=approve,
                note=note,
                now=now,
            )
            audit.record(
                session,
                actor=person.name,
                action="arrangement_approve" if approve else "arrangement_reject",
                target=request_id,
                before={"status": agreements.PENDING},
                after=shown(row),
                address=address,
                now=now,
            )
    except ProposalRefused as refused:
        raise ActionFailed(refused.status, refused.reason) from refused
    if approve:
        await record(app, person, row, address=address)
    return await _fresh(app, request_id)


async def record(app: App, person: Person, row: ArrangementRequestRow, *, address: str) -> None:
    """The approved request becomes the arrangement and the borrower is told (once)."""
    try:
        handled = await app.runtime.on_agent(
            AgentAction(
                kind=AgentActionKind.RECORD_ARRANGEMENT,
                agent=person.name,
                conversation_id=row.conversation_id,
                action_key=f"record:{row.id}",
                ticket=row.ticket,
                outcome=row.id,
            )
        )
    except AgentActionRefused as exc:
        raise ActionFailed(409, str(exc)) from exc
    if handled.duplicate:
        return
    async with app.sessions() as session, session.begin():
        after = await session.get(ArrangementRequestRow, row.id)
        audit.record(
            session,
            actor=person.name,
            action="arrangement_record",
            target=row.id,
            before={"status": APPROVED},
            after=shown(after) if after else None,
            address=address,
            now=app.runtime.now(),
        )


async def _fresh(app: App, request_id: str) -> ArrangementRequestRow:
    async with app.sessions() as session:
        row = await session.get(ArrangementRequestRow, request_id)
    if row is None:
        raise ActionFailed(404, f"no request {request_id!r}")
    return row


def shown(row: ArrangementRequestRow) -> dict[str, Any]:
    """What the audit and the API show of a request."""
    return {
        "request": row.id,
        "ticket": row.ticket,
        "kind": row.kind,
        "amount": str(row.amount),
        "currency": row.currency,
        "installments": len(row.installments),
        "new_due_date": row.new_due_date.isoformat() if row.new_due_date else None,
        "status": row.status,
        "beyond": list(row.terms.get("beyond", [])),
        "requested_by": row.requested_by,
        "decided_by": row.decided_by,
        "arrangement": row.arrangement_id,
    }
