"""The JSON API for a lender's CRM. Its paths and fields are a contract integrations
rely on (issue 29 point 6): change them only with a new version."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from bot.service import agreements, desk
from bot.service.agreements import Proposal
from bot.service.events import AgentActionKind
from bot.service.people import Person, Role
from bot.web import arrangements
from bot.web.actions import ActionFailed, act, check_outcome, clean_text
from bot.web.auth import address, api_role, bot_app

router = APIRouter(prefix="/api", tags=["escalations"])
Agent = Annotated[Person, Depends(api_role(Role.AGENT))]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        description="The same key twice acts once (at most 40 characters).",
    ),
]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TextBody(_Body):
    text: str = Field(min_length=1, max_length=4000)


class HandBackBody(_Body):
    state: str = Field(
        description="menu, statement, plan_options, extension, promise, payment_info"
    )
    outcome: str = Field(description="a code: resolved, promise_to_pay, arrangement, ...")


class CloseBody(_Body):
    outcome: str


class EscalationItem(BaseModel):
    ticket: str
    conversation_id: int | None
    account_id: str | None
    reason: str
    locale: str
    opened_at: str
    status: str
    owner: str | None
    days_past_due: int
    amount_due: str
    currency: str


class Escalations(BaseModel):
    items: list[EscalationItem]
    total: int = Field(description="how many escalations have this status in all")
    next: str | None = Field(description="the next page's path; null on the last page")


class TranscriptItem(BaseModel):
    at: str
    from_: Literal["borrower", "bot", "agent", "note"] = Field(alias="from")
    text: str
    delivered: bool | None


class Transcript(BaseModel):
    items: list[TranscriptItem]


class Ok(BaseModel):
    ticket: str
    status: str
    owner: str | None


class Error(BaseModel):
    error: str


# A page of the list: a CRM follows `next`; a page of 10,000 rows would take a
# second to build where a page of 100 takes milliseconds (bench --only console).
DEFAULT_PAGE = 100
MAX_PAGE = 1000

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": Error} for code in (401, 403, 404, 409, 422)
}


@router.get("/escalations", response_model=Escalations, responses=ERRORS)
async def list_escalations(
    request: Request,
    person: Agent,
    status: Annotated[Literal["open", "taken", "closed"], Query()] = "open",
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = DEFAULT_PAGE,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    """Escalations with this status, in the queue's order (crisis first), a page at a
    time: `total` says how many there are, `next` where the following page is."""
    app = bot_app(request)
    async with app.sessions() as session:
        page = await desk.queue_page(
            session,
            app.scripts.policy,
            app.runtime.now(),
            desk.QueueFilter(statuses=(status,)),
            offset=offset,
            limit=limit,
        )
    following = (
        f"/api/escalations?status={status}&limit={limit}&offset={offset + len(page.items)}"
        if page.more
        else None
    )
    return {"items": [item.api() for item in page.items], "total": page.total, "next": following}


@router.get("/escalations/{ticket}/transcript", response_model=Transcript, responses=ERRORS)
async def transcript(request: Request, ticket: str, person: Agent) -> dict[str, Any]:
    """The conversation's messages and notes, oldest first; `delivered` is null while
    a message is on its way and false when it could not be delivered."""
    app = bot_app(request)
    async with app.sessions() as session:
        found = await desk.escalation(session, ticket)
        if found is None or found.conversation_id is None:
            raise ActionFailed(404, f"no escalation {ticket!r}")
        lines = await desk.transcript(session, found.conversation_id)
    return {"items": [line.api() for line in lines if line.who != "event"]}


async def _do(
    request: Request,
    person: Person,
    ticket: str,
    kind: AgentActionKind,
    key: str | None,
    status_code: int,
    **fields: str,
) -> JSONResponse:
    done = await act(
        bot_app(request), person, ticket, kind, key=key, address=address(request), **fields
    )
    return JSONResponse(
        {
            "ticket": ticket,
            "status": done.escalation.status,
            "owner": desk.person_of(done.escalation.owner),
        },
        status_code=status_code,
    )


@router.post("/escalations/{ticket}/take", response_model=Ok, responses=ERRORS)
async def take(request: Request, ticket: str, person: Agent, key: IdempotencyKey = None) -> Any:
    """Take the conversation over: the borrower is told a person has joined, the bot
    stays quiet. 409 when someone else holds it."""
    return await _do(request, person, ticket, AgentActionKind.TAKE_OVER, key, 200)


@router.post("/escalations/{ticket}/reply", status_code=202, response_model=Ok, responses=ERRORS)
async def reply(
    request: Request, ticket: str, body: TextBody, person: Agent, key: IdempotencyKey = None
) -> Any:
    """Write to the borrower in their chat (through the outbox: accepted, then delivered)."""
    text = clean_text(body.text)
    return await _do(request, person, ticket, AgentActionKind.REPLY, key, 202, text=text)


@router.post("/escalations/{ticket}/note", status_code=201, response_model=Ok, responses=ERRORS)
async def note(
    request: Request, ticket: str, body: TextBody, person: Agent, key: IdempotencyKey = None
) -> Any:
    """An internal note on the transcript; never sent to the borrower."""
    text = clean_text(body.text)
    return await _do(request, person, ticket, AgentActionKind.NOTE, key, 201, text=text)


@router.post("/escalations/{ticket}/hand-back", response_model=Ok, responses=ERRORS)
async def hand_back(
    request: Request, ticket: str, body: HandBackBody, person: Agent, key: IdempotencyKey = None
) -> Any:
    """The bot carries on at `state`, in the borrower's language; the escalation is
    closed with `outcome`."""
    outcome = check_outcome(body.outcome)
    return await _do(
        request,
        person,
        ticket,
        AgentActionKind.HAND_BACK,
        key,
        200,
        state=body.state,
        outcome=outcome,
    )


@router.post("/escalations/{ticket}/close", response_model=Ok, responses=ERRORS)
async def close(
    request: Request, ticket: str, body: CloseBody, person: Agent, key: IdempotencyKey = None
) -> Any:
    """Close with an outcome (its holder, or a supervisor's token)."""
    outcome = check_outcome(body.outcome)
    return await _do(
        request, person, ticket, AgentActionKind.RECORD_OUTCOME, key, 200, outcome=outcome
    )


# ---- decisions: arrangements outside the policy, approvals, disputes ----

Supervisor = Annotated[Person, Depends(api_role(Role.SUPERVISOR))]


class ArrangementBody(_Body):
    kind: Literal["installment_plan", "promise_to_pay", "extension"]
    reason: str = Field(min_length=1, max_length=1000, description="why outside the policy")
    amount: Decimal = Field(
        default=Decimal(0), description="what the borrower pays in all (not for an extension)"
    )
    count: int = Field(default=1, ge=1, le=120, description="payments in a plan")
    first_due: date | None = Field(
        default=None, description="a plan's first payment, a promise's date"
    )
    new_due: date | None = Field(default=None, description="an extension's new due date")


class ArrangementRequest(BaseModel):
    request: str
    ticket: str
    kind: str
    amount: str
    currency: str
    installments: int
    new_due_date: str | None
    status: Literal["pending", "approved", "rejected", "recorded"]
    beyond: list[str] = Field(description="the requester's limits the terms go past")
    requested_by: str
    decided_by: str | None
    arrangement: str | None = Field(description="the arrangement's id once recorded")


class ArrangementRequests(BaseModel):
    items: list[ArrangementRequest]


class DecisionBody(_Body):
    note: str = Field(default="", max_length=1000)


class DisputeBody(_Body):
    dispute: str = Field(min_length=1, max_length=32)
    decision: Literal["upheld", "waived"] = Field(
        description="upheld: the charges stand and may be asked for again; waived: written off"
    )


@router.post(
    "/escalations/{ticket}/arrangement",
    status_code=201,
    response_model=ArrangementRequest,
    responses=ERRORS,
)
async def arrangement(
    request: Request,
    ticket: str,
    body: ArrangementBody,
    person: Agent,
    key: IdempotencyKey = None,
) -> Any:
    """An arrangement outside the bot's policy, with the reason. Within the token's
    role limits (policy `desk.limits`) it is recorded and the borrower told at once
    (`recorded`); above them it is `pending` until a supervisor approves it."""
    proposal = Proposal(
        kind=body.kind,
        reason=body.reason,
        amount=body.amount,
        count=body.count,
        first_due=body.first_due,
        new_due=body.new_due,
    )
    row = await arrangements.propose(
        bot_app(request), person, ticket, proposal, key=key, address=address(request)
    )
    return arrangements.shown(row)


@router.get("/approvals", response_model=ArrangementRequests, responses=ERRORS)
async def approvals(request: Request, person: Supervisor) -> dict[str, Any]:
    """Arrangement requests waiting for a supervisor, oldest first."""
    app = bot_app(request)
    async with app.sessions() as session:
        waiting = await agreements.pending(session)
    return {"items": [arrangements.shown(row) for row in waiting]}


@router.post(
    "/approvals/{request_id}/{verdict}", response_model=ArrangementRequest, responses=ERRORS
)
async def decide(
    request: Request,
    request_id: str,
    verdict: Literal["approve", "reject"],
    person: Supervisor,
    body: DecisionBody | None = None,
) -> Any:
    """Approve (the arrangement is recorded and the borrower told) or reject a pending
    request; 403 when the terms go past the supervisor's own limits, 409 when decided."""
    row = await arrangements.decide(
        bot_app(request),
        person,
        request_id,
        approve=verdict == "approve",
        note=body.note if body else "",
        address=address(request),
    )
    return arrangements.shown(row)


@router.post("/escalations/{ticket}/dispute", response_model=Ok, responses=ERRORS)
async def dispute(
    request: Request, ticket: str, body: DisputeBody, person: Agent, key: IdempotencyKey = None
) -> Any:
    """Decide a dispute of the ticket's account; the borrower is told in their language."""
    return await _do(
        request,
        person,
        ticket,
        AgentActionKind.RESOLVE_DISPUTE,
        key,
        200,
        text=body.dispute,
        outcome=body.decision,
    )
