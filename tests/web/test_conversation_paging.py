"""A long conversation on the console: the page draws the newest lines and pages back
to the first by line id; live updates fetch only what came after the newest line
drawn and re-read the replies still on their way; a conversation's stream hears
its own deliveries and no one else's. On SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
from sqlalchemy import insert

from bot.service import desk
from bot.service.desk_transcript import PAGE
from bot.store import live
from bot.store.tables import TranscriptRow
from bot.web.serve import serve_console
from tests.runtime.conftest import CHANNEL, NOW
from tests.web.conftest import PASSWORD, Console

LONG = 500


def _drawn(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<li id="line-(\d+)"', html)]


def _earlier(html: str) -> int | None:
    found = re.search(r'<li class="earlier">.*?lines\?before=(\d+)"', html, re.S)
    return int(found.group(1)) if found else None


def _newest(html: str) -> int:
    found = re.search(r'id="newest" name="after" value="(\d+)"', html)
    assert found, "no newest line id"
    return int(found.group(1))


async def _conversation(console: Console, ticket: str) -> int:
    async with console.chat.app.sessions() as session:
        found = await desk.escalation(session, ticket)
    assert found is not None and found.conversation_id is not None
    return found.conversation_id


async def _say_a_lot(console: Console, conversation_id: int, count: int) -> None:
    """`count` lines of the borrower's, written as the runtime writes them."""
    rows = [
        {
            "conversation_id": conversation_id,
            "direction": "in",
            "kind": "text",
            "text": f"message {n}",
            "script_version": "test",
            "created_at": NOW - timedelta(minutes=count - n),
        }
        for n in range(count)
    ]
    async with console.chat.app.sessions() as session, session.begin():
        await session.execute(insert(TranscriptRow), rows)


