"""New messages and escalations arrive live: a commit announces what it touched, on
SQLite through this process's hub, on PostgreSQL through NOTIFY to every listener;
the console's event stream passes it to the browser over a real server."""

from __future__ import annotations

import asyncio
import contextlib
import socket

import httpx

from bot.store import live
from bot.web.serve import serve_console
from tests.web.conftest import PASSWORD, Console


async def _next_mark(marks: asyncio.Queue[str], wanted: str) -> str:
    while True:
        mark = await asyncio.wait_for(marks.get(), timeout=10)
        if mark == wanted:
            return mark


async def test_a_new_escalation_and_a_borrowers_message_are_announced(console: Console) -> None:
    hub = live.Hub()
    stop = asyncio.Event()
    url = console.chat.app.settings.database_url
    # On PostgreSQL only NOTIFY reaches this hub (as in another process); on SQLite,
    # where the console serves in the bot's process, the process hub does.
    source = hub if url.startswith("postgresql") else live.HUB
    listener = asyncio.create_task(live.listen(url, hub, stop))
    try:
        async with source.subscribe() as marks:
            if url.startswith("postgresql"):
                await _next_mark(marks, live.AGAIN)  # listening (it says "read again")
            ticket = await console.escalation("l1")
            await _next_mark(marks, live.QUEUE)
            async with console.chat.app.sessions() as session:
                from bot.service import desk

                found = await desk.escalation(session, ticket)
            assert found is not None and found.conversation_id is not None
            await console.chat.say("l1", "hello?")
            await _next_mark(marks, live.conversation_mark(found.conversation_id))
    finally:
        stop.set()
        await listener


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_the_event_stream_tells_an_open_page_over_a_real_server(console: Console) -> None:
    ticket = await console.escalation("l2")
    port = _free_port()
    stop = asyncio.Event()
    server = asyncio.create_task(serve_console(console.chat.app, port=port, stop=stop))
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=base) as browser:
            for _ in range(200):
                with contextlib.suppress(httpx.TransportError):
                    page = await browser.get("/login")
                    break
                await asyncio.sleep(0.05)
            login_csrf = page.text.split('name="csrf" value="')[1].split('"')[0]
            await browser.post(
                "/login", data={"name": "mei", "password": PASSWORD, "csrf": login_csrf}
            )
            queue = await browser.get("/queue")
            conversation_id = int(queue.text.split('href="/c/')[1].split('"')[0])
            async with browser.stream("GET", f"/events?c={conversation_id}") as stream:
                assert stream.headers["content-type"].startswith("text/event-stream")
                lines = stream.aiter_lines()
                assert (await anext(lines)).startswith(": connected")
                # First the catch-up: whatever changed before the stream listened.
                assert await anext(lines) == ""
                assert await anext(lines) == "event: conversation"
                assert await anext(lines) == "data: changed"
                assert await anext(lines) == ""
                await console.chat.say("l2", "is anyone there?")
                events = []  # then the borrower's new line, announced live
                while "event: conversation" not in events:
                    events.append(await asyncio.wait_for(anext(lines), timeout=10))
            lines_html = (await browser.get(f"/c/{conversation_id}/lines")).text
            assert "is anyone there?" in lines_html and ticket
    finally:
        stop.set()
        await server
