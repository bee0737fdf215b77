"""The console and the CRM API as one ASGI application, on the bot's database.

Server-rendered pages (Jinja2 + htmx, every script and style served from
bot/web/static, nothing from the internet), a JSON API under /api documented at
/docs and /openapi.json, and server-sent events fed by bot.store.live.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from bot.bootstrap import App
from bot.service import canned
from bot.store import live
from bot.web import api, console, desk_pages, transcript_pages
from bot.web.actions import ActionFailed

STATIC = Path(__file__).resolve().parent / "static"
# Pages run only our own files: no inline script, nothing from elsewhere.
CONSOLE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)
DOCS_POLICY = (  # Swagger UI's page starts itself with one inline script
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; frame-ancestors 'none'"
)


def create_app(bot: App, *, secure_cookies: bool = False, hub: live.Hub = live.HUB) -> FastAPI:
    """The ASGI app. `secure_cookies`: the console is served over HTTPS (behind a proxy
    that terminates TLS), so cookies get the Secure flag. Raises CannedRepliesError
    (file and line) when the canned replies are wrong: refused at start, not when an
    agent opens a conversation."""
    canned.load(canned.file_in(bot.settings.dialogs_dir))

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        stop = asyncio.Event()
        listener = asyncio.create_task(live.listen(bot.settings.database_url, hub, stop))
        try:
            yield
        finally:
            stop.set()
            await listener

    web = FastAPI(
        title="repaybot CRM API",
        description="Escalations from the repayment bot, for a lender's CRM. "
        "Authenticate with `Authorization: Bearer <token>` (`repaybot tokens add`).",
        version="1",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    web.state.bot = bot
    web.state.hub = hub
    web.state.secure_cookies = secure_cookies
    web.mount("/static", StaticFiles(directory=STATIC), name="static")
    web.include_router(api.router)
    web.include_router(desk_pages.router)  # before the console's /c/{id}/{action}
    web.include_router(transcript_pages.router)
    web.include_router(console.router)

    @web.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="repaybot CRM API",
            swagger_js_url="/static/swagger/swagger-ui-bundle.js",
            swagger_css_url="/static/swagger/swagger-ui.css",
            swagger_favicon_url="/static/favicon.svg",
        )

    @web.middleware("http")
    async def headers(request: Request, call_next: console.Next) -> Response:
        response = await call_next(request)
        docs = request.url.path == "/docs"
        response.headers.setdefault(
            "Content-Security-Policy", DOCS_POLICY if docs else CONSOLE_POLICY
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response

    @web.exception_handler(ActionFailed)
    async def action_failed(request: Request, exc: ActionFailed) -> Response:
        if _is_api(request):
            return JSONResponse({"error": exc.reason}, status_code=exc.status)
        return console.problem(request, exc.status, exc.reason)

    @web.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
        reason = f"{where}: {first.get('msg', 'invalid')}" if where else "invalid request"
        if _is_api(request):
            return JSONResponse({"error": reason}, status_code=422)
        return console.problem(request, 422, reason)

    @web.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if _is_api(request):
            return JSONResponse(
                {"error": str(exc.detail)}, status_code=exc.status_code, headers=exc.headers
            )
        if exc.status_code == 401:
            if request.headers.get("HX-Request"):
                return Response(status_code=401, headers={"HX-Redirect": "/login"})
            return RedirectResponse("/login", status_code=303)
        return console.problem(request, exc.status_code, str(exc.detail))

    @web.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        # Never a bare 500 page with a trace: the log has the kind, not the data.
        console.log.error("console request failed: %s", type(exc).__name__)
        if _is_api(request):
            return JSONResponse({"error": "internal error"}, status_code=500)
        return console.problem(request, 500, "internal error")

    return web


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")
