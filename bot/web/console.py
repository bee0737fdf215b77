"""The agents' console: sign-in, the queue, a conversation, the audit and sessions.

Pages are rendered on the server; htmx swaps the queue's rows and a transcript
when a server-sent event says they changed. Every form is a plain POST with a
CSRF field and an idempotency key, answered with a redirect (a double click or a
reload acts once). Jinja2 escapes everything a person typed.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode
from uuid import uuid4

from babel.dates import format_date
from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from fastapi.templating import Jinja2Templates

from bot.domain.accounts import catalog_locale
from bot.domain.regions import region_of
from bot.i18n.render import format_money, formatting_locale
from bot.service import agreements, audit, canned, desk, desk_transcript, people
from bot.service.events import AgentActionKind
from bot.service.people import Person, Role
from bot.store import live
from bot.web.actions import (
    HAND_BACK_STATES,
    OUTCOMES,
    UNVERIFIED_STATES,
    ActionFailed,
    act,
    check_outcome,
)
from bot.web.actions import clean_text as clean_reply
from bot.web.auth import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    address,
    bot_app,
    console_person,
    console_role,
    cookie_options,
)
from bot.web.texts import LANGUAGE_NAMES, LOCALES, Formats, translations, waited

log = logging.getLogger(__name__)
Next = Callable[[Request], Awaitable[Response]]
TEMPLATES = Jinja2Templates(directory=str(Path(__file__).resolve().parent / "templates"))
# A filter, not fmt.moment(...): Jinja calls filters directly, and the transcript
# formats one time per line.
TEMPLATES.env.filters["moment"] = lambda value, fmt: fmt.moment(value)
router = APIRouter(include_in_schema=False)
Signed = Annotated[Person, Depends(console_person)]
Supervisor = Annotated[Person, Depends(console_role(Role.SUPERVISOR))]
Admin = Annotated[Person, Depends(console_role(Role.ADMIN))]
REASONS = (
    "crisis",
    "complaint",
    "verification_locked",
    "requested",
    "hardship",
    "review_decision",
    "repeated_failure",
    "outside_policy",
    "script_failure",
    "reminder_stage",
)
KEEPALIVE = 25.0  # seconds between comments on an idle event stream (proxies close silent ones)


def render(
    request: Request, name: str, person: Person | None, status: int = 200, **context: Any
) -> HTMLResponse:
    locale = person.locale if person is not None else _browser_locale(request)
    app = bot_app(request)
    gettext = translations(app.settings.locales_dir, locale).gettext
    return TEMPLATES.TemplateResponse(
        request,
        name,
        {
            "_": gettext,
            "fmt": Formats(locale),
            "waited": waited,
            "person": person,
            "csrf": person.csrf_token if person else "",
            "locale": locale,
            "languages": LANGUAGE_NAMES,
            "Role": Role,
            **context,
        },
        status_code=status,
    )


def problem(request: Request, status: int, reason: str) -> HTMLResponse:
    person = getattr(request.state, "person", None)
    return render(request, "problem.html", person, status=status, status_code=status, reason=reason)


def _browser_locale(request: Request) -> str:
    wanted = request.headers.get("Accept-Language", "").lower()
    if "zh-tw" in wanted or "zh-hk" in wanted or "zh-hant" in wanted:
        return "zh_Hant"
    return "zh_Hans" if wanted.startswith("zh") else "en"


# ---- signing in and out ----


@router.get("/login")
async def login_page(request: Request, failed: str = "") -> HTMLResponse:
    token = secrets.token_urlsafe(24)
    response = render(request, "login.html", None, login_csrf=token, failed=failed)
    response.set_cookie(LOGIN_CSRF_COOKIE, token, max_age=3600, **cookie_options(request))
    return response


@router.post("/login")
async def login(
    request: Request,
    name: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=1024)],
    csrf: Annotated[str, Form(max_length=128)] = "",
) -> Response:
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not hmac.compare_digest(expected, csrf):
        return problem(request, 403, "missing or wrong CSRF token")
    app = bot_app(request)
    now = app.runtime.now()
    async with app.sessions() as session, session.begin():
        result = await people.sign_in(
            session, name=name, password=password, address=address(request), now=now
        )
        signed = isinstance(result, people.SignedIn)
        audit.record(
            session,
            actor=name,
            action="sign_in" if signed else "sign_in_failed",
            now=now,
            address=address(request),
            after=None
            if signed
            else {"locked": isinstance(result, people.Refused) and result.locked_for is not None},
        )
    if not isinstance(result, people.SignedIn):
        why = "locked" if result.locked_for is not None else "wrong"
        return RedirectResponse(f"/login?failed={why}", status_code=303)
    response = RedirectResponse("/queue", status_code=303)
    response.set_cookie(SESSION_COOKIE, result.session_id, **cookie_options(request))
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/")
    return response


@router.post("/logout")
async def logout(request: Request, person: Signed) -> Response:
    app = bot_app(request)
    async with app.sessions() as session, session.begin():
        if person.session_hash:
            await people.revoke_session(session, person.session_hash, app.runtime.now())
        audit.record(
            session,
            actor=person.name,
            action="sign_out",
            now=app.runtime.now(),
            address=address(request),
        )
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.post("/me")
async def me(
    request: Request,
    person: Signed,
    available: Annotated[str | None, Form()] = None,
    locale: Annotated[str | None, Form()] = None,
    back: Annotated[str, Form()] = "/queue",
) -> Response:
    """Available or away, and the console's language for this person."""
    app = bot_app(request)
    before: dict[str, Any] = {"available": person.available, "locale": person.locale}
    after = dict(before)
    async with app.sessions() as session, session.begin():
        if available is not None and person.user_id is not None:
            after["available"] = available == "1"
            await people.set_available(session, person.user_id, after["available"])
        if locale in LOCALES and person.user_id is not None:
            after["locale"] = locale
            await people.set_locale(session, person.user_id, locale)
        audit.record(
            session,
            actor=person.name,
            action="profile",
            now=app.runtime.now(),
            before=before,
            after=after,
            address=address(request),
        )
    return RedirectResponse(
        back if back.startswith("/") and not back.startswith("//") else "/queue", status_code=303
    )


