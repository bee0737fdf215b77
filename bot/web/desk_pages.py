"""The console's pages for decisions: an arrangement outside the bot's policy (a
supervisor approves it above the person's limits), a dispute decided, and the
supervisors' list of requests waiting for approval."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bot.service import agreements
from bot.service.agreements import Proposal
from bot.service.events import AgentActionKind
from bot.service.people import Person, Role
from bot.web import arrangements
from bot.web.actions import ActionFailed, act
from bot.web.auth import address, bot_app, console_person, console_role
from bot.web.console import render

router = APIRouter(include_in_schema=False)
Signed = Annotated[Person, Depends(console_person)]
Supervisor = Annotated[Person, Depends(console_role(Role.SUPERVISOR))]


def amount_of(text: str) -> Decimal:
    try:
        value = Decimal(text.strip().replace(",", "") or "0")
    except InvalidOperation as bad:
        raise ActionFailed(422, "the amount is not a number") from bad
    if not value.is_finite():
        raise ActionFailed(422, "the amount is not a number")
    return value


def day_of(text: str) -> date | None:
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError as bad:
        raise ActionFailed(422, "dates are written 2026-12-31") from bad


@router.post("/c/{conversation_id}/arrangement")
async def arrangement(
    request: Request,
    conversation_id: int,
    person: Signed,
    ticket: Annotated[str, Form(max_length=32)],
    kind: Annotated[str, Form(max_length=20)],
    reason: Annotated[str, Form(max_length=1000)] = "",
    amount: Annotated[str, Form(max_length=24)] = "",
    count: Annotated[int, Form(ge=1, le=agreements.MAX_INSTALLMENTS)] = 1,
    first_due: Annotated[str, Form(max_length=10)] = "",
    new_due: Annotated[str, Form(max_length=10)] = "",
    key: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    proposal = Proposal(
        kind=kind,
        reason=reason,
        amount=amount_of(amount) if kind != "extension" else Decimal(0),
        count=count,
        first_due=day_of(first_due),
        new_due=day_of(new_due),
    )
    row = await arrangements.propose(
        bot_app(request), person, ticket, proposal, key=key or None, address=address(request)
    )
    if row.conversation_id != conversation_id:
        raise ActionFailed(404, "that ticket is not this conversation's")
    return RedirectResponse(f"/c/{conversation_id}", status_code=303)


@router.post("/c/{conversation_id}/dispute")
async def dispute(
    request: Request,
    conversation_id: int,
    person: Signed,
    ticket: Annotated[str, Form(max_length=32)],
    dispute: Annotated[str, Form(max_length=32)],
    decision: Annotated[str, Form(max_length=16)],
    key: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    done = await act(
        bot_app(request),
        person,
        ticket,
        AgentActionKind.RESOLVE_DISPUTE,
        key=key or None,
        address=address(request),
        text=dispute,
        outcome=decision,
    )
    if done.escalation.conversation_id != conversation_id:
        raise ActionFailed(404, "that ticket is not this conversation's")
    return RedirectResponse(f"/c/{conversation_id}", status_code=303)


@router.get("/approvals")
async def approvals(request: Request, person: Supervisor) -> HTMLResponse:
    app = bot_app(request)
    async with app.sessions() as session:
        waiting = await agreements.pending(session)
    return render(request, "approvals.html", person, requests=waiting)


@router.post("/approvals/{request_id}/{verdict}")
async def decide(
    request: Request,
    request_id: str,
    verdict: str,
    person: Supervisor,
    note: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    if verdict not in ("approve", "reject"):
        raise ActionFailed(404, "no such decision")
    await arrangements.decide(
        bot_app(request),
        person,
        request_id,
        approve=verdict == "approve",
        note=note,
        address=address(request),
    )
    return RedirectResponse("/approvals", status_code=303)
