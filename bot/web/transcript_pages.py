"""A conversation page's live parts: its transcript a page at a time (the newest, an
earlier one, what came after the newest drawn line) and its case state.

The page draws the newest desk_transcript.PAGE lines. A `conversation` event
(bot.web.console.events) asks for the lines after the newest it drew, with the
ids of the replies it drew that were not yet delivered (`check`): the answer is
the new lines, appended, and those replies as they are now, swapped in place by
id (hx-swap-oob), plus the new newest id. Only lines that can still change are
read again: nothing is re-read in full, and a reply stops being checked once it
reads "Delivered". A `case` event (any escalation changed) reads the case's
state only: its holder and status, never the transcript.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from bot.service import desk
from bot.service import desk_transcript as transcript
from bot.service.people import Person
from bot.web.actions import ActionFailed
from bot.web.auth import bot_app, console_person
from bot.web.console import render

router = APIRouter(include_in_schema=False)
Signed = Annotated[Person, Depends(console_person)]
CHECKED = 200  # at most this many drawn replies are checked again in one update


@router.get("/c/{conversation_id}/lines")
async def conversation_lines(
    request: Request,
    conversation_id: int,
    person: Signed,
    before: int | None = None,
    after: int | None = None,
    check: Annotated[list[int], Query()] = [],  # noqa: B006 - FastAPI copies it
) -> HTMLResponse:
    """`before`: the page before that line (the "Earlier messages" control);
    `after`: the lines after that one and the `check` lines as they are now; with
    neither, the newest page."""
    app = bot_app(request)
    changed: list[desk.Line] = []
    after_id = None
    async with app.sessions() as session:
        if after is not None:
            lines = await transcript.after(session, conversation_id, after)
            changed = await transcript.chosen(session, conversation_id, check[:CHECKED])
            more = False
            after_id = lines[-1].id if lines else None
        else:
            found = await (
                transcript.newest(session, conversation_id)
                if before is None
                else transcript.before(session, conversation_id, before)
            )
            lines, more = found
    return render(
        request,
        "_lines.html",
        person,
        lines=lines,
        changed=changed,
        after_id=after_id,
        earlier=lines[0].id if more else None,
        conversation_id=conversation_id,
    )


@router.get("/c/{conversation_id}/case")
async def case_state(request: Request, conversation_id: int, person: Signed) -> HTMLResponse:
    """The case's holder and status, as the conversation page's header shows them."""
    app = bot_app(request)
    async with app.sessions() as session:
        found = await desk.case_state(session, conversation_id)
    if found is None:
        raise ActionFailed(404, "no such conversation")
    return render(
        request,
        "_case_state.html",
        person,
        case=found,
        holder=desk.person_of(found.conversation.owner),
    )