# ---- the queue ----


@router.get("/")
async def home(person: Signed) -> Response:
    return RedirectResponse("/queue", status_code=303)


def queue_filter(reason: str = "", language: str = "", owner: str = "") -> desk.QueueFilter:
    """The queue's filters from the query string (one dependency for the page and its
    rows); an unknown reason or language filters nothing."""
    return desk.QueueFilter(
        reason=reason if reason in REASONS else None,
        locale=language if language in LOCALES else None,
        owner=owner or None,
    )


Filtered = Annotated[desk.QueueFilter, Depends(queue_filter)]


async def _queue_context(
    request: Request, person: Person, which: desk.QueueFilter, page: int
) -> dict[str, Any]:
    """One page of the worklist (desk.PAGE rows: the rest are counted, not rendered),
    and for a supervisor how many arrangements wait for approval."""
    app = bot_app(request)
    now = app.runtime.now()
    page = max(1, page)
    async with app.sessions() as session:
        found = await desk.queue_page(
            session, app.scripts.policy, now, which, offset=(page - 1) * desk.PAGE, limit=desk.PAGE
        )
        team = await people.agents(session)
        waiting = await agreements.count_pending(session) if person.may(Role.SUPERVISOR) else 0
    pages = {"reason": "", "language": "", "owner": "", **dict(request.query_params)}
    return {
        "items": found.items,
        "found": found,
        "page": page,
        "previous_url": _page_url(pages, page - 1) if page > 1 else None,
        "next_url": _page_url(pages, page + 1) if found.more else None,
        "team": team,
        "now": now,
        "approvals_waiting": waiting,
    }