async def test_a_long_conversation_pages_back_to_its_first_line(console: Console) -> None:
    conversation = await _conversation(console, await console.escalation("g1"))
    await _say_a_lot(console, conversation, LONG)
    async with console.chat.app.sessions() as session:
        every = [line.id for line in await desk.transcript(session, conversation)]
    assert len(every) > LONG
    agent, _ = await console.signed_in("mei")
    page = (await agent.get(f"/c/{conversation}")).text
    drawn = _drawn(page)
    assert drawn == every[-PAGE:]
    assert _newest(page) == every[-1]
    before = _earlier(page)
    assert before == drawn[0]
    shown = drawn
    pages = 1
    while before is not None:
        earlier = (await agent.get(f"/c/{conversation}/lines", params={"before": before})).text
        lines = _drawn(earlier)
        assert 0 < len(lines) <= PAGE
        shown = lines + shown
        pages += 1
        before = _earlier(earlier)
        # The control comes first, for the page before the oldest line it brought.
        assert before is None or (earlier.index('class="earlier"') < earlier.index("<li id="))
        assert before is None or before == lines[0]
    assert shown == every  # all of them, in order, each once
    assert pages == -(-len(every) // PAGE)


async def test_a_new_line_comes_after_the_newest_drawn(console: Console) -> None:
    conversation = await _conversation(console, await console.escalation("g2"))
    agent, _ = await console.signed_in("mei")
    page = (await agent.get(f"/c/{conversation}")).text
    newest = _newest(page)
    nothing = (await agent.get(f"/c/{conversation}/lines", params={"after": newest})).text
    assert _drawn(nothing) == [] and 'id="newest"' not in nothing
    await console.chat.say("g2", "Are you still there? <b>hello</b>")
    new = (await agent.get(f"/c/{conversation}/lines", params={"after": newest})).text
    lines = _drawn(new)
    assert lines and min(lines) > newest
    assert "Are you still there? &lt;b&gt;hello&lt;/b&gt;" in new
    assert "<b>hello" not in new
    # The page asks after the newest line next (an out-of-band swap of #newest).
    assert _newest(new) == max(lines)
    assert 'hx-swap-oob="true"' in new.split('id="newest"')[1].split(">")[0]
    assert _drawn((await agent.get(f"/c/{conversation}/lines?after={max(lines)}")).text) == []


async def test_a_reply_turns_delivered_in_place(console: Console) -> None:
    ticket = await console.escalation("g3")
    conversation = await _conversation(console, ticket)
    async with console.api() as api:
        assert (await api.post(f"/api/escalations/{ticket}/take")).status_code == 200
        sent = await api.post(f"/api/escalations/{ticket}/reply", json={"text": "On its way."})
        assert sent.status_code == 202
    agent, _ = await console.signed_in("mei")
    page = (await agent.get(f"/c/{conversation}")).text
    (reply,) = [li for li in re.findall(r"<li .*?</li>", page, re.S) if "On its way." in li]
    reply_id = int(re.findall(r'id="line-(\d+)"', reply)[0])
    assert 'class="status">Sending' in reply
    assert f'name="check" value="{reply_id}"' in reply  # asked about again
    await console.chat.app.outbox.deliver_chat(CHANNEL, "g3")
    params = {"after": _newest(page), "check": reply_id}
    update = (await agent.get(f"/c/{conversation}/lines", params=params)).text
    (again,) = re.findall(r"<li .*?</li>", update, re.S)
    assert f'id="line-{reply_id}"' in again and 'hx-swap-oob="true"' in again
    assert 'class="status ok">Delivered' in again
    assert 'name="check"' not in again  # delivered: not asked about any more
    # Another conversation's line is not given out by its id.
    other = await _conversation(console, await console.escalation("g4", "T-HANS", "1985-03-09"))
    foreign = await agent.get(f"/c/{other}/lines", params={"after": 10**9, "check": reply_id})
    assert _drawn(foreign.text) == []


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _events(lines: AsyncIterator[str], until: str) -> list[str]:
    """The stream's event names up to and including `until`."""
    seen: list[str] = []
    while until not in seen:
        line = await asyncio.wait_for(anext(lines), timeout=10)
        if line.startswith("event: "):
            seen.append(line.removeprefix("event: "))
    return seen


async def test_a_delivery_is_told_to_its_conversation_only(console: Console) -> None:
    mine = await console.escalation("e1")
    theirs = await console.escalation("e2", "T-HANS", "1985-03-09")
    conversations = [await _conversation(console, t) for t in (mine, theirs)]
    async with console.api() as api:
        assert (await api.post(f"/api/escalations/{mine}/take")).status_code == 200
        await api.post(f"/api/escalations/{mine}/reply", json={"text": "Hello from Mei."})
    port = _free_port()
    stop = asyncio.Event()
    url = console.chat.app.settings.database_url
    async with live.HUB.subscribe() as marks:
        server = asyncio.create_task(serve_console(console.chat.app, port=port, stop=stop))
        try:
            if url.startswith("postgresql"):  # the server listens: it says "read again" once
                while await asyncio.wait_for(marks.get(), timeout=10) != live.AGAIN:
                    pass
            # The streams close before the server stops (it waits for open ones).
            async with contextlib.AsyncExitStack() as streams:
                await _watch(console, port, conversations, streams)
        finally:
            stop.set()
            await server


async def _watch(
    console: Console, port: int, conversations: list[int], stack: contextlib.AsyncExitStack
) -> None:
    browser = await stack.enter_async_context(
        httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10)
    )
    for _ in range(200):
        with contextlib.suppress(httpx.TransportError):
            login = await browser.get("/login")
            break
        await asyncio.sleep(0.05)
    csrf = re.findall(r'name="csrf" value="([^"]+)"', login.text)[0]
    await browser.post("/login", data={"name": "mei", "password": PASSWORD, "csrf": csrf})
    streams = []
    for conversation in conversations:
        response = await stack.enter_async_context(
            browser.stream("GET", f"/events?c={conversation}")
        )
        lines = response.aiter_lines()
        # The catch-up as it connects: the lines after the newest drawn, the case.
        assert await _events(lines, "case") == ["conversation", "case"]
        streams.append(lines)
    await console.chat.app.outbox.deliver_chat(CHANNEL, "e1")
    assert console.chat.sender.sent["e1"][-1].text == "Hello from Mei."
    assert await _events(streams[0], "conversation") == ["conversation"]
    # A queue change elsewhere: their page reads its case, not its transcript, and
    # it heard nothing of the delivery, which came first.
    await console.escalation("e3", "T-HANT", "1978-12-24")
    assert await _events(streams[1], "case") == ["case"]
