"""The JSON API for a lender's CRM. Its paths and fields are a contract integrations
rely on (issue 29 point 6): change them only with a new version."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from bot.service import desk
from bot.service.events import AgentActionKind
from bot.service.people import Person, Role
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