def _page_url(query: dict[str, str], page: int) -> str:
    return "/queue?" + urlencode({**query, "page": str(page)})


@router.get("/queue")
async def queue_page(
    request: Request, person: Signed, which: Filtered, page: int = 1
) -> HTMLResponse:
    context = await _queue_context(request, person, which, page)
    query = request.url.query
    chosen = {
        "reason": which.reason or "",
        "language": which.locale or "",
        "owner": which.owner or "",
    }
    return render(
        request,
        "queue.html",
        person,
        reasons=REASONS,
        chosen=chosen,
        rows_url="/queue/rows" + (f"?{query}" if query else ""),
        **context,
    )


@router.get("/queue/rows")
async def queue_rows(
    request: Request, person: Signed, which: Filtered, page: int = 1
) -> HTMLResponse:
    context = await _queue_context(request, person, which, page)
    return render(request, "_rows.html", person, **context)


# ---- a conversation ----


@router.get("/c/{conversation_id}")
async def conversation_page(request: Request, conversation_id: int, person: Signed) -> HTMLResponse:
    app = bot_app(request)
    # One session (one connection checkout) for everything the page reads.
    async with app.sessions() as session:
        found = await desk.case(session, app.scripts.policy, conversation_id, app.runtime.now())
        if found is None:
            raise ActionFailed(404, "no such conversation")
        # The newest page only: earlier ones come when asked (bot.web.transcript_pages).
        lines, more = await desk_transcript.newest(session, conversation_id)
        team = await people.agents(session)
        requests = await agreements.of_conversation(session, conversation_id)
    limits = app.scripts.policy.desk.limits_for(person.role.value)
    return render(
        request,
        "conversation.html",
        person,
        case=found,
        lines=lines,
        earlier=lines[0].id if more else None,
        newest=lines[-1].id if lines else 0,
        conversation_id=conversation_id,
        team=[t for t in team if t.name != person.name],
        holder=desk.person_of(found.conversation.owner),
        canned=_canned(request, found),
        outcomes=OUTCOMES,
        states=HAND_BACK_STATES if found.conversation.verified else UNVERIFIED_STATES,
        key=uuid4().hex,
        requests=requests,
        limits=limits,
        today=app.runtime.now().date(),
    )


def _canned(request: Request, found: desk.Case) -> list[tuple[str, str]]:
    """(title in the person's language, text in the borrower's, filled)."""
    app = bot_app(request)
    replies = canned.load(canned.file_in(app.settings.dialogs_dir))
    account = found.account
    locale = found.conversation.locale if found.conversation.locale in LOCALES else "en"
    values = {"name": "", "amount": "", "date": ""}
    written = locale
    if account is not None:
        region = region_of(account.timezone, account.phone)
        # A Hong Kong or British borrower gets their market's text where one is written.
        written = catalog_locale(locale, region)
        babel = formatting_locale(locale, region)
        values = {
            "name": account.borrower_name,
            "amount": format_money(found.total, account.currency, babel, region),
            "date": format_date(account.due_date, "medium", locale=babel),
        }
    person: Person = request.state.person
    return [
        (
            reply.title.get(person.locale, reply.title["en"]),
            canned.fill(reply.text_for(written), values),
        )
        for reply in replies
    ]


_ACTIONS = {
    "take": AgentActionKind.TAKE_OVER,
    "reply": AgentActionKind.REPLY,
    "note": AgentActionKind.NOTE,
    "transfer": AgentActionKind.TRANSFER,
    "release": AgentActionKind.RELEASE,
    "unlock": AgentActionKind.UNLOCK_VERIFICATION,
    "hand-back": AgentActionKind.HAND_BACK,
    "close": AgentActionKind.RECORD_OUTCOME,
}


