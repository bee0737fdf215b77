"""Who is asking, and may they: sessions for the console, bearer tokens for the API,
roles on every route, and a CSRF token on every request that changes something.

The session cookie is HttpOnly and SameSite=Strict (Secure when served over
HTTPS); its value is a random id whose hash the database keeps, so a sign-out
or an admin's revocation is refused at once. Each session has its own CSRF
token, sent with every form (a hidden field) and htmx call (a header).
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import HTTPException, Request

from bot.bootstrap import App
from bot.service import people
from bot.service.people import Person, Role

SESSION_COOKIE = "repaybot_session"
LOGIN_CSRF_COOKIE = "repaybot_login_csrf"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class SignInNeeded(HTTPException):
    """No valid session: the console sends the browser to the sign-in page."""

    def __init__(self) -> None:
        super().__init__(status_code=401, detail="sign in first")


def bot_app(request: Request) -> App:
    found: App = request.app.state.bot
    return found


def address(request: Request) -> str:
    return request.client.host if request.client else ""


async def console_person(request: Request) -> Person:
    """The signed-in person, after the CSRF check on anything but a read."""
    session_id = request.cookies.get(SESSION_COOKIE)
    if not session_id:
        raise SignInNeeded()
    app = bot_app(request)
    async with app.sessions() as session:
        person = await people.session_person(session, session_id, app.runtime.now())
    if person is None:
        raise SignInNeeded()
    if request.method not in SAFE_METHODS:
        await check_csrf(request, person.csrf_token or "")
    request.state.person = person
    return person


async def check_csrf(request: Request, expected: str) -> None:
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        form = await request.form()
        field = form.get(CSRF_FIELD)
        sent = field if isinstance(field, str) else None
    if not expected or not sent or not hmac.compare_digest(sent, expected):
        raise HTTPException(status_code=403, detail="missing or wrong CSRF token")


def console_role(role: Role) -> Callable[[Request], Awaitable[Person]]:
    """A dependency: the signed-in person, who must hold at least `role`."""

    async def dependency(request: Request) -> Person:
        person = await console_person(request)
        if not person.may(role):
            raise HTTPException(status_code=403, detail="your role may not do this")
        return person

    return dependency


def api_role(role: Role) -> Callable[[Request], Awaitable[Person]]:
    """A dependency: the API token's integration, which must hold at least `role`."""

    async def dependency(request: Request) -> Person:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise HTTPException(
                status_code=401,
                detail="send Authorization: Bearer <token>",
                headers={"WWW-Authenticate": "Bearer"},
            )
        app = bot_app(request)
        async with app.sessions() as session:
            person = await people.token_person(session, token.strip())
        if person is None:
            raise HTTPException(
                status_code=401,
                detail="unknown or revoked token",
                headers={"WWW-Authenticate": "Bearer"},
            )
        if not person.may(role):
            raise HTTPException(status_code=403, detail="this token's role may not do this")
        return person

    return dependency


def cookie_options(request: Request) -> dict[str, Any]:
    """HttpOnly, SameSite=Strict, and Secure when the console is served over HTTPS."""
    secure = bool(request.app.state.secure_cookies) or request.url.scheme == "https"
    return {"httponly": True, "samesite": "strict", "secure": secure, "path": "/"}