@router.post("/c/{conversation_id}/{action}")
async def conversation_action(
    request: Request,
    conversation_id: int,
    action: str,
    person: Signed,
    ticket: Annotated[str, Form(max_length=32)],
    key: Annotated[str, Form(max_length=40)] = "",
    text: Annotated[str, Form(max_length=8000)] = "",
    state: Annotated[str, Form(max_length=64)] = "",
    outcome: Annotated[str, Form(max_length=64)] = "",
    to: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    kind = _ACTIONS.get(action)
    if kind is None:
        return problem(request, 404, "no such action")
    fields: dict[str, str] = {}
    if kind in (AgentActionKind.REPLY, AgentActionKind.NOTE):
        fields["text"] = clean_reply(text)
    if kind is AgentActionKind.HAND_BACK:
        fields["state"] = state
        fields["outcome"] = check_outcome(outcome)
    if kind is AgentActionKind.RECORD_OUTCOME:
        fields["outcome"] = check_outcome(outcome)
    if kind is AgentActionKind.TRANSFER:
        fields["to"] = to
    done = await act(
        bot_app(request), person, ticket, kind, key=key or None, address=address(request), **fields
    )
    if done.escalation.conversation_id != conversation_id:
        return problem(request, 404, "that ticket is not this conversation's")
    return RedirectResponse(f"/c/{conversation_id}", status_code=303)


# ---- supervisors and admins ----


@router.get("/audit")
async def audit_page(request: Request, person: Supervisor, actor: str = "") -> HTMLResponse:
    app = bot_app(request)
    async with app.sessions() as session:
        lines = await audit.recent(session, actor=actor or None)
    return render(request, "audit.html", person, lines=lines, actor=actor)


@router.get("/admin/sessions")
async def sessions_page(request: Request, person: Admin) -> HTMLResponse:
    app = bot_app(request)
    async with app.sessions() as session:
        found = await people.live_sessions(session, app.runtime.now())
    return render(request, "sessions.html", person, sessions=found)


@router.post("/admin/sessions/revoke")
async def revoke(
    request: Request, person: Admin, id_hash: Annotated[str, Form(max_length=64)]
) -> Response:
    app = bot_app(request)
    now = app.runtime.now()
    async with app.sessions() as session, session.begin():
        revoked = await people.revoke_session(session, id_hash, now)
        audit.record(
            session,
            actor=person.name,
            action="revoke_session",
            target=id_hash[:12],
            after={"revoked": revoked},
            now=now,
            address=address(request),
        )
    return RedirectResponse("/admin/sessions", status_code=303)


# ---- live ----


@router.get("/events")
async def events(request: Request, person: Signed, c: int | None = None) -> StreamingResponse:
    """Server-sent events. The queue page's stream: `queue` when escalations change.
    A conversation page's (`c`): `conversation` when that conversation has a new
    line or one of its replies was delivered or not (never another's), and `case`
    when an escalation changed, which reads its holder and status again, never the
    transcript. Each says only "read again"; the page fetches what changed with
    its session, so a revoked session stops seeing anything at once."""
    hub: live.Hub = request.app.state.hub
    mine = live.conversation_mark(c) if c is not None else None
    conversation = "event: conversation\ndata: changed\n\n"
    case = "event: case\ndata: changed\n\n"
    queue = "event: queue\ndata: changed\n\n"

    async def stream() -> AsyncIterator[str]:
        async with hub.subscribe() as marks:
            yield ": connected\n\n"
            # Whatever changed between the page being rendered and this subscription
            # (or while a dropped stream reconnected) was not announced to it: the
            # page reads once more now, so nothing is missed in that gap. Cheap: the
            # lines after the newest drawn (usually none) and the case's state.
            yield conversation + case if mine else queue
            while True:
                try:
                    mark = await asyncio.wait_for(marks.get(), timeout=KEEPALIVE)
                except TimeoutError:
                    yield ": keep-alive\n\n"
                    continue
                if mark == live.AGAIN:  # marks may have been missed: read everything
                    yield conversation + case if mine else queue
                elif mark == live.QUEUE:
                    yield case if mine else queue
                elif mark == mine:
                    yield conversation

    return StreamingResponse(
        stream(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
